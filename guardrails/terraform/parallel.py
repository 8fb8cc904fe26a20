"""Parse many uncached Terraform files on every core before the (single-process) evaluation.

Parsing is the slow part of a cold run and each file parses on its own, so worker processes
parse the files the cache lacks and store them there; evaluation then reads them back. Only
with the `fork` start method (Linux), where workers inherit the compiled grammar instead of
building it again, and only when there is enough work to pay for the processes.
"""
from __future__ import annotations

import os
from typing import Sequence

from guardrails.files import parsecache

MIN_FILES = 24  # below this, starting processes costs more than it saves


def _parse_one(item: tuple[str, str]) -> None:
    from guardrails.terraform.hcl.parse import HclSyntaxError
    from guardrails.terraform.source import parse_hcl_file

    path, text = item
    try:
        parsecache.cached("terraform", path, text, lambda: parse_hcl_file(text, path))
    except (HclSyntaxError, RecursionError):
        pass  # the evaluation parses it again and reports the error with its line


def prewarm(files: Sequence[tuple[str, str]]) -> int:
    """Parse the files the cache lacks in parallel; the number handed to workers."""
    import multiprocessing  # not at module level: small runs never start processes

    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < MIN_FILES or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return 0
    if os.name != "posix":
        return 0
    todo = parsecache.missing("terraform", [(p, t) for p, t in files if not p.endswith(".json")])
    if len(todo) < MIN_FILES:
        return 0
    from guardrails.terraform.hcl.parse import _fast_backend, _parser

    if not _fast_backend():
        _parser()  # Lark's grammar compiled (or loaded) once here, inherited by every forked worker
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers) as pool:
            pool.map(_parse_one, todo, chunksize=max(1, len(todo) // (workers * 4)))
    except (OSError, multiprocessing.ProcessError):
        return 0  # no processes to be had: the evaluation parses them one by one
    return len(todo)
