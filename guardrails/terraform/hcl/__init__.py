"""hcl: see docs/architecture.md."""
