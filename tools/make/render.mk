# tools/make/render.mk -- the HTML site (polybook build html).
#
# Included by the top-level Makefile (after env.mk and execute.mk):
#     make html LANG=id FRAMEWORK=jax      one language, one framework
#     make html FRAMEWORK=all              the tabbed site (every framework, synced tabs)
#     make html-render                     render only: no split, no execution
#     make mathjax                         MathJax 3 for offline math (npm, once)
#     make bench-html                      build / rebuild timings (bench/bench_html.py)
#
# Uses from the includer: BOOK_LANG (the book language; LANG is the locale
# there), FRAMEWORK, POLYBOOK, the `venv` target. Output:
# _build/html/$(BOOK_LANG)/$(FRAMEWORK)/index.html (FRAMEWORK=all: .../all/).
#
# `html-build` runs each stage once: split (once per language the site reads:
# its own and, for a translation, the source language), execute (when
# HTML_EXECUTE is non-empty; the language, then the source-language pages a
# translation lacks) and render, the last two with --no-split; it ends by
# printing where the site is. Every split prints one `split: <lang>: ...` line.
# It does not build framework environments: the includer wires those
# (`html: venv <env goal> html-build`, then define HTML_WIRED before including
# this file, or leave the default `html: html-build` below).

BOOK_LANG ?= en
FRAMEWORK ?= pytorch
POLYBOOK ?= .venv/bin/polybook

# The book's source language: a translation's missing pages are taken from it.
HTML_SOURCE_LANG ?= en
# Empty: render the split notebooks without executing them (no outputs).
HTML_EXECUTE ?= yes
# Extra flags for `polybook build html`, e.g. HTML_ARGS=--strict
HTML_ARGS ?=
HTML_EXECUTE_ARGS ?= --keep-going --jobs $(or $(EXECUTE_JOBS),1)

# MathJax 3, installed with npm into the book's build-tools prefix by
# `polybook assets install` (which pins the version, writes the stamp and does
# nothing when it is there) and copied into every site (no CDN):
# _build/tools/node_modules/mathjax/es5/... MATHJAX_VERSION names the stamp
# only; it equals polybook.render.mathjax.MATHJAX_VERSION (a test checks).
MATHJAX_VERSION := 3.2.2
MATHJAX_DIR ?= _build/tools/node_modules/mathjax
MATHJAX_STAMP ?= $(MATHJAX_DIR)/.polybook-$(MATHJAX_VERSION)
NPM ?= npm

.PHONY: html-build html-render mathjax bench-html

## mathjax: install MathJax $(MATHJAX_VERSION) for offline math (npm; once)
mathjax: $(MATHJAX_STAMP)

$(MATHJAX_STAMP): | venv
	$(POLYBOOK) assets install --npm $(NPM)

# A translation's site also reads the source language's split notebooks (the
# pages it lacks are taken from there): empty for the source language itself.
_html_source_split = $(if $(filter-out $(HTML_SOURCE_LANG),$(BOOK_LANG)),\
    $(POLYBOOK) split --lang $(HTML_SOURCE_LANG) --framework all)
# The source-language pages a translation takes (it lacks them): executed too.
_html_fallback_pages = $(POLYBOOK) build html --lang $(BOOK_LANG) --fallback-pages

# The execute step of a site or a PDF (shell, in a recipe that set `status`):
# the language, then the source-language pages a translation lacks; a failure
# sets `status` and the build goes on with the outputs that exist.
_execute_for_site = \
	if [ -n "$(HTML_EXECUTE)" ]; then \
	    echo "$(POLYBOOK) execute --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK)"; \
	    $(POLYBOOK) execute --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) \
	        $(HTML_EXECUTE_ARGS) || status=$$?; \
	    pages=$$($(_html_fallback_pages)) || exit $$?; \
	    if [ -n "$$pages" ]; then \
	        echo "$(POLYBOOK) execute --no-split --lang $(HTML_SOURCE_LANG) --framework $(FRAMEWORK) <pages $(BOOK_LANG) lacks>"; \
	        $(POLYBOOK) execute --no-split --lang $(HTML_SOURCE_LANG) --framework $(FRAMEWORK) \
	            $(HTML_EXECUTE_ARGS) $$pages || status=$$?; \
	    fi; \
	else \
	    echo "rendering without execution (no outputs)"; \
	fi;

## html-build: split -> execute -> render $(BOOK_LANG)/$(FRAMEWORK), each stage once
# A failed execution still renders (with the outputs that exist), then fails.
html-build: venv mathjax
	$(POLYBOOK) split --lang $(BOOK_LANG) --framework all
	$(_html_source_split)
	@status=0; \
	$(_execute_for_site) \
	echo "$(POLYBOOK) build html --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) $(HTML_ARGS)"; \
	$(POLYBOOK) build html --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) \
	    --mathjax $(MATHJAX_DIR) $(HTML_ARGS) || exit $$?; \
	if [ $$status -ne 0 ]; then \
	    echo "html: execution failed (status $$status); the site shows the outputs that exist" >&2; \
	fi; \
	exit $$status

## html-render: render what is there (split and executed notebooks), nothing else
html-render: venv mathjax
	$(POLYBOOK) build html --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) \
	    --mathjax $(MATHJAX_DIR) $(HTML_ARGS)

## bench-html: full build and one-line-edit rebuild times of $(BOOK_LANG)/$(FRAMEWORK)
bench-html: venv mathjax
	$(or $(BIN),.venv/bin)/python bench/bench_html.py --lang $(BOOK_LANG) --framework $(FRAMEWORK)

ifndef HTML_WIRED
.PHONY: html
html: html-build
endif
