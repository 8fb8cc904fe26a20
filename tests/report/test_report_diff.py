import re

import pytest

from guardrails.core.model import Finding, InputError, Note, Report
from guardrails.report import diff_text, markdown


def priced(address, change, before, after, summary="", unpriced=None, file="infra/main.tf", line=1):
    delta = None if unpriced else round((after or 0) - (before or 0), 2)
    return {
        "address": address, "type": address.split(".")[0], "file": file, "line": line,
        "change": change, "summary": summary,
        "monthly": {"before": before, "after": after, "delta": delta},
        "components": [], "unpriced": unpriced, "notes": [],
    }


COST = {
    "currency": "USD",
    "monthly": {"before": 1240.0, "after": 1770.64, "delta": 530.64},
    "resources": [
        priced("aws_db_instance.main", "unchanged", 1170.0, 1170.0),
        priced("aws_ebs_volume.data", "added", None, 70.08),
        priced("aws_instance.old", "removed", 30.0, None),
        priced("aws_instance.worker", "changed", 70.08, 560.64, "m5.large -> m5.4xlarge", line=12),
        priced("aws_lambda_function.fn", "added", None, None, unpriced="resource type aws_lambda_function is not modelled"),
        priced("aws_s3_bucket.logs", "changed", 0.0, 0.0),
    ],
    "unpriced": 1,
    "catalog": [{"id": "aws", "name": "AWS list prices", "published": "2026-10-01", "stale": False}],
}

NEW_FAIL = Finding("budget", "cost", "fail", "aws_instance.worker", "monthly_delta", "infra/main.tf", 12,
                   "+$530.64/mo (+42.8%) is above the fail threshold of $500/mo", "review the change's cost")
NEW_WARN = Finding("tags", "required-tags", "warn", "aws_ebs_volume.data", "tags.owner", "infra/main.tf", 30,
                   "tag owner is missing", "add tags.owner")
OLD = Finding("sizes", "instance-size", "fail", "aws_db_instance.main", "instance_class", "infra/db.tf", 4,
              "db.r5.4xlarge is larger than 2xlarge", "choose a smaller class", status="existing")
HIDDEN = Finding("tags", "required-tags", "fail", "aws_instance.old", "tags", "infra/main.tf", 40,
                 "tag owner is missing", status="suppressed")


def report(findings=(NEW_FAIL, NEW_WARN, OLD, HIDDEN), cost=COST, verdict="fail", **extra):
    return Report(verdict=verdict, findings=tuple(findings), cost=cost, resources_checked=6,
                  change={"base": "origin/main", "head": "working tree"}, **extra)


# --- text ---------------------------------------------------------------------------------------


def test_text_header_cost_table_and_totals():
    out = diff_text.render(report())
    lines = out.splitlines()
    assert lines[0] == "guardrails diff: origin/main -> working tree"
    rows = [line for line in lines if re.match(r"  [+\-~]  ", line)]
    assert [row.split()[1] for row in rows] == [
        "aws_instance.worker", "aws_ebs_volume.data", "aws_instance.old", "aws_lambda_function.fn"]
    assert rows[0].split() == ["~", "aws_instance.worker", "$70.08", "$560.64", "+$490.56", "m5.large", "->", "m5.4xlarge"]
    assert rows[2].split() == ["-", "aws_instance.old", "$30.00", "-", "-$30.00", "removed"]
    assert "  2 resources with unchanged cost not listed" in lines
    assert "  Monthly: $1,240.00 -> $1,770.64 (+$530.64, +42.8%)" in lines
    assert "  1 unpriced resource is not in the totals" in lines
    assert "aws_db_instance.main " not in "\n".join(rows)


def test_text_unpriced_row_has_the_reason_under_it():
    lines = diff_text.render(report()).splitlines()
    row = next(i for i, line in enumerate(lines) if "aws_lambda_function.fn" in line)
    assert lines[row].split() == ["+", "aws_lambda_function.fn", "-", "unpriced", "new"]
    assert lines[row + 1].strip() == "unpriced: resource type aws_lambda_function is not modelled"


def test_text_splits_new_and_existing_findings():
    out = diff_text.render(report())
    new_at, existing_at = out.index("New findings (2"), out.index("Existing findings (1, not blocking)")
    assert new_at < existing_at
    new_part, existing_part = out[new_at:existing_at], out[existing_at:]
    # failures lead, whatever their place
    assert new_part.index("FAIL  infra/main.tf:12  budget  aws_instance.worker: +$530.64/mo") < new_part.index("WARN")
    assert "        fix: review the change's cost" in new_part
    assert "infra/db.tf:4  sizes  aws_db_instance.main: db.r5.4xlarge" in existing_part
    assert "aws_instance.old: tag owner" not in out  # suppressed: counted, not shown
    assert "1 suppressed finding not shown" in out


def test_text_verdict_is_last_and_says_incomplete():
    out = diff_text.render(report(errors=(InputError("infra/bad.tf", 3, "unexpected '}'"),),
                                  notes=(Note("infra/mod.tf", "module registry.example/x not inspected"),)))
    lines = out.splitlines()
    assert lines[-1] == "1 failed, 2 warnings, 1 suppressed in 6 resources: FAIL (incomplete: 1 input error)"
    assert "error: infra/bad.tf:3: unexpected '}'" in lines
    assert "note: infra/mod.tf: module registry.example/x not inspected" in lines


