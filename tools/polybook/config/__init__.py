"""Configuration stage: one validated BookConfig."""

from polybook.config.load import ConfigError, load_config
from polybook.config.model import BookConfig, FrameworkConfig, LanguageConfig

__all__ = ["BookConfig", "ConfigError", "FrameworkConfig", "LanguageConfig", "load_config"]
