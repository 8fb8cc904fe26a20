"""How a path into a document is spelled: `spec.containers[0].resources`, `metadata.labels["app.kubernetes.io/name"]`.

One spelling for YAML line tables, policy errors and findings, so that a path in a finding can
be looked up in the line table of the file it came from.
"""
from __future__ import annotations

import json
import re
from typing import Any

from guardrails.core.model import is_unknown

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-/]+\Z")


def join_path(path: str, key: Any) -> str:
    """`path` extended by the map key `key`, spelled as `lines` spells it."""
    return _join(path, _step(key))


def _step(key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return "." + key
    quoted = json.dumps(key if isinstance(key, str) else str(key), ensure_ascii=False)
    # Characters Python (and some viewers) take as line ends: a path is always shown on one line.
    return "[" + quoted.translate(_LINE_ENDS) + "]"


_LINE_ENDS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _join(path: str, step: str) -> str:
    if path:
        return path + step
    return step[1:] if step[0] == "." else step


def get_path(value: Any, path: str) -> Any:
    """Walk a dotted path (`a.b.c`) through nested dicts; a missing step gives None."""
    for step in path.split("."):
        if is_unknown(value):
            return value
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value
