"""Configuration stage: one validated BookConfig.

pydantic looks for third-party plugins (an entry-point scan of every installed
distribution, ~7 ms of every command's start) when it builds a model's
validator. The configuration's models use none, so the scan is skipped while
they are built, through pydantic's own switch (`PYDANTIC_DISABLE_PLUGINS`),
set for that moment only: the environment is as it was afterwards, and
whatever else builds pydantic models later (in this process, or the kernels
it starts) finds its plugins as usual.
"""

import os

_SWITCH = "PYDANTIC_DISABLE_PLUGINS"
_before = os.environ.get(_SWITCH)
os.environ[_SWITCH] = "__all__"
try:
    from polybook.config.load import ConfigError, load_book_config, load_config
    from polybook.config.model import BookConfig, FrameworkConfig, LanguageConfig
    from polybook.config.source import ConfigSource
finally:
    if _before is None:
        del os.environ[_SWITCH]
    else:
        os.environ[_SWITCH] = _before

__all__ = [
    "BookConfig",
    "ConfigError",
    "ConfigSource",
    "FrameworkConfig",
    "LanguageConfig",
    "load_book_config",
    "load_config",
]
