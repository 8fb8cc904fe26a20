"""Reporters: each turns a finished Report into text, never computing anything itself."""
from __future__ import annotations

import importlib
from typing import Callable

from guardrails.core.model import Report

FORMATS: dict[str, str] = {
    "text": "guardrails.report.text",
    "json": "guardrails.report.json_report",
    "markdown": "guardrails.report.markdown",
    "sarif": "guardrails.report.sarif",
    "junit": "guardrails.report.junit",
    "gitlab": "guardrails.report.gitlab",
    "github": "guardrails.report.github",
}
# `guardrails cost` shows a table where `check` shows findings.
COST_FORMATS: dict[str, str] = {**FORMATS, "text": "guardrails.report.cost_text"}
# `guardrails diff` shows the change: a cost delta table and findings split new and existing.
DIFF_FORMATS: dict[str, str] = {**FORMATS, "text": "guardrails.report.diff_text"}


def render(report: Report, fmt: str, color: bool = False, formats: dict[str, str] = FORMATS) -> str:
    module = importlib.import_module(formats[fmt])
    renderer: Callable[..., str] = module.render
    return renderer(report, color=color)
