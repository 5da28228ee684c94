"""Where MIMIC-IV data is read from, for every command: release directories (layout, parse), databases (naming,
listing, read-only connections) and the engine a SOURCE argument names."""
