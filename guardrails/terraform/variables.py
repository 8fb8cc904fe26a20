"""Input variables: their type constraints, and values given on the command line converted to them."""
from __future__ import annotations

from typing import Any

from guardrails.core.errors import UsageError
from guardrails.core.model import InputError, Unknown, is_unknown
from guardrails.terraform.bodies import eval_expr
from guardrails.terraform.budget import current as current_budget
from guardrails.terraform.evaluate import evaluate
from guardrails.terraform.hcl.parse import HclSyntaxError, parse_expression
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import Block, Body, JsonExpr
from guardrails.terraform.types import TypeSpec, conversion_problem, describe, type_spec


def variable_specs(body: Body) -> dict[str, TypeSpec]:
    return {b.labels[0]: type_spec_of(b) for b in body.blocks if b.type == "variable" and b.labels}


def refusal(name: str, spec: TypeSpec, problem: str, what: str = "value") -> str:
    return f"variable {name!r} is {describe(spec)}: its {what} does not convert ({problem})"


def type_spec_of(block: Block) -> TypeSpec:
    attr = block.body.attrs.get("type")
    if attr is None:
        return "any"
    expr = attr.expr
    if isinstance(expr, JsonExpr):
        if not isinstance(expr.value, str):
            return "any"
        try:
            expr = parse_expression(expr.value)
        except HclSyntaxError:
            return "any"
    return type_spec(expr)


def cli_value(name: str, raw: str, spec: TypeSpec) -> Any:
    """A --var value as Terraform reads it: a string for primitive types, an HCL value otherwise."""
    if isinstance(spec, str):
        value: Any = raw
    else:
        try:
            value = evaluate(parse_expression(raw), Scope({}))
        except HclSyntaxError:
            raise UsageError(f"--var {name}={raw[:60]!r}: variable {name!r} is {describe(spec)}, "
                             "and the value is not an HCL expression") from None
    problem = conversion_problem(value, spec)
    if problem:
        raise UsageError(f"--var {name}={raw[:60]!r}: variable {name!r} is {describe(spec)}, "
                         f"and the value does not convert ({problem})")
    return value


def failed_validations(body: Body, variables: dict[str, Any], functions: Any, module: str) -> list[InputError]:
    """Check each `validation` block whose inputs are known, as `terraform plan` does before
    anything else; a variable that fails one becomes Unknown (nothing is judged on a value Terraform
    refuses) and the failure is an input error at the condition's line, naming the variable."""
    problems = []
    scope = Scope({"var": dict(variables)}, functions, module)
    for block in body.blocks:
        if block.type != "variable" or not block.labels:
            continue
        name = block.labels[0]
        for check in block.body.blocks:
            condition = check.body.attrs.get("condition") if check.type == "validation" else None
            if condition is None or is_unknown(variables.get(name)):
                continue
            with current_budget().at(block.file):
                holds = eval_expr(condition.expr, scope)
                message = eval_expr(check.body.attrs["error_message"].expr, scope) if "error_message" in check.body.attrs else ""
            if holds is False:
                said = message if isinstance(message, str) and message else "its validation condition is false"
                where = f"{module}: " if module else ""
                problems.append(InputError(block.file, condition.line, f"{where}variable {name!r}: invalid value: {said}"))
                variables[name] = Unknown(f"variable {name} fails its validation")
    return problems
