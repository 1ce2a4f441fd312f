"""One module per claim. Modules are imported in name order, which is the board's order; a module
whose name starts with ``_`` is a helper shared by several claims, not a claim."""
