# polybook — build the book and test the toolchain.
#   make html LANG=id FRAMEWORK=jax     build one language / framework
#   make pdf LANG=vi FRAMEWORK=mxnet    the PDF of one language / framework
#   make test                           set up the toolchain, lint, type-check, run the tests
#   make test-fast                      lint, type-check, the tests not marked slow (no environments)
#   make bench-compare BENCH_BASE=REV   benchmarks of this checkout against an earlier commit
#
# `LANG` doubles as the POSIX locale variable, and make exports a command-line
# override of it to every command it starts. The book language is therefore
# captured here as BOOK_LANG and the locale is reset to a sane UTF-8 value.
ifeq ($(origin LANG),command line)
BOOK_LANG := $(LANG)
else
BOOK_LANG ?= en
endif
override LANG := C.UTF-8
export LANG
export LC_ALL := C.UTF-8

PYTHON ?= python3
FRAMEWORK ?= pytorch
VENV ?= .venv
BIN := $(VENV)/bin
POLYBOOK := $(BIN)/polybook
PYTEST_ARGS ?=

.PHONY: all venv test test-fast test-prereqs system-deps lint typecheck unit split check lib lib-check bench bench-compare clean html info pdf

all: html

# Per-framework environments (make env FRAMEWORK=jax), and the stages that
# bring their own targets.
include tools/make/env.mk
include tools/make/execute.mk
# `make html`: toolchain, framework environment(s), library, then
# split -> execute -> render (tools/make/render.mk).
HTML_WIRED := yes
include tools/make/render.mk
ENV_GOAL = $(if $(filter all,$(FRAMEWORK)),env-all,env)
html: venv $(ENV_GOAL) lib html-build
# `make pdf LANG=vi FRAMEWORK=mxnet`: the same stages, then the PDF (tools/make/pdf.mk).
PDF_WIRED := yes
include tools/make/pdf.mk
pdf: venv env lib pdf-build

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

lint: venv
	$(BIN)/ruff check tools tests bench
	$(BIN)/ruff format --check tools tests bench

typecheck: venv
	$(BIN)/mypy

# The tests alone (prerequisites that are missing make tests skip).
unit: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything, as CI runs it: every prerequisite is installed first and a
# missing one fails the run instead of skipping tests.
test: lint typecheck lib-check test-prereqs
	POLYBOOK_STRICT_TESTS=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick loop (under two minutes): the tests not marked `slow`, which need
# no framework environment, MathJax or chromium (slow: real kernels, the whole
# book, the browser, Dask; `pytest -m slow --collect-only` lists them).
test-fast: lint typecheck
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# What the tests need beyond Python packages: every framework environment,
# MathJax (npm) for offline math, Debian's chromium for the browser test, and
# TeX Live, fonts and poppler-utils for the PDF (tools/make/pdf.mk).
test-prereqs: env-all mathjax system-deps pdf-deps

system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "chromium is needed for the browser test: sudo apt-get install chromium" >&2; exit 1; \
	  fi; }

split: venv
	$(POLYBOOK) split --lang $(BOOK_LANG) --framework all

check: venv
	$(POLYBOOK) check --lang $(BOOK_LANG)

# The book's library d2l/<module>.py from its #@save code, in the mode the
# book's configuration sets (library_mode in _config/book.toml; this book:
# clean). See tools/polybook/library/README.md.
lib: venv
	$(POLYBOOK) lib

# CI: the committed d2l/ must be what the sources generate.
lib-check: venv
	$(POLYBOOK) lib --check

bench: venv
	$(BIN)/python bench/bench_split.py
	$(BIN)/python bench/bench_lib.py
	$(BIN)/python bench/bench_execute.py

# This checkout against an earlier commit (a temporary worktree), same run.
BENCH_BASE ?= 030babd
bench-compare: venv
	$(BIN)/python bench/compare.py --base $(BENCH_BASE)

# What the variables resolve to: the book language and framework, and the
# locale every command runs under.
info:
	@echo "book language: $(BOOK_LANG)"
	@echo "framework: $(FRAMEWORK)"
	@echo "locale: LANG=$$LANG LC_ALL=$$LC_ALL"

clean:
	rm -rf _build

# `make preview`, `make reader-notebooks` (tools/make/reader.mk)
include tools/make/reader.mk
