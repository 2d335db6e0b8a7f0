# polybook — build the book and test the toolchain.
#   make html LANG=id FRAMEWORK=jax     build one language / framework
#   make test                           set up the toolchain, lint, type-check, run the tests
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

.PHONY: all venv test lint typecheck unit split check lib bench clean html info

all: html

# Per-framework environments (make env FRAMEWORK=jax), and the stages that
# bring their own targets.
include tools/make/env.mk
-include tools/make/execute.mk
-include tools/make/render.mk

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

unit: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck unit

split: venv
	$(POLYBOOK) split --lang $(BOOK_LANG) --framework all

check: venv
	$(POLYBOOK) check --lang $(BOOK_LANG)

bench: venv
	$(BIN)/python bench/bench_split.py

# What the variables resolve to: the book language and framework, and the
# locale every command runs under.
info:
	@echo "book language: $(BOOK_LANG)"
	@echo "framework: $(FRAMEWORK)"
	@echo "locale: LANG=$$LANG LC_ALL=$$LC_ALL"

ifeq ($(wildcard tools/make/render.mk),)
# Until the render stage lands, `make html` runs the stages that exist.
html: split
	@echo "html: rendering is not available yet; split notebooks are in _build/split/$(BOOK_LANG)"
endif

clean:
	rm -rf _build
