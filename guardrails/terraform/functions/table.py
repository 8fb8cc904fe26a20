"""The Terraform functions we evaluate offline, by name: one module per family beside this one.

Each follows Terraform's documented behaviour; an argument that is Unknown makes the result
Unknown (except where the known arguments already decide it). A function not listed here is
reported as Unknown by the evaluator, never guessed. The file functions (file, templatefile,
fileset, ...) read the scanned tree and are added per root module (see files.py).
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from guardrails.terraform.functions.collections import (
    alltrue, anytrue, chunklist, coalesce, coalescelist, compact, concat, contains, distinct, element,
    flatten, index_, keys, length, lookup, matchkeys, merge, one, range_, reverse, setintersection,
    setproduct, setsubtract, setunion, slice_, sort, transpose, values, zipmap,
)
from guardrails.terraform.functions.conversion import (
    nonsensitive, sensitive, tobool, tolist, tomap, tonumber, toset, tostring,
)
from guardrails.terraform.functions.encoding import (
    _b64, _digest, _hex, base64decode, base64encode, jsondecode, jsonencode, urlencode, uuidv5,
)
from guardrails.terraform.functions.network import cidrhost, cidrnetmask, cidrsubnet, cidrsubnets
from guardrails.terraform.functions.numbers import abs_, ceil, floor, log, max_, min_, parseint, pow_, signum, sum_
from guardrails.terraform.functions.paths import basename, dirname, pathexpand
from guardrails.terraform.functions.regex import regex, regexall
from guardrails.terraform.functions.strings import (
    chomp, endswith, format_, formatlist, indent, join, lower, replace, split, startswith, strcontains,
    strrev, substr, title, trim, trimprefix, trimspace, trimsuffix, upper,
)
from guardrails.terraform.functions.yaml import yamldecode
from guardrails.terraform.values import EvalError


def checked(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A wrong number of arguments is an EvalError (Unknown), as Terraform refuses the call too."""
    parameters = inspect.signature(function).parameters.values()
    least = sum(1 for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty)
    most = None if any(p.kind is p.VAR_POSITIONAL for p in parameters) else len(parameters)

    def call(*args: Any) -> Any:
        if len(args) < least or most is not None and len(args) > most:
            raise EvalError(f"{name}(): wrong number of arguments ({len(args)})")
        try:
            return function(*args)
        except (OverflowError, ValueError, ZeroDivisionError) as exc:
            # Arithmetic on values Terraform's big numbers hold but floats do not (an infinity,
            # a huge exponent): Unknown with the reason, not a crash.
            raise EvalError(f"{name}(): {exc}") from None

    return functools.wraps(function)(call)


_TABLE: dict[str, Callable[..., Any]] = {
    "abs": abs_, "ceil": ceil, "chunklist": chunklist, "coalesce": coalesce,
    "coalescelist": coalescelist, "compact": compact, "concat": concat, "contains": contains,
    "distinct": distinct, "element": element, "endswith": endswith, "flatten": flatten,
    "floor": floor, "format": format_, "formatlist": formatlist, "index": index_, "join": join,
    "jsondecode": jsondecode, "jsonencode": jsonencode, "keys": keys, "length": length,
    "lookup": lookup, "lower": lower, "max": max_, "merge": merge, "min": min_, "one": one,
    "range": range_, "replace": replace, "reverse": reverse, "slice": slice_, "sort": sort,
    "split": split, "startswith": startswith, "substr": substr, "sum": sum_, "title": title,
    "tobool": tobool, "tolist": tolist, "tomap": tomap, "tonumber": tonumber, "toset": toset,
    "tostring": tostring, "trim": trim, "trimprefix": trimprefix, "trimspace": trimspace,
    "trimsuffix": trimsuffix, "upper": upper, "values": values, "zipmap": zipmap,
    # pure functions module libraries use
    "alltrue": alltrue, "anytrue": anytrue, "base64decode": base64decode,
    "base64encode": base64encode, "base64sha256": _digest("sha256", _b64),
    "base64sha512": _digest("sha512", _b64), "basename": basename, "chomp": chomp,
    "cidrhost": cidrhost, "cidrnetmask": cidrnetmask, "cidrsubnet": cidrsubnet,
    "cidrsubnets": cidrsubnets, "dirname": dirname, "indent": indent, "log": log,
    "matchkeys": matchkeys, "md5": _digest("md5", _hex), "nonsensitive": nonsensitive,
    "parseint": parseint, "pathexpand": pathexpand, "pow": pow_, "regex": regex, "regexall": regexall,
    "sensitive": sensitive, "setintersection": setintersection, "setproduct": setproduct,
    "setsubtract": setsubtract, "setunion": setunion, "sha1": _digest("sha1", _hex),
    "sha256": _digest("sha256", _hex), "sha512": _digest("sha512", _hex), "signum": signum,
    "strcontains": strcontains, "strrev": strrev, "transpose": transpose, "urlencode": urlencode,
    "uuidv5": uuidv5, "yamldecode": yamldecode,
}

FUNCTIONS: dict[str, Callable[..., Any]] = {name: checked(name, f) for name, f in _TABLE.items()}
