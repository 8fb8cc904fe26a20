"""Offline pricing: a dated catalog in the package, and one cost model module per provider."""
