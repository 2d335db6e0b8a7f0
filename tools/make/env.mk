# tools/make/env.mk -- per-framework execution environments (venv + Jupyter kernel).
#
# Included by the top-level Makefile, or used on its own:
#     make -f tools/make/env.mk env FRAMEWORK=jax
#     make -f tools/make/env.mk env-all
#
# For each framework F this builds $(ENVS_DIR)/F/ as a virtualenv from
# $(REQUIREMENTS_DIR)/F.txt, registers the Jupyter kernel "polybook-F" inside
# that prefix ($(ENVS_DIR)/F/share/jupyter/kernels/polybook-F/kernel.json) and
# drops a .pth file so that the repository's d2l/ package and polybook's tab
# runtime (`%load_ext polybook.tab`; `d2lbook.tab` when no d2lbook is
# installed: polybook/tab/fallback.py) are importable.
# A stamp file $(ENVS_DIR)/F/.installed makes it idempotent: the env is only
# re-installed when the requirement file (or this fragment) changes.
#
# Variables useful to the including Makefile (all for the current FRAMEWORK):
#   ENV_DIR          the env prefix, e.g. _envs/pytorch
#   ENV_PYTHON       absolute path of the env's python
#   ENV_KERNEL       kernel name, polybook-$(FRAMEWORK)
#   ENV_JUPYTER_PATH directory to put on JUPYTER_PATH so that a Jupyter client
#                    (nbclient, jupyter-book, ...) running elsewhere finds the kernel
#   ENV_RUN          "env <sane locale> <framework vars> <python>": run a script
#                    in the env the same way the kernel would
#   ENV_STAMP        the stamp file; depend on it to get the env built first

# Remember whether we are the top-level makefile and what the default goal was,
# so that including this fragment does not hijack the includer's default goal.
_ENV_MK_FILE := $(abspath $(lastword $(MAKEFILE_LIST)))
_ENV_MK_STANDALONE := $(if $(filter $(_ENV_MK_FILE),$(abspath $(firstword $(MAKEFILE_LIST)))),yes,)
_ENV_MK_SAVED_GOAL := $(.DEFAULT_GOAL)

PYTHON ?= python3
FRAMEWORK ?= pytorch
FRAMEWORKS ?= pytorch mxnet tensorflow jax
ENVS_DIR ?= _envs
REQUIREMENTS_DIR ?= _config/requirements
# Repository root (the directory containing d2l/), derived from this file's
# location so that it is right even with `make -C` or `make -f`.
POLYBOOK_ROOT ?= $(abspath $(dir $(_ENV_MK_FILE))../..)

# `make html LANG=id` makes LANG a command-line variable, which make exports to
# every recipe; an invalid/unexpected locale must not reach pip or python.
SANE_LOCALE := LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE=

# Importable module that proves the framework is installed.
ENV_MODULE_pytorch ?= torch
ENV_MODULE_mxnet ?= mxnet
ENV_MODULE_tensorflow ?= tensorflow
ENV_MODULE_jax ?= jax

# Environment variables baked into each kernel spec (and into ENV_RUN),
# as NAME=VALUE words. They keep notebook outputs free of runtime log noise.
ENV_VARS_pytorch ?=
ENV_VARS_mxnet ?=
ENV_VARS_tensorflow ?= TF_CPP_MIN_LOG_LEVEL=2
# JAX_PLATFORMS is set by the executor (cpu only when a kernel gets no GPU)
ENV_VARS_jax ?=
ENV_VARS_COMMON ?=

# Extra flags for `pip install -r` (e.g. ENV_PIP_FLAGS= for the full log).
ENV_PIP_FLAGS ?= --quiet --progress-bar off

# Kernel display name, e.g. "polybook (pytorch)".
ENV_DISPLAY_NAME ?= polybook ($(1))

ENV_DIR = $(ENVS_DIR)/$(FRAMEWORK)
ENV_PYTHON = $(abspath $(ENVS_DIR)/$(FRAMEWORK))/bin/python
ENV_KERNEL = polybook-$(FRAMEWORK)
ENV_JUPYTER_PATH = $(abspath $(ENVS_DIR)/$(FRAMEWORK))/share/jupyter
ENV_STAMP = $(ENVS_DIR)/$(FRAMEWORK)/.installed
ENV_RUN = env $(SANE_LOCALE) $(ENV_VARS_COMMON) $(ENV_VARS_$(FRAMEWORK)) $(ENV_PYTHON)