def test_text_colour_only_when_asked():
    assert "\033[" not in diff_text.render(report())
    coloured = diff_text.render(report(), color=True)
    assert "\033[31mFAIL\033[0m" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured).splitlines()[-1] == diff_text.render(report()).splitlines()[-1]


def test_text_without_cost_or_findings():
    out = diff_text.render(report(findings=(), cost=None, verdict="pass"))
    assert "Monthly" not in out
    assert "New findings (0, these decide the verdict)\n  none" in out
    assert out.endswith("0 failed, 0 warnings in 6 resources: PASS\n")


# --- markdown -----------------------------------------------------------------------------------


def test_markdown_marker_title_and_summary():
    out = markdown.render(report())
    lines = out.splitlines()
    assert lines[0] == "<!-- guardrails-report -->"
    assert lines[1] == "### ❌ guardrails: fail"
    assert "`origin/main` → `working tree`" in lines
    assert "1 failed, 2 warnings, 1 suppressed in 6 resources" in lines
    assert markdown.render(report(verdict="warn")).splitlines()[1] == "### ⚠️ guardrails: warn"
    assert markdown.render(report(verdict="pass")).splitlines()[1] == "### ✅ guardrails: pass"


def test_markdown_cost_table_sorted_by_absolute_delta():
    out = markdown.render(report())
    assert "#### Monthly cost: \\$1,240.00 → \\$1,770.64 (+\\$530.64, +42.8%)" in out
    rows = [line for line in out.splitlines() if line.startswith("| `aws_")]
    cost_rows = [row for row in rows if row.count(" | ") == 3]
    assert cost_rows == [
        "| `aws_instance.worker` m5.large -&gt; m5.4xlarge | \\$70.08 | \\$560.64 | +\\$490.56 |",
        "| `aws_ebs_volume.data` new | – | \\$70.08 | +\\$70.08 |",
        "| `aws_instance.old` removed | \\$30.00 | – | -\\$30.00 |",
        ("| `aws_lambda_function.fn` new<br>_unpriced: resource type aws\\_lambda\\_function is not modelled_ "
         "| – | unpriced | unknown |"),
    ]
    assert "2 resources with unchanged cost not listed. 1 unpriced resource is not in the totals." in out


def test_markdown_new_findings_table_and_existing_folded():
    out = markdown.render(report())
    new_at = out.index("#### New findings (2)")
    details_at = out.index("<details>\n<summary>Existing findings (1, not blocking)</summary>")
    assert new_at < details_at
    assert ("| ❌ fail | `budget` | `aws_instance.worker` | `infra/main.tf:12` | +\\$530.64/mo (+42.8%) is above "
            "the fail threshold of \\$500/mo<br>**Fix:** review the change's cost |") in out[new_at:details_at]
    assert "`aws_db_instance.main`" in out[details_at:]
    assert "`aws_db_instance.main`" not in out[new_at:details_at]
    assert "1 suppressed finding not shown." in out


def _unescaped_pipes(row):
    return len(re.findall(r"(?<!\\)\|", row))


def test_markdown_escapes_cell_text():
    odd = Finding("attr", "attribute", "fail", "aws_instance.a", "x", "main.tf", 2,
                  "value `a|b` is <script>\nnot allowed", "set x = \"c|d\"")
    out = markdown.render(report(findings=(odd,)))
    [row] = [line for line in out.splitlines() if "`aws_instance.a`" in line]
    assert _unescaped_pipes(row) == 6  # five columns, whatever the message holds
    assert "value \\`a\\|b\\` is &lt;script&gt;<br>not allowed<br>**Fix:** set x = \"c\\|d\"" in row
    assert "<script>" not in out


def test_markdown_cannot_ping_people_link_issues_or_urls():
    # The bot's comment must not notify @org/team or link #123 because a pull request wrote them.
    odd = Finding("attr", "attribute", "fail", "aws_instance.a", "x", "main.tf", 2,
                  "owner is @octo-org/security and @alice, see #123 or https://evil.example and www.evil.example")
    out = markdown.render(report(findings=(odd,), errors=(InputError("a.tf", 1, "cc @bob"),)))
    assert ("owner is @&#8203;octo-org/security and @&#8203;alice, see #&#8203;123 or "
            "https:&#8203;//evil.example and www&#8203;.evil.example") in out
    assert "@alice" not in out and "@bob" not in out and "#123" not in out and "https://" not in out


def test_markdown_escapes_errors_and_notes():
    out = markdown.render(report(errors=(InputError("bad.tf", 1, "unexpected <EOF> | here"),),
                                 notes=(Note("x.yaml", "skipped *.lock"),)))
    assert "1 failed, 2 warnings, 1 suppressed in 6 resources · **incomplete: 1 input error**" in out
    assert "<summary>Input errors (1)</summary>\n\n- `bad.tf:1`: unexpected &lt;EOF&gt; \\| here" in out
    assert "<summary>Notes (1)</summary>\n\n- `x.yaml`: skipped \\*.lock" in out


