"""The GitHub Action's bookkeeping: step outputs and the job summary from a finished run.

`python -m guardrails.integrations.action publish --report report.json --markdown report.md --sarif guardrails.sarif
--exit-code N` reads what `guardrails diff` wrote and appends to the files the runner names in
GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. It lives here, not in action.yml, so that reading JSON and
quoting values is Python's job rather than the shell's, and so that it is tested like the rest.

A run that ended before writing its report (a policy error, an internal error) still gets
outputs: verdict `error`, and empty paths for what does not exist.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from guardrails.report.cut import cut_to

SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's summary
CUT_NOTE = ("\n\n---\n*This summary was cut to fit GitHub's 1 MiB step summary limit; "
            "the `report` output (JSON) and the step log have all of it.*\n")
OUTPUT_NAMES = ("verdict", "monthly-delta", "report", "sarif", "markdown", "exit-code")


class ActionError(Exception):
    """Something the step cannot do, with a message for the log."""


def outputs(report: Mapping[str, Any] | None, report_path: str, markdown_path: str, sarif_path: str,
            exit_code: int) -> dict[str, str]:
    """The action's outputs for a run: `report` is the parsed JSON report, None when there is none."""
    delta = _monthly_delta(report) if report is not None else None
    verdict = report.get("verdict") if report is not None else None
    return {
        "verdict": verdict if isinstance(verdict, str) and verdict else "error",
        "monthly-delta": "" if delta is None else f"{delta:.2f}",
        "report": report_path if report is not None else "",
        "sarif": sarif_path if sarif_path and Path(sarif_path).is_file() else "",
        "markdown": markdown_path if markdown_path and Path(markdown_path).is_file() else "",
        "exit-code": str(exit_code),
    }


def _monthly_delta(report: Mapping[str, Any]) -> float | None:
    cost = report.get("cost")
    monthly = cost.get("monthly") if isinstance(cost, dict) else None
    delta = monthly.get("delta") if isinstance(monthly, dict) else None
    # bool is an int to Python, never a cost to us
    return float(delta) if isinstance(delta, (int, float)) and not isinstance(delta, bool) else None


def output_text(values: Mapping[str, str]) -> str:
    """Lines for GITHUB_OUTPUT: `name=value`, or the delimiter form when a value spans lines."""
    lines = []
    for name, value in values.items():
        if "\n" in value or "\r" in value:
            delimiter = _delimiter(value)
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            lines.append(f"{name}={value}\n")
    return "".join(lines)


def _delimiter(value: str) -> str:
    # Random, so that no value (a report is user text) can end the block early.
    while True:
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        if delimiter not in value:
            return delimiter


def summary_text(markdown: str | None, exit_code: int, limit: int = SUMMARY_LIMIT) -> str:
    """The job summary: the markdown report cut at a line end to fit `limit` UTF-8 bytes."""
    if markdown is None or not markdown.strip():
        return (f"### guardrails could not judge this change\n\nguardrails ended with exit code {exit_code} "
                "before writing its report; the step log says why.\n")
    text = markdown if markdown.endswith("\n") else markdown + "\n"
    return cut_to(text, limit, CUT_NOTE, "bytes", closers_end_lines=True)


def read_report(path: str) -> dict[str, Any] | None:
    """The JSON report at `path`, or None when the run wrote none (or something that is not one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_markdown(path: str) -> str | None:
    """The markdown report at `path`, or None when the run wrote none."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def publish(report_path: str, markdown_path: str, sarif_path: str, exit_code: int,
            env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Append the outputs to GITHUB_OUTPUT and the summary to GITHUB_STEP_SUMMARY; return the outputs."""
    output_file, summary_file = env.get("GITHUB_OUTPUT"), env.get("GITHUB_STEP_SUMMARY")
    if not output_file or not summary_file:
        raise ActionError("GITHUB_OUTPUT and GITHUB_STEP_SUMMARY must name files: run this inside a GitHub Actions step")
    values = outputs(read_report(report_path), report_path, markdown_path, sarif_path, exit_code)
    _append(output_file, output_text(values))
    _append(summary_file, summary_text(read_markdown(markdown_path), exit_code))
    return values


def _append(path: str, text: str) -> None:
    try:
        # newline="\n": the runner reads the delimiter lines byte for byte, on Windows too
        with open(path, "a", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError as exc:
        raise ActionError(f"cannot write {path}: {exc.strerror or exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guardrails.integrations.action",
                                     description="Bookkeeping for the guardrails GitHub Action.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("publish", help="write the step outputs and the job summary of a finished run")
    run.add_argument("--report", required=True, help="the JSON report the run wrote (may be missing)")
    run.add_argument("--markdown", required=True, help="the markdown report the run wrote (may be missing)")
    run.add_argument("--sarif", default="", help="the SARIF report the run wrote (may be missing)")
    run.add_argument("--exit-code", type=int, required=True, help="the exit code of guardrails")
    args = parser.parse_args(argv)
    try:
        publish(args.report, args.markdown, args.sarif, args.exit_code)
    except ActionError as exc:
        from guardrails.report.github import data

        print(f"::error title=guardrails::{data(str(exc))}", file=sys.stdout)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
