"""Residual-PHI scanning of MIMIC-IV free text (Presidio, MIMIC-aware)."""
