"""The JSON report of DESIGN.md (guardrails.report/v1): stable keys, sorted, byte-identical."""
from __future__ import annotations

import json
from typing import Any

from guardrails.core.model import Report

SCHEMA = "guardrails.report/v1"


def as_dict(report: Report) -> dict[str, Any]:
    out = {
        "schema": SCHEMA,
        "verdict": report.verdict,
        "findings": [
            {
                "rule": f.rule, "type": f.type, "severity": f.severity, "resource": f.resource,
                "path": f.path, "file": f.file, "line": f.line, "message": f.message, "fix": f.fix,
                "status": f.status,
                # The Terraform root module the finding was evaluated in (null elsewhere): a module
                # called by two roots has one finding per root at the same file and line.
                "root": f.root or None,
            }
            for f in report.findings
        ],
        "cost": report.cost,
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in report.errors],
        "notes": [{"file": n.file, "message": n.message} for n in report.notes],
    }
    if report.suppressions_added is not None:  # diff only
        out["suppressions_added"] = [
            {"file": s.file, "line": s.line, "resource": s.resource, "rules": list(s.rules),
             "reason": s.reason, "kind": s.kind, "honoured": s.honoured}
            for s in report.suppressions_added
        ]
    return out


def render(report: Report, color: bool = False) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
