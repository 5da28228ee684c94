"""A site's own gate: one configuration file (``mimic-qa.toml`` or ``[tool.mimic-qa]``) with every CLI default,
waivers, the site's tables and its local checks."""

from mimic_qa.config.file import CONFIG_NAME, find_config
from mimic_qa.config.local_checks import LocalChecks, SiteTable
from mimic_qa.config.model import SETTINGS, ConfigError, SiteConfig, load_config

__all__ = ["CONFIG_NAME", "SETTINGS", "ConfigError", "LocalChecks", "SiteConfig", "SiteTable", "find_config",
           "load_config"]
