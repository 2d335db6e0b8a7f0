"""Configuration stage: one validated BookConfig."""

from polybook.config.load import ConfigError, load_book_config, load_config
from polybook.config.model import BookConfig, FrameworkConfig, LanguageConfig
from polybook.config.source import ConfigSource

__all__ = [
    "BookConfig",
    "ConfigError",
    "ConfigSource",
    "FrameworkConfig",
    "LanguageConfig",
    "load_book_config",
    "load_config",
]
