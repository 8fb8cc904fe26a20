"""The AWS database and analytics types the newer service modules price (Aurora, DocumentDB,
Neptune, Redshift, DynamoDB, MemoryDB, OpenSearch, MSK, MQ, Kinesis), registered here so that
these services and the network and account fees (fees_table.py) are added side by side; models.py
merges both tables. A type is listed only once its cost model is tested against a published price.
"""
from __future__ import annotations

from guardrails.pricing.aws.common import ModelFunction

MODELS: dict[str, ModelFunction] = {}
