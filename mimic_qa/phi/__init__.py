"""Residual-PHI scanning of MIMIC-IV free text (Presidio, MIMIC-aware)."""

import os

# Presidio's e-mail recognizer uses tldextract, which fetches the public suffix list on first use unless
# told to use its bundled copy. Set before any submodule imports Presidio (the gate and recognizers do).
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
