"""How every format words a suppression the change adds (diff): one sentence, the same everywhere."""
from __future__ import annotations

from guardrails.core.model import AddedSuppression

RULE_ID = "suppression-added"  # the rule id SARIF, GitLab and JUnit file these under
TITLE = "guardrails: suppression added"


def describe(added: AddedSuppression) -> str:
    """`guardrails:ignore instance-size on aws_instance.web: load test`, and whether it is honoured."""
    rules = ",".join(added.rules) or "(no rule)"
    if added.kind == "inline":
        text = f"the change adds guardrails:ignore {rules} on {added.resource}"
        why_not = "settings.inline_suppressions is deny"
    else:
        text = f"the change adds an exemption of {added.resource} from {rules}"
        why_not = "the policy in force does not hold it"
    text += f": {added.reason}" if added.reason else " (no reason)"
    if not added.honoured:
        text += f" (not honoured: {why_not})"
    return text


def where(added: AddedSuppression) -> str:
    return f"{added.file}:{added.line}" if added.line > 0 else added.file
