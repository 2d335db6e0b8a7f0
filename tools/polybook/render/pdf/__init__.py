"""The PDF: one per language and framework, from the HTML site's conversion.

Data flows one way:

    settings.py     the book's [pdf] settings (book.toml or a d2lbook config.ini), checked here
    languages.py    polyglossia's names of the languages, words LaTeX prints
    project.py      the PDF's conf.py: the site's settings plus LaTeX's
    generate.py     the PDF's Sphinx project: the site's pages, conf.py, bibliography, images
    sphinx_latex.py the Sphinx side: book structure, position markers, SVG -> PDF
    sphinx_run.py   Sphinx's LaTeX builder, incrementally, in this process
    latex.py        what LaTeX needs (Debian packages), latexmk + xelatex
    texlog.py       the LaTeX log -> problems at generated-page positions
    state.py        what the last complete PDF was built from (skip unchanged builds)
    build.py        the stage function tying them together
    command.py      `polybook build pdf`
"""
