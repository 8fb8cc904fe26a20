"""regex() and regexall(): Terraform's RE2 patterns (core/re2), refused patterns unknown."""
from __future__ import annotations

from typing import Any

from guardrails.core.re2 import Refused, captures, find_all, translate
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.values import EvalError, to_string


def _translated(pattern: Any, text: Any, function: str) -> tuple[Any, str]:
    """The pattern's translation and the text, checked for cost; EvalError (Unknown) if refused."""
    try:
        translation, text = translate(to_string(pattern), function), to_string(text)
        translation.check_cost(text, function)
    except Refused as exc:
        raise EvalError(str(exc)) from None
    return translation, text


@_strict
def regex(pattern: Any, text: Any) -> Any:
    translation, text = _translated(pattern, text, "regex")
    match = translation.compiled.search(text)
    if match is None:
        raise EvalError("regex(): the pattern did not match any part of the string")
    return captures(translation, match)


@_strict
def regexall(pattern: Any, text: Any) -> Any:
    translation, text = _translated(pattern, text, "regexall")
    return [captures(translation, match) for match in find_all(translation, text)]
