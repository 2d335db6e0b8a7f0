# tools/make/pdf.mk -- the PDF of one language and framework (polybook build pdf).
#
# Included by the top-level Makefile (after env.mk, execute.mk and render.mk):
#     make pdf LANG=vi FRAMEWORK=mxnet     _build/pdf/vi/mxnet/<name>.pdf
#     make pdf-render                      LaTeX from what is there: no split, no execution
#     make pdf-deps                        the Debian packages the PDF needs (apt-get)
#     make bench-pdf                       cold / nothing-changed / one-line-edit timings
#
# Uses from the includer: BOOK_LANG (the book language; LANG is the locale
# there), FRAMEWORK, POLYBOOK, BIN, the `venv` target, and render.mk's
# HTML_SOURCE_LANG, HTML_EXECUTE, HTML_EXECUTE_ARGS, _html_source_split and
# _html_fallback_pages (a PDF reads the same pages as the site of its language).
#
# `pdf-build` runs each stage once, as html-build does: split (the language and,
# for a translation, the source language), execute (cached; the pages a
# translation lacks too), then `polybook build pdf --no-split`. It does not
# install TeX: `make pdf-deps` does (root), and polybook names each missing
# Debian package when something is missing.

BOOK_LANG ?= en
FRAMEWORK ?= pytorch
POLYBOOK ?= .venv/bin/polybook

# Extra flags for `polybook build pdf`, e.g. PDF_ARGS=--strict
PDF_ARGS ?=
# TeX Live (xelatex, latexmk, the LaTeX packages Sphinx loads, hyphenation of
# French, Turkish and Indonesian), the Noto fonts, rsvg-convert for SVG figures,
# and poppler-utils (pdftotext, pdffonts, pdftoppm) for the tests' checks.
PDF_DEBS ?= texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended \
    texlive-lang-european texlive-lang-other texlive-lang-french \
    fonts-noto-core fonts-noto-mono librsvg2-bin poppler-utils

.PHONY: pdf-build pdf-render pdf-deps bench-pdf

## pdf-deps: install the Debian packages the PDF needs (only those missing)
# apt-get update runs only when the package lists cannot provide them (a
# fresh machine), so after `system-deps` it is not run twice.
pdf-deps:
	@missing=""; for p in $(PDF_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "pdf.mk: install the Debian packages$$missing (or their equivalents)" >&2; exit 1; \
	  elif [ "$$(id -u)" != 0 ]; then \
	    echo "pdf.mk: the PDF needs:$$missing (sudo apt-get install --no-install-recommends$$missing)" >&2; exit 1; \
	  fi; \
	  echo "pdf-deps: apt-get install$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || { \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; \
	fi

## pdf-build: split -> execute -> PDF of $(BOOK_LANG)/$(FRAMEWORK), each stage once
# A failed execution still builds the PDF (with the outputs that exist), then fails.
pdf-build: venv
	$(POLYBOOK) split --lang $(BOOK_LANG) --framework all
	$(_html_source_split)
	@status=0; \
	$(_execute_for_site) \
	echo "$(POLYBOOK) build pdf --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) $(PDF_ARGS)"; \
	$(POLYBOOK) build pdf --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) \
	    $(PDF_ARGS) || exit $$?; \
	if [ $$status -ne 0 ]; then \
	    echo "pdf: execution failed (status $$status); the PDF shows the outputs that exist" >&2; \
	fi; \
	exit $$status

## pdf-render: the PDF from what is there (split and executed notebooks), nothing else
pdf-render: venv
	$(POLYBOOK) build pdf --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) $(PDF_ARGS)

## bench-pdf: cold, nothing-changed and one-line-edit PDF builds (bench/bench_pdf.py)
bench-pdf: venv
	$(or $(BIN),.venv/bin)/python bench/bench_pdf.py --lang $(BOOK_LANG) --framework $(FRAMEWORK)

ifndef PDF_WIRED
.PHONY: pdf
pdf: pdf-build
endif
