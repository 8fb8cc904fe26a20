"""Writes usage.schema.json from the table of usage keys, so that the schema documents every key
(an editor's YAML language server offers them) and cannot drift from what the models read.

    python -m guardrails.policy.usage_schema      # rewrites guardrails/policy/usage.schema.json

The schema checks shapes (a number or a mapping of numbers, never negative); the loader checks
each key against its type, where it can name the keys the type has.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from guardrails.pricing.usage_keys import MEANINGS, TEXT_KEYS, USAGE_KEYS

PATH = Path(__file__).with_name("usage.schema.json")


def schema() -> dict[str, Any]:
    types = {
        rtype: {"$ref": "#/$defs/quantities",
                "properties": {key: _key(key) for key in keys}}
        for rtype, keys in sorted(USAGE_KEYS.items())
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://guardrails.dev/schemas/usage.schema.json",
        "title": "guardrails usage file",
        "description": "Quantities for usage-based cost components (data processed, requests, storage, job runs), "
                       "per resource address or per resource type. The keys of each type are listed under "
                       "defaults; a key its type does not have is an error.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version"],
        "properties": {
            "version": {"const": 1},
            "defaults": {
                "description": "Usage for every resource of a type, e.g. aws_nat_gateway: {monthly_data_processed_gb: 100}.",
                "type": "object",
                "properties": types,
                "additionalProperties": {"$ref": "#/$defs/quantities"},
            },
            "resources": {
                "description": "Usage for one resource address (aws_nat_gateway.main covers every instance of it); "
                               "the keys are those of the address's type, listed under defaults.",
                "type": "object",
                "additionalProperties": {"$ref": "#/$defs/quantities"},
            },
        },
        "$defs": {
            "quantities": {
                "type": "object",
                "additionalProperties": {
                    "description": "A quantity, quantities by kind (e.g. storage_gb: {standard: 100}), or for "
                                   "a few keys a word (architecture: arm64).",
                    "type": ["number", "object", "string"],
                    "minimum": 0,
                    "additionalProperties": {"type": "number", "minimum": 0},
                },
            },
        },
    }


def _key(key: str) -> dict[str, Any]:
    if key in TEXT_KEYS:
        return {"description": MEANINGS[key], "enum": list(TEXT_KEYS[key])}
    return {"description": MEANINGS[key]}


def text() -> str:
    return json.dumps(schema(), indent=2) + "\n"


def main() -> int:
    PATH.write_text(text(), encoding="utf-8")
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
