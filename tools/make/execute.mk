# tools/make/execute.mk -- execute the book's notebooks (polybook execute).
#
# Included by the top-level Makefile (after tools/make/env.mk):
#     make notebooks LANG=id FRAMEWORK=pytorch     env + split + execute, one framework
#     make notebooks FRAMEWORK=all EXECUTE_JOBS=2  every framework of the language
#     make cache-stats | cache-verify | cache-prune
#
# Uses from the includer: BOOK_LANG (the book language; LANG is the locale
# there), FRAMEWORK, POLYBOOK, the `venv` target, and env.mk's `env`/`env-all`.
# Outputs: _build/executed/$(BOOK_LANG)/<framework>/... and, per run, a JSON
# report and a JUnit report under $(EXECUTE_REPORTS).

BOOK_LANG ?= en
FRAMEWORK ?= pytorch
POLYBOOK ?= .venv/bin/polybook

EXECUTE_JOBS ?= 1
# e.g. EXECUTE_ARGS='--keep-going' or '--scheduler dask --address tcp://host:8786'
EXECUTE_ARGS ?=
EXECUTE_REPORTS ?= _build/reports
EXECUTE_REPORT ?= $(EXECUTE_REPORTS)/execute-$(BOOK_LANG)-$(FRAMEWORK).json
EXECUTE_JUNIT ?= $(EXECUTE_REPORTS)/junit-$(BOOK_LANG)-$(FRAMEWORK).xml
# the framework environments `notebooks` needs
_EXECUTE_ENV_GOAL = $(if $(filter all,$(FRAMEWORK)),env-all,env)

.PHONY: notebooks execute cache-stats cache-verify cache-prune

## notebooks: build the environment(s), split and execute $(BOOK_LANG)/$(FRAMEWORK)
notebooks: venv $(_EXECUTE_ENV_GOAL)
	$(POLYBOOK) split --lang $(BOOK_LANG) --framework $(FRAMEWORK)
	$(POLYBOOK) execute --no-split --lang $(BOOK_LANG) --framework $(FRAMEWORK) \
	    --jobs $(EXECUTE_JOBS) --report $(EXECUTE_REPORT) --junit $(EXECUTE_JUNIT) \
	    $(EXECUTE_ARGS)

## execute: execute without (re)building environments
execute: venv
	$(POLYBOOK) execute --lang $(BOOK_LANG) --framework $(FRAMEWORK) \
	    --jobs $(EXECUTE_JOBS) --report $(EXECUTE_REPORT) --junit $(EXECUTE_JUNIT) \
	    $(EXECUTE_ARGS)

cache-stats: venv
	$(POLYBOOK) cache stats

cache-verify: venv
	$(POLYBOOK) cache verify

cache-prune: venv
	$(POLYBOOK) cache prune
