"""Heredoc and .tf.json templates are quoted as HCL, so the fast parser reads them (no Lark build)."""
import json

import pytest

from guardrails.terraform.evaluate import template_from_text
from guardrails.terraform.templates import quote_template
from guardrails.terraform.hcl.treesitter import available, parse_body_fast
from guardrails.terraform.scope import Scope
from guardrails.terraform.values import EvalError

TEMPLATES = [
    ('role: ${split("/", "arn:aws:iam::1:role/nodes")[1]}\n', "role: nodes\n"),
    ('cluster: ${"a" == "a" ? "eks-cluster2" : "eks-cluster1"}', "cluster: eks-cluster2"),
    ('say "hi" and \\ then $${literal} %%{also}', 'say "hi" and \\ then ${literal} %{also}'),
    ('%{ for x in ["a", "b"] }${x}-%{ endfor }', "a-b-"),
    ('nested ${upper("${"in"}ner")}', "nested INNER"),
]


@pytest.mark.parametrize("text, expected", TEMPLATES)
def test_templates_evaluate_as_terraform_does(text, expected):
    assert template_from_text(text, Scope({})) == expected


@pytest.mark.skipif(not available(), reason="the tree-sitter backend is not installed")
@pytest.mark.parametrize("text", [t for t, _ in TEMPLATES])
def test_the_fast_parser_reads_every_quoted_template(text):
    assert parse_body_fast(f"__value = {quote_template(text)}\n") is not None


def test_a_template_without_interpolations_is_quoted_as_json_quotes_it():
    for text in ['plain "quoted" text\n\ttab', "unicode \u00e9 \u2028 line", ""]:
        assert quote_template(text) == json.dumps(text)


def test_an_unbalanced_interpolation_is_left_to_the_parser_to_refuse():
    with pytest.raises(EvalError, match="does not parse"):
        template_from_text("open ${ never closed", Scope({}))
