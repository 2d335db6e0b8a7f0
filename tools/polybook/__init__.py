"""polybook: build toolchain for multi-framework, multi-language literate books."""

__version__ = "0.1.0"
