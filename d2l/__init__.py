"""The library of "Deep Learning, Four Ways", generated from the book by `polybook lib`."""
__version__ = "0.1.0"
