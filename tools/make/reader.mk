# Contributors' and readers' targets (included at the end of the Makefile):
#   make preview LANG=en FRAMEWORK=pytorch [PAGE=chapter_cnn/lenet] [PORT=8000]
#       the site on http://127.0.0.1:PORT/, rebuilt on every save (polybook preview);
#       PREVIEW_ARGS=--no-execute shows the cached outputs and runs nothing
#   make reader-notebooks LANG=en FRAMEWORK=all
#       reader notebooks and their zips under _build/notebooks/<lang>/ (polybook build notebooks)
PORT ?= 8000
PAGE ?=
PREVIEW_ARGS ?=

.PHONY: preview reader-notebooks

preview: venv $(ENV_GOAL) mathjax
	$(POLYBOOK) preview $(PAGE) --lang $(BOOK_LANG) --framework $(FRAMEWORK) --port $(PORT) \
	    --mathjax $(MATHJAX_DIR) $(PREVIEW_ARGS)

reader-notebooks: venv
	$(POLYBOOK) build notebooks --lang $(BOOK_LANG) --framework $(FRAMEWORK)
