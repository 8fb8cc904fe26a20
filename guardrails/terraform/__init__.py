"""terraform: see docs/architecture.md."""
