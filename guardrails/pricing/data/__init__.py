"""The bundled price catalog (catalog/: index.json and one shard per provider and region): data
only, read by guardrails.pricing.catalog and built by guardrails.pricing.build_bundled."""
