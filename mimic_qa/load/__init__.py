"""Load a MIMIC-IV release directory into a database with mimic-code's layout (DDL from the spec)."""
