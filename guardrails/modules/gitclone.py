"""Cloning a git module source without running anything from it.

git is run with every transport refused but https and ssh (and file, only when the user allows
local sources), so `ext::` and other command-running transports never start; no hooks
(`core.hooksPath` is empty), no submodules, no filters or fsmonitor from the clone, and symbolic
links checked out as plain files, so the module cannot point outside itself. The clone is
shallow where the ref allows, bounded in time, and its `.git` is never copied.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

TIMEOUT = 300.0  # seconds for one git command


class CloneError(RuntimeError):
    """A clone that failed; the message is git's last line, without credentials."""


def _config(allow_local: bool) -> list[str]:
    protocols = ["https", "ssh"] + (["file"] if allow_local else [])
    options = ["protocol.allow=never"] + [f"protocol.{p}.allow=always" for p in protocols] + [
        f"core.hooksPath={os.devnull}", "core.symlinks=false", "core.fsmonitor=false",
        "submodule.recurse=false", "advice.detachedHead=false", "init.defaultBranch=main",
    ]
    return [item for option in options for item in ("-c", option)]


def _environment(allow_local: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update({
        "GIT_TERMINAL_PROMPT": "0",  # never wait for a password
        "GIT_ALLOW_PROTOCOL": "https:ssh" + (":file" if allow_local else ""),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_LFS_SKIP_SMUDGE": "1",
    })
    return env


def _run(args: list[str], cwd: Path | None, allow_local: bool) -> None:
    try:
        done = subprocess.run(["git", *_config(allow_local), *args], cwd=cwd, env=_environment(allow_local),
                              capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise CloneError(f"git {args[0]} took longer than {TIMEOUT:g} s") from None
    except OSError as exc:
        raise CloneError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        lines = [line for line in (done.stderr or "").splitlines() if line.strip()]
        raise CloneError(_scrub(lines[-1] if lines else f"git {args[0]} failed ({done.returncode})"))


def _scrub(text: str) -> str:
    # A URL with a token in it (https://user:token@host/...) is never echoed.
    return re.sub(r"://[^/@\s]+@", "://***@", text)


def clone(url: str, ref: str, target: Path, allow_local: bool) -> None:
    """Check out `ref` (a branch, a tag or a commit; the default branch when empty) of `url` into `target`."""
    if url.startswith("-"):
        raise CloneError(f"{url!r} is not a repository address")
    if ref.startswith("-"):
        raise CloneError(f"ref {ref!r} is not a git ref")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _run(["clone", "--quiet", "--depth", "1", "--no-tags", *(["--branch", ref] if ref else []),
              "--", url, str(target)], None, allow_local)
        return
    except CloneError:
        if not ref or not re.fullmatch(r"[0-9a-fA-F]{7,40}", ref):
            raise
    # A commit is not a branch: fetch the whole history and check it out.
    _remove(target)
    _run(["clone", "--quiet", "--no-checkout", "--", url, str(target)], None, allow_local)
    _run(["checkout", "--quiet", "--detach", ref, "--"], target, allow_local)


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
