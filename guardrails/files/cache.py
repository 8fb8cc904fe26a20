"""Where guardrails may keep caches between runs (GUARDRAILS_CACHE_DIR, else XDG)."""
from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

_refused: list[str] = []  # why a configured cache directory is not used, for a note


@dataclass(frozen=True)
class CacheSettings:
    """Whether to keep caches, and where: what `--no-cache` and the user's environment say."""

    enabled: bool = True
    directory: Path | None = None  # None: $XDG_CACHE_HOME/guardrails, else ~/.cache/guardrails

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> "CacheSettings":
        """The documented user settings: GUARDRAILS_CACHE_DIR, GUARDRAILS_NO_CACHE, XDG_CACHE_HOME."""
        configured = environ.get("GUARDRAILS_CACHE_DIR")
        if configured:
            directory = Path(configured)
        else:
            xdg = environ.get("XDG_CACHE_HOME")
            directory = (Path(xdg) if xdg else Path.home() / ".cache") / "guardrails"
        return cls(enabled=not environ.get("GUARDRAILS_NO_CACHE"), directory=directory)


_configured: list[CacheSettings] = []


def configure(settings: CacheSettings) -> None:
    """Set the cache settings of this process (the CLI does, once per run, from its options)."""
    _configured[:] = [settings]
    _refused.clear()
    cache_dir.cache_clear()


def current_settings() -> CacheSettings:
    """What `configure` set; without it (the library used directly), the user's environment."""
    return _configured[0] if _configured else CacheSettings.from_environment(os.environ)


@functools.lru_cache(maxsize=None)
def cache_dir() -> Path | None:
    """A writable cache directory, or None to run without a cache (read-only home, --no-cache).

    A directory someone else owns, or that others may write to, is refused: whoever can write an
    entry decides what we read back, so only our own, private directory is trusted that far.
    """
    settings = current_settings()
    if not settings.enabled:
        return None
    base = settings.directory or CacheSettings.from_environment(os.environ).directory
    assert base is not None
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
