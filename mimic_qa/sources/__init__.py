"""Where MIMIC-IV data can be read from: release directories and databases."""