def test_markdown_check_report_has_no_cost_section():
    out = markdown.render(Report(verdict="warn", findings=(NEW_WARN,), resources_checked=1))
    assert "Monthly cost" not in out
    assert "→" not in out  # no change line either
    assert "| ⚠️ warn | `tags` | `aws_ebs_volume.data` | `infra/main.tf:30` |" in out


def test_markdown_cost_report_is_one_column():
    cost = {
        "currency": "USD", "monthly": {"before": None, "after": 640.72, "delta": None}, "unpriced": 1, "catalog": [],
        "resources": [
            {**priced("aws_ebs_volume.data", "", None, 70.08), "monthly": {"before": None, "after": 70.08, "delta": None}},
            {**priced("aws_instance.worker", "", None, 570.64), "monthly": {"before": None, "after": 570.64, "delta": None}},
            {**priced("aws_lambda_function.fn", "", None, None, unpriced="not modelled"),
             "monthly": {"before": None, "after": None, "delta": None}},
        ],
    }
    out = markdown.render(Report(verdict="pass", cost=cost))
    assert "#### Monthly cost: \\$640.72\n\n| Resource | Monthly |\n| --- | ---: |\n" in out
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `aws_instance.worker` | \\$570.64 |",
        "| `aws_ebs_volume.data` | \\$70.08 |",
        "| `aws_lambda_function.fn`<br>_unpriced: not modelled_ | unpriced |",
    ]


def _many(count, status, severity="fail"):
    return [Finding("tags", "required-tags", severity, f"aws_instance.n{i:05d}", "tags.owner", "main.tf", i + 1,
                    "tag owner is missing " + "x" * 200, "add tags.owner", status=status) for i in range(count)]


def test_markdown_is_cut_under_the_limit_with_a_note():
    grown = [priced(f"aws_instance.c{i:02d}", "changed", 10.0, 20.0 + i) for i in range(20)]
    findings = _many(400, "new") + _many(300, "existing", "warn")
    out = markdown.render(report(findings=findings, cost={**COST, "resources": grown}))
    assert len(out) < markdown.LIMIT
    kept = len(re.findall(r"^\| ❌ fail \|", out, flags=re.MULTILINE))
    assert 0 < kept < 400
    # the ten largest cost moves first, then new findings; the rest of the cost table and the
    # existing findings only if room is left
    assert re.findall(r"^\| `aws_instance.c(\d\d)`", out, flags=re.MULTILINE) == [f"{i:02d}" for i in range(19, 9, -1)]
    assert "⚠️ warn" not in out
    assert f"_…and {400 - kept} more new findings not shown._" in out
    assert "_…and 10 more cost rows not shown._" in out
    assert "<summary>Existing findings (300, not blocking)</summary>\n\n_300 existing findings not shown._" in out
    note = out.rstrip("\n").splitlines()[-1]
    assert note == (f"> This comment was cut to stay under 65,000 characters: {400 - kept} new findings, 10 cost rows, "
                    "300 existing findings left out. Run guardrails with `--format text` or `--format json` for the "
                    "full report.")


def test_markdown_small_report_is_not_cut():
    out = markdown.render(report(findings=_many(50, "new")))
    assert "This comment was cut" not in out
    assert len(re.findall(r"^\| ❌ fail \|", out, flags=re.MULTILINE)) == 50


def test_markdown_one_huge_message_is_shortened_in_its_cell():
    huge = Finding("attr", "attribute", "fail", "aws_instance.a", "x", "main.tf", 2, "y" * 100_000)
    out = markdown.render(report(findings=(huge,)))
    assert len(out) < 5_000
    assert "y" * 998 + "…" in out


@pytest.mark.parametrize("renderer", [diff_text.render, markdown.render])
def test_output_is_deterministic(renderer):
    shuffled = report(findings=(OLD, HIDDEN, NEW_WARN, NEW_FAIL),
                      cost={**COST, "resources": list(reversed(COST["resources"]))})
    assert renderer(report()) == renderer(report()) == renderer(shuffled)


def test_markdown_chart_draws_before_after_and_a_safe_label_for_what_the_change_wrote():
    cost = {"monthly": {"before": 10.0, "after": 30.0, "delta": 20.0}, "resources": [], "group_by": "team",
            "groups": [{"key": 'pay"]\n%%{init}', "monthly": {"before": 10.0, "after": 30.0, "delta": 20.0},
                        "worst_case": {"before": 10.0, "after": 90.0, "delta": 80.0}, "resources": 1, "unknown": 0}]}
    out = markdown.render(report(findings=(), cost=cost, verdict="pass"))
    assert "```mermaid\nxychart-beta\n" in out
    chart = out[out.index("```mermaid"):out.index("```", out.index("```mermaid") + 3)]
    assert re.search(r'x-axis \["pay\?+init\?"\]', chart) and "%" not in chart and "\n    x-axis" in chart
    assert "    bar [10.00]\n    bar [30.00]\n    line [90.00]\n" in out
