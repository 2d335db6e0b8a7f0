"""The render stage: split (or executed) notebooks -> a Sphinx project -> HTML.

Data flows one way:

    inputs.py    which notebook feeds each page of a site (executed outputs merged in)
    blocks.py    DIALECT roles and marks -> MyST, line by line (with inline.py)
    document.py  one page's notebooks -> one generated notebook + its position map
    project.py   the generated Sphinx source tree (written only where it changed)
    sphinx_ext.py  the Sphinx side: framework tab sets, switchers
    warnings.py  Sphinx warnings -> diagnostics at book positions
    build.py     the stage function tying them together

The conversion only rewrites syntax; references are resolved by Sphinx, and
what Sphinx cannot resolve is mapped back to the book page by warnings.py.
"""
