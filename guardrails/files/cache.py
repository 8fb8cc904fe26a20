"""Where guardrails may keep caches between runs (GUARDRAILS_CACHE_DIR, else XDG)."""
from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

_refused: list[str] = []  # why a configured cache directory is not used, for a note


@functools.lru_cache(maxsize=None)
def cache_dir() -> Path | None:
    """A writable cache directory, or None to run without a cache (read-only home, --no-cache).

    A directory someone else owns, or that others may write to, is refused: whoever can write an
    entry decides what we read back, so only our own, private directory is trusted that far.
    """
    if os.environ.get("GUARDRAILS_NO_CACHE"):
        return None
    configured = os.environ.get("GUARDRAILS_CACHE_DIR")
    if configured:
        base = Path(configured)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "guardrails"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(base)
    except OSError:
        return None
    problem = unsafe(info)
    if problem:
        _refused.append(f"the cache directory {base} {problem}: running without a cache")
        return None
    return base if os.access(base, os.W_OK) else None


def unsafe(info: os.stat_result) -> str:
    """Why a directory with this status may hold entries we did not write; empty when it is ours."""
    if not stat.S_ISDIR(info.st_mode):
        return "is not a directory"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by its group or by others (chmod go-w)"
    return ""


def refusal() -> str:
    """Why the cache directory was refused in this run, or an empty string."""
    cache_dir()
    return _refused[0] if _refused else ""
