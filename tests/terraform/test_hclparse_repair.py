"""Layouts Terraform accepts and python-hcl2 rejects are read on a second try, lines intact."""
import pytest

from guardrails.terraform.hcl.parse import HclSyntaxError, parse_body, repair_layout
from guardrails.terraform.evaluate import evaluate
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import body_from_hcl

CONTINUED = 'a = try(\n  local.cfg\n  .node\n  .size,\n  "x")\nb = "after"\n'


def test_continued_access_is_joined_and_every_line_keeps_its_number():
    repaired = repair_layout(CONTINUED)
    assert repaired.count("\n") == CONTINUED.count("\n")
    assert repaired.splitlines()[1] == "  local.cfg .node .size,"
    body = body_from_hcl(parse_body(CONTINUED), "main.tf")
    assert body.attrs["b"].line == 6
    assert evaluate(body.attrs["a"].expr, Scope({"local": {"cfg": {"node": {"size": "m"}}}})) == "m"


def test_heredoc_bodies_are_left_alone_and_their_end_marker_trimmed():
    text = 'x = <<-EOT\n  . ./env.sh\n  .PHONY\n  EOT  \ny = 1\n'
    repaired = repair_layout(text)
    assert repaired == 'x = <<-EOT\n  . ./env.sh\n  .PHONY\n  EOT\ny = 1\n'
    body = body_from_hcl(parse_body(text), "main.tf")
    assert evaluate(body.attrs["x"].expr, Scope({})) == ". ./env.sh\n.PHONY\n"
    assert body.attrs["y"].line == 5


def test_a_line_with_a_comment_is_not_joined_onto():
    text = 'a = [\n  local.x # note\n  .y\n]\n'
    assert repair_layout(text) == text
    with pytest.raises(HclSyntaxError):
        parse_body(text)


def test_an_unrepairable_file_reports_the_first_error():
    text = 'a = try(\n  local.cfg\n  .node,\n "x")\nb = = 2\n'
    with pytest.raises(HclSyntaxError) as caught:
        parse_body(text)
    assert caught.value.line == 3  # where the original text failed, not the repaired one
