"""kubernetes: see docs/architecture.md."""
