"""regex() and regexall(): Terraform's RE2 patterns (core/re2), refused patterns unknown."""
from __future__ import annotations

from typing import Any

from guardrails.core.re2 import Refused, captures, find_all, translate
from guardrails.terraform.values import EvalError, to_string
from guardrails.terraform.functions.args import strict as _strict


@_strict
def regex(pattern: Any, text: Any) -> Any:
    try:
        translation, text = translate(to_string(pattern), "regex"), to_string(text)
        translation.check_cost(text, "regex")
    except Refused as exc:
        raise EvalError(str(exc)) from None
    match = translation.compiled.search(text)
    if match is None:
        raise EvalError("regex(): the pattern did not match any part of the string")
    return captures(translation, match)


@_strict
def regexall(pattern: Any, text: Any) -> Any:
    try:
        translation, text = translate(to_string(pattern), "regexall"), to_string(text)
        translation.check_cost(text, "regexall")
    except Refused as exc:
        raise EvalError(str(exc)) from None
    return [captures(translation, match) for match in find_all(translation, text)]
