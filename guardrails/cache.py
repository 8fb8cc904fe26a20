"""Where guardrails may keep caches between runs (GUARDRAILS_CACHE_DIR, else XDG)."""
from __future__ import annotations

import functools
import os
from pathlib import Path


@functools.lru_cache(maxsize=None)
def cache_dir() -> Path | None:
    """A writable cache directory, or None to run without a cache (read-only home, --no-cache)."""
    if os.environ.get("GUARDRAILS_NO_CACHE"):
        return None
    configured = os.environ.get("GUARDRAILS_CACHE_DIR")
    if configured:
        base = Path(configured)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "guardrails"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base if os.access(base, os.W_OK) else None
