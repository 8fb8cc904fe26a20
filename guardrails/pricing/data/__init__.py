"""The bundled price catalog (catalog.json.gz): data only, read by guardrails.pricing.catalog."""
