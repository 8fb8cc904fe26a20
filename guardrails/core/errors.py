"""Errors meant for the user; the CLI maps them to exit codes."""
from __future__ import annotations


class UsageError(Exception):
    """Bad arguments or inputs the user must fix: exit 2, one line, no traceback."""