# $(call _env_kernel_flags,fw): NAME=VALUE words -> --env NAME VALUE
_env_kernel_flags = $(foreach kv,$(ENV_VARS_COMMON) $(ENV_VARS_$(1)),--env $(firstword $(subst =, ,$(kv))) "$(patsubst $(firstword $(subst =, ,$(kv)))=%,%,$(kv))")

.PHONY: env env-all env-check env-check-all env-clean _env-unknown-framework $(addprefix env-,$(FRAMEWORKS)) $(addprefix env-check-,$(FRAMEWORKS))

## env: build the environment for $(FRAMEWORK)
env: $(if $(wildcard $(REQUIREMENTS_DIR)/$(FRAMEWORK).txt),$(ENVS_DIR)/$(FRAMEWORK)/.installed,_env-unknown-framework)

_env-unknown-framework:
	@echo "env.mk: no $(REQUIREMENTS_DIR)/$(FRAMEWORK).txt for FRAMEWORK=$(FRAMEWORK) (known: $(FRAMEWORKS))" >&2; exit 1

## env-all: build the environments for all $(FRAMEWORKS)
env-all: $(addprefix env-,$(FRAMEWORKS))

$(addprefix env-,$(FRAMEWORKS)): env-%: $(ENVS_DIR)/%/.installed

$(ENVS_DIR)/%/.installed: $(REQUIREMENTS_DIR)/%.txt $(_ENV_MK_FILE)
	@echo "==> [$*] environment $(abspath $(ENVS_DIR)/$*)"
	@test -x $(ENVS_DIR)/$*/bin/python || env $(SANE_LOCALE) $(PYTHON) -m venv $(ENVS_DIR)/$*
	env $(SANE_LOCALE) $(abspath $(ENVS_DIR)/$*)/bin/python -m pip install --disable-pip-version-check $(ENV_PIP_FLAGS) -r $<
	env $(SANE_LOCALE) $(abspath $(ENVS_DIR)/$*)/bin/python -m ipykernel install \
	    --prefix $(abspath $(ENVS_DIR)/$*) --name polybook-$* \
	    --display-name "$(call ENV_DISPLAY_NAME,$*)" $(call _env_kernel_flags,$*)
	@site=$$(env $(SANE_LOCALE) $(ENVS_DIR)/$*/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
	    && env $(SANE_LOCALE) PYTHONPATH="$(POLYBOOK_ROOT)/tools" $(ENVS_DIR)/$*/bin/python -m polybook.tab.fallback "$(POLYBOOK_ROOT)" > "$$site/polybook.pth" \
	    && echo "    $$site/polybook.pth -> $(POLYBOOK_ROOT)"
	@env $(SANE_LOCALE) $(ENVS_DIR)/$*/bin/python -m pip check
	@touch $@
	@echo "==> [$*] ready: kernel polybook-$*"

## env-check: smoke-test the $(FRAMEWORK) environment
env-check: env-check-$(FRAMEWORK)
env-check-all: $(addprefix env-check-,$(FRAMEWORKS))

$(addprefix env-check-,$(FRAMEWORKS)): env-check-%: $(ENVS_DIR)/%/.installed
	@cd $(ENVS_DIR) && env $(SANE_LOCALE) $(ENV_VARS_COMMON) $(ENV_VARS_$*) ./$*/bin/python -c '\
	import sys, os, json, importlib; \
	m = importlib.import_module("$(ENV_MODULE_$*)"); \
	from sklearn.datasets import load_digits; X, y = load_digits(return_X_y=True); assert X.shape == (1797, 64); \
	import matplotlib, matplotlib_inline, ipykernel; \
	assert "$(POLYBOOK_ROOT)" in sys.path, "polybook.pth missing"; \
	k = json.load(open(os.path.join(sys.prefix, "share/jupyter/kernels/polybook-$*/kernel.json"))); \
	assert os.path.samefile(k["argv"][0], sys.executable), k["argv"]; \
	print("[$*] ok:", m.__name__, m.__version__, "| numpy", __import__("numpy").__version__, "| kernel", k["display_name"])'

## env-clean: remove the $(FRAMEWORK) environment
env-clean:
	rm -rf $(ENVS_DIR)/$(FRAMEWORK)

# Restore the includer's default goal; standalone, `make -f env.mk` means `env`.
ifeq ($(_ENV_MK_STANDALONE),yes)
.DEFAULT_GOAL := env
else
.DEFAULT_GOAL := $(_ENV_MK_SAVED_GOAL)
endif
