"""The rule types: one module per type, listed in `registry` (see there for what a module declares)."""
