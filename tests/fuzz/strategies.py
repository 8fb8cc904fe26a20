"""Hypothesis generators for hostile input: valid seeds, then mutated, mistyped and nested.

Every family starts from small inputs that are valid (so the mutations land near real syntax,
where parsers have the most paths) and breaks them: bytes deleted, duplicated, swapped or
truncated, tokens of the language inserted, unicode, deep nesting, and for structured formats
(YAML, JSON) every node replaced by a value of the wrong type.
"""
from __future__ import annotations

import json
from typing import Any, Callable

import yaml
from hypothesis import strategies as st

# --- Terraform -----------------------------------------------------------------------------

HCL_SEEDS: list[str] = [
    '''\
variable "env" {
  type    = string
  default = "prod"
}

variable "sizes" {
  type = map(string)
  default = {
    web = "t3.large"
    db  = "db.t4g.medium"
  }
}

locals {
  common = {
    owner       = "team-b"
    cost-center = "cc-1234"
  }
  names = ["a", "b", "c"]
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-${var.env}"
  instance_type = lookup(var.sizes, "web", "t3.micro")
  tags          = merge(local.common, { Name = "web-${count.index}", env = var.env })

  root_block_device {
    volume_type = "gp3"
    volume_size = 40
  }
}
''',
    '''\
resource "aws_ebs_volume" "data" {
  for_each          = toset(["x", "y"])
  availability_zone = "us-east-1${each.key}"
  size              = 500
  type              = each.key == "x" ? "gp2" : "io1"
  iops              = 3000
  tags = {
    owner = upper("team")
  }
}

# guardrails:ignore storage until=2099-01-01 migrating next quarter
resource "aws_db_instance" "orders" {
  instance_class    = "db.r6g.large"
  allocated_storage = 200
  multi_az          = true
  tags              = { for k, v in { owner = "a", env = "prod" } : k => v }
}
''',
    '''\
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { owner = "platform", cost-center = "cc-0001" }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

resource "aws_launch_template" "lt" {
  provider      = aws.us
  instance_type = format("%s.%s", "c7g", "xlarge")
  user_data     = <<-EOT
    #!/bin/sh
    echo "${upper("hi")}" %{ if true }yes%{ endif }
  EOT
  block_device_mappings {
    device_name = "/dev/sda1"
    ebs { volume_type = "standard" }
  }
}

resource "aws_autoscaling_group" "asg" {
  desired_capacity = 3
  min_size         = 1
  max_size         = 5
  launch_template { id = aws_launch_template.lt.id }
  tag {
    key                 = "owner"
    value               = "platform"
    propagate_at_launch = false
  }
}
''',
    '''\
module "remote" {
  source = "terraform-aws-modules/vpc/aws"
  name   = "x"
}

module "local" {
  source = "./mod"
}

data "aws_ami" "ubuntu" {
  most_recent = true
}

resource "google_compute_instance" "vm" {
  machine_type = "n2-standard-4"
  zone         = "us-central1-a"
  labels       = { owner = "g" }
  boot_disk {
    initialize_params { type = "pd-standard", size = 100 }
  }
}

resource "azurerm_linux_virtual_machine" "vm" {
  size     = "Standard_D4s_v5"
  location = "eastus"
  tags     = try(var.missing, { owner = "az" })
}

moved {
  from = aws_instance.old
  to   = aws_instance.web
}
''',
    '''\
resource "aws_nat_gateway" "nat" {
  // guardrails:ignore * no reason given until=2020-01-01
  subnet_id = "subnet-1"
  tags      = concat([], [])
}

resource "aws_lambda_function" "fn" {
  function_name = coalesce("", "fn")
  memory_size   = 1024 * 2
  architectures = ["arm64"]
  tags          = tomap({ owner = lower("X"), "cost-center" = "cc-9999" })
  environment {
    variables = jsondecode("{\\"a\\": 1}")
  }
}

resource "aws_instance" "splat" {
  instance_type = [for s in ["t3.nano", "t3.micro"] : s][1]
  ami           = element(split(",", "a,b"), 0)
  tags          = { owner = "x", "cost-center" = "cc-1111", env = "stage" }
  /* block comment */
  metadata_options { http_tokens = "optional" }
}
''',
]

HCL_TOKENS = [
    "{", "}", "[", "]", "(", ")", '"', "'", "${", "%{", "}", "<<EOF\n", "<<-EOT\n", "\nEOF\n", "EOT", "=", "==",
    ",", ".", "*", "[*]", ".*", "?", ":", "=>", "...", "\n", "\r\n", "\t", "#", "//", "/*", "*/", "\\", "\\u", "\\n",
    "var.", "local.", "count.index", "each.key", "each.value", "self.", "module.", "data.", "path.module",
    "merge(", "lookup(", "concat(", "format(", "try(", "tomap(", "toset(", "coalesce(", "jsondecode(", "file(",
    "templatefile(", "range(", "element(", "null", "true", "false", "-1", "0", "1e308", "-1e308", "1e400",
    "99999999999999999999999", "0x10", "1.5", "resource", "variable", "locals", "dynamic", "for", "in", "if",
    "endif", "endfor", "else", "!", "&&", "||", "%", "-", "+", "/", "<=", ">", "ÿ", "é", "\u200b", "\ufeff",
    "\U0001f600", "\x00", "\x7f", "\u2028", "𝔘", "count = 3", "count = -1", "count = 1e9", "for_each = 5",
    'for_each = toset(["a", "a"])', "tags = null", "tags = 1", "tags = []", 'tags = "x"', "instance_type = 7",
    "instance_type = null", 'type = ["gp2"]', "size = -5", "size = \"big\"", '"${var.x}"', '"%{ for x in [1] }${x}%{ endfor }"',
]

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def mutate(seed: str, tokens: list[str], max_ops: int = 6) -> st.SearchStrategy[str]:
    """A seed text after a few random edits at random places."""

    @st.composite
    def build(draw: Callable[..., Any]) -> str:
        text = seed
        for _ in range(draw(st.integers(1, max_ops))):
            size = len(text)
            at = draw(st.integers(0, size))
            span = draw(st.integers(0, min(40, size - at)))
            op = draw(st.sampled_from(["delete", "duplicate", "swap", "token", "unicode", "truncate", "replace-char"]))
            if op == "delete":
                text = text[:at] + text[at + span:]
            elif op == "duplicate":
                text = text[:at + span] + text[at:at + span] + text[at + span:]
            elif op == "swap" and size > 1:
                other = draw(st.integers(0, size - 1))
                chars = list(text)
                chars[min(at, size - 1)], chars[other] = chars[other], chars[min(at, size - 1)]
                text = "".join(chars)
            elif op == "token":
                text = text[:at] + draw(st.sampled_from(tokens)) + text[at:]
            elif op == "unicode":
                text = text[:at] + draw(_TEXT) + text[at:]
            elif op == "truncate":
                text = text[:at]
            elif op == "replace-char" and at < size:
                text = text[:at] + draw(st.sampled_from(tokens)) + text[at + 1:]
        return text

    return build()


@st.composite
def deep_hcl(draw: Callable[..., Any]) -> str:
    """Nesting deep enough to hit recursion limits in a parser or an evaluator."""
    depth = draw(st.sampled_from([50, 200, 600, 1500, 5000]))
    kind = draw(st.sampled_from(["parens", "lists", "objects", "blocks", "ternary", "template", "funcs"]))
    if kind == "parens":
        expr = "(" * depth + "1" + ")" * depth
    elif kind == "lists":
        expr = "[" * depth + "]" * depth
    elif kind == "objects":
        expr = "{a = " * depth + "1" + "}" * depth
    elif kind == "ternary":
        expr = "true ? " * depth + "1" + " : 2" * depth
    elif kind == "template":
        expr = '"${' * min(depth, 400) + "1" + '}"' * min(depth, 400)
    elif kind == "funcs":
        expr = "merge(" * depth + "{}" + ")" * depth
    else:
        body = "b {\n" * depth + "x = 1\n" + "}\n" * depth
        return f'resource "aws_instance" "deep" {{\n{body}}}\n'
    closed = draw(st.booleans())
    if not closed:
        expr = expr[: len(expr) // 2]
    return f'resource "aws_instance" "deep" {{\n  instance_type = "t3.micro"\n  tags = {expr}\n}}\n'


def hcl_texts() -> st.SearchStrategy[str]:
    seeds = st.sampled_from(HCL_SEEDS)
    return st.one_of(
        seeds,
        seeds.flatmap(lambda s: mutate(s, HCL_TOKENS)),
        seeds.flatmap(lambda s: mutate(s, HCL_TOKENS, max_ops=30)),
        st.lists(st.sampled_from(HCL_TOKENS), max_size=60).map("".join),
        deep_hcl(),
        st.tuples(seeds, suppression_comments()).map(lambda t: t[1] + "\n" + t[0]),
    )


# --- values of the wrong type, for structured formats -------------------------------------

ODD_SCALARS = [
    None, True, False, 0, -1, 1.5, float("inf"), 10**30, "", " ", "null", "~", "yes", "no", "on", "0x1F",
    "1_000", "1e3", ".inf", "-.inf", ".nan", "2024-02-30", "100m", "1Gi", "1e400", "-5", "0.0001m", "9" * 40,
    "1.5.5", "Ki", "∞", "ｍ", "\u0000", "a" * 300, "${var.x}", "*", "[]", "{}",
]
_SCALAR = st.one_of(
    st.sampled_from(ODD_SCALARS),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    _TEXT,
)
_ANY = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=8)


@st.composite
def wrongify(draw: Callable[..., Any], value: Any, rate: float = 0.15) -> Any:
    """The same structure with some nodes swapped for values of other types."""

    def walk(node: Any) -> Any:
        if draw(st.floats(0, 1)) < rate:
            return draw(_ANY)
        if isinstance(node, dict):
            out = {}
            for key, item in node.items():
                if draw(st.floats(0, 1)) < rate / 3:
                    continue  # a missing field
                out[key] = walk(item)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(value)


# --- Kubernetes ----------------------------------------------------------------------------

_QUANTITY = st.one_of(
    st.sampled_from(["100m", "250m", "1", "2", "4", "8", "0.5", "1.5", "128Mi", "1Gi", "16Gi", "32G", "1e3", "100",
                     "0", "1Ei", "0.001", "5e-3", "1k", "1m", "100Ki", ".5", "1.", "-1", "1Qi", "", "1 Gi"]),
    st.integers(-5, 2**64),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def container(draw: Callable[..., Any], name: str) -> dict:
    resources: dict = {}
    for part in draw(st.sets(st.sampled_from(["requests", "limits"]))):
        resources[part] = {k: draw(_QUANTITY) for k in draw(st.sets(st.sampled_from(["cpu", "memory", "ephemeral-storage", "nvidia.com/gpu"])))}
    return {"name": name, "image": "img:1", "resources": resources}


@st.composite
def k8s_object(draw: Callable[..., Any]) -> dict:
    kind = draw(st.sampled_from(["Deployment", "StatefulSet", "DaemonSet", "Pod", "CronJob", "Job", "LimitRange",
                                 "PersistentVolumeClaim", "ReplicaSet", "List", "Service", "HorizontalPodAutoscaler"]))
    name = draw(st.sampled_from(["web", "api", "x" * 70, "Ünï", "a.b", ""]))
    meta: dict = {"name": name}
    if draw(st.booleans()):
        meta["namespace"] = draw(st.sampled_from(["default", "prod", "kube-system"]))
    if draw(st.booleans()):
        meta["labels"] = {"owner": draw(st.sampled_from(["team", "", None, 5]))}
    if draw(st.booleans()):
        meta["annotations"] = {"guardrails.dev/ignore": draw(suppression_text())}
    containers = [draw(container(n)) for n in draw(st.lists(st.sampled_from(["a", "b", "a", "sidecar"]), max_size=3))]
    pod = {"containers": containers}
    if draw(st.booleans()):
        pod["initContainers"] = [dict(draw(container("init")), restartPolicy=draw(st.sampled_from(["Always", "Never"])))]
    template = {"metadata": {"labels": {"app": "x"}}, "spec": pod}
    obj: dict = {"apiVersion": "apps/v1", "kind": kind, "metadata": meta}
    if kind == "Pod":
        obj["spec"] = pod
    elif kind == "CronJob":
        obj["spec"] = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}}
    elif kind == "LimitRange":
        obj["spec"] = {"limits": [{"type": "Container", "default": {"cpu": draw(_QUANTITY), "memory": draw(_QUANTITY)},
                                   "defaultRequest": {"memory": draw(_QUANTITY)}, "max": {"cpu": draw(_QUANTITY)}}]}
    elif kind == "PersistentVolumeClaim":
        obj["spec"] = {"storageClassName": "gp2", "resources": {"requests": {"storage": draw(_QUANTITY)}}}
    elif kind == "List":
        obj["items"] = [{"kind": "Pod", "metadata": {"name": "p"}, "spec": pod}]
    else:
        obj["spec"] = {"replicas": draw(st.one_of(st.integers(-1, 10**6), st.sampled_from([None, "3", 1.5]))), "template": template}
    return obj


YAML_TOKENS = [
    ":", ": ", "- ", "-", "---\n", "...\n", "&a ", "*a", "<<: *a\n", "!!str ", "!!int ", "!!binary ", "!!python/object:os.system ",
    "!custom ", "? ", "|\n", ">-\n", "{", "}", "[", "]", ",", "'", '"', "#", "\t", "\n", "  ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
    "@", "`", "\ufeff", "\x85", "\u2028", "~", "null", ".inf", "0x1F", "1_000", "2024-01-01", "yes", "\U0001f600", "\x00",
    "kind: Deployment\n", "metadata:\n  name: x\n", "containers: 5\n", "resources: []\n", "cpu: 1e400\n", "memory: -1\n",
]

ANCHOR_SEEDS = [
    """\
apiVersion: apps/v1
kind: Deployment
metadata: &meta
  name: anchored
  labels: &labels {owner: team}
spec:
  template:
    metadata: {labels: *labels}
    spec:
      containers:
        - &c
          name: a
          resources: &res {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
        - <<: *c
          name: b
---
apiVersion: v1
kind: Pod
metadata: *meta
spec:
  containers:
    - {name: c, resources: *res}
""",
    """\
kind: Pod
metadata: {name: odd}
spec:
  containers:
    - name: !!str 1
      resources:
        limits: {cpu: !!float 2, memory: !!binary aGVsbG8=}
        requests: {cpu: 0o17, memory: 1_000, ephemeral-storage: .inf}
---
---
# only a comment
--- !!map
kind: List
items: ~
--- 42
--- [1, 2]
--- "kind: Pod"
""",
    """\
a: &a [*a]
b: &b {self: *b}
kind: Deployment
metadata: {name: cyc, labels: *b}
spec: {template: {spec: {containers: [{name: x, resources: {limits: *a}}]}}}
""",
]


def _dump_docs(objs: list) -> str:
    return "---\n".join(yaml.safe_dump(o, allow_unicode=True, sort_keys=False) for o in objs)


def yaml_texts() -> st.SearchStrategy[str]:
    objs = st.lists(k8s_object(), min_size=1, max_size=3)
    valid = objs.map(_dump_docs)
    wrong = objs.flatmap(lambda o: wrongify(o)).map(lambda v: v if isinstance(v, list) else [v]).map(_dump_docs)
    anchors = st.sampled_from(ANCHOR_SEEDS)
    return st.one_of(
        valid,
        wrong,
        anchors,
        anchors.flatmap(lambda s: mutate(s, YAML_TOKENS)),
        valid.flatmap(lambda s: mutate(s, YAML_TOKENS)),
        st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join),
        st.sampled_from([5, 50, 500, 3000]).map(lambda d: "kind: Pod\nspec: " + "[" * d + "]" * d + "\n"),
        st.sampled_from([5, 50, 500]).map(lambda d: "kind: Pod\nspec:\n" + "".join("  " * i + "- a:\n" for i in range(d))),
        st.sampled_from([5, 20, 200]).map(lambda n: "".join(f"---\nkind: Pod\nmetadata: {{name: p{i}}}\n" for i in range(n))),
    )


# --- Terraform plans -----------------------------------------------------------------------


@st.composite
def plan_object(draw: Callable[..., Any]) -> dict:
    types = ["aws_instance", "aws_ebs_volume", "aws_db_instance", "google_compute_instance", "aws_nat_gateway", "weird"]
    resources, changes = [], []
    for i in range(draw(st.integers(0, 3))):
        rtype = draw(st.sampled_from(types))
        index = draw(st.sampled_from([None, 0, "blue", -1, 1.5]))
        address = f"{rtype}.r{i}" + ("" if index is None else f"[{json.dumps(index)}]")
        values = {"instance_type": draw(st.sampled_from(["t3.micro", "m5.metal", "x1e.32xlarge", "", "nope.nope"])),
                  "tags": {"owner": "x"}, "type": "gp2", "size": draw(st.integers(-1, 10**6)),
                  "root_block_device": [{"volume_size": 8}]}
        resource = {"address": address, "mode": draw(st.sampled_from(["managed", "data", "other"])), "type": rtype,
                    "name": f"r{i}", "index": index, "provider_name": "registry.terraform.io/hashicorp/aws", "values": values,
                    "sensitive_values": {}}
        resources.append(resource)
        changes.append({"address": address, "mode": resource["mode"], "type": rtype, "name": f"r{i}",
                        "change": {"actions": draw(st.sampled_from([["create"], ["no-op"], ["delete", "create"], ["update"], ["delete"], [], ["read"]])),
                                   "before": draw(st.sampled_from([None, values])), "after": values,
                                   "after_unknown": draw(st.sampled_from([{}, {"tags": True}, {"instance_type": True}, True]))}})
    return {
        "format_version": draw(st.sampled_from(["1.2", "0.1", "2.0", "1.0"])),
        "terraform_version": "1.9.0",
        "variables": {"region": {"value": "eu-west-1"}},
        "planned_values": {"root_module": {"resources": resources,
                                           "child_modules": [{"address": "module.m", "resources": resources[:1]}]}},
        "resource_changes": changes,
        "prior_state": {"values": {"root_module": {"resources": resources[:1]}}},
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-west-2"}}}}},
    }


def _json(value: Any) -> str:
    return json.dumps(value, indent=1, allow_nan=True, ensure_ascii=False)


def plan_texts() -> st.SearchStrategy[str]:
    plans = plan_object()
    valid = plans.map(_json)
    return st.one_of(
        valid,
        plans.flatmap(lambda p: wrongify(p, 0.2)).map(_json),
        valid.flatmap(lambda s: mutate(s, ["{", "}", "[", "]", ",", ":", '"', "null", "NaN", "-Infinity", "1e999", "\\u0000",
                                           "\\ud800", '"format_version"', "\n", "true", "0"])),
        st.sampled_from([10, 1000, 20000]).map(lambda d: '{"format_version": "1.2", "planned_values": ' + "[" * d + "]" * d + "}"),
    )


# --- policy files --------------------------------------------------------------------------


@st.composite
def policy_object(draw: Callable[..., Any]) -> dict:
    rule_types = {
        "required-tags": {"tags": ["owner"], "values": {"owner": draw(st.sampled_from(["^team-.*$", "(", "(a+)+$", "[z-a]", ".*", "\\"]))}},
        "k8s-resources": {"require": ["requests.cpu"], "max": {"limits.cpu": draw(st.sampled_from(["4", "1e3", "0.5", "100m"]))},
                          "max_ratio": {"cpu": draw(st.sampled_from([1, 0.5, 1e-300, 1e300]))}},
        "instance-size": {"families": ["t3"], "max_size": draw(st.sampled_from(["xlarge", "metal", "48xlarge", "metal-24xl"])),
                          "deny": ["*.metal", "[", "**"], "max_vcpu": draw(st.integers(1, 10**20))},
        "storage-tier": {"allow": ["gp3"], "deny": ["gp2"], "suggest": {"gp2": "gp3"}, "max_size_gb": draw(st.sampled_from([1, 1e-9, 1e308]))},
        "cost": {"monthly_delta": {"warn": 1}, "resource_monthly": {"fail": draw(st.sampled_from([0, 1, 1e308]))}, "monthly_total": {"warn": 0}},
        "attribute": {"attribute": draw(st.sampled_from(["tags.owner", "a..b", ".", "x[0]", "metadata_options.http_tokens"])),
                      "op": draw(st.sampled_from(["eq", "matches", "lt", "in", "exists", "not_matches"])),
                      "value": draw(st.sampled_from(["x", "(", 3, [1, "a"], None, {"a": 1}]))},
    }
    rules = []
    for i, rtype in enumerate(draw(st.lists(st.sampled_from(sorted(rule_types)), min_size=1, max_size=4))):
        rule = {"id": draw(st.sampled_from([f"r{i}", "dup", "r-1.x"])), "type": rtype,
                "severity": draw(st.sampled_from(["fail", "warn", "info"])), **rule_types[rtype]}
        if draw(st.booleans()):
            rule["match"] = {"resources": ["aws_*", "Deployment"], "paths": [draw(st.sampled_from(["**", "good/**", "[", "**/*.tf"]))],
                             "namespaces": ["*"], "exclude": ["aws_instance.x"]}
        rules.append(rule)
    policy: dict = {"version": 1, "rules": rules,
                    "settings": {"region": draw(st.sampled_from(["us-east-1", "mars-1", "eu-west-1"])),
                                 "unknown": draw(st.sampled_from(["ignore", "warn", "fail"])),
                                 "kubernetes": {"cpu_hour": 0.03, "memory_gib_hour": 0.004, "daemonset_nodes": 3,
                                                "storage_classes": {"gp2": 0.1}}}}
    if draw(st.booleans()):
        policy["extends"] = [draw(st.sampled_from(["builtin:default", "builtin:nope", "missing.yaml", "fz/policy.yaml", "./", "/etc/passwd"]))]
    if draw(st.booleans()):
        policy["exemptions"] = [{"rule": "*", "resource": draw(st.sampled_from(["aws_*", "[", "*"])), "reason": "r",
                                 "expires": draw(st.sampled_from(["2020-01-01", "2099-12-31", "2026-02-30", "0000-00-00"]))}]
    return policy


def policy_texts() -> st.SearchStrategy[str]:
    policies = policy_object()
    valid = policies.map(lambda p: yaml.safe_dump(p, sort_keys=False, allow_unicode=True))
    return st.one_of(
        valid,
        policies.flatmap(lambda p: wrongify(p, 0.1)).map(lambda p: yaml.safe_dump(p, sort_keys=False, allow_unicode=True)),
        valid.flatmap(lambda s: mutate(s, YAML_TOKENS)),
        st.sampled_from(["", "---\n", "version: 1\n---\nversion: 1\n", "[]", "version: 1\nrules: *x\n", "\x00", "version: 1\nrules:\n" + "  - " * 500 + "x\n"]),
    )


# --- usage files ---------------------------------------------------------------------------


@st.composite
def usage_object(draw: Callable[..., Any]) -> dict:
    return {
        "version": draw(st.sampled_from([1, 1, 2, "1"])),
        "defaults": {"aws_nat_gateway": {"monthly_data_processed_gb": draw(st.sampled_from([0, 100, 1e308, -1]))}},
        "resources": {
            draw(st.sampled_from(["aws_lambda_function.api", "aws_nat_gateway.nat", "aws_instance.good", "nope", "a[\"x\"]"])): {
                "monthly_requests": draw(st.one_of(st.integers(0, 10**20), st.floats(allow_nan=False))),
                "storage_gb": {"standard": draw(st.sampled_from([1, 0, 1e300]))},
            }
        },
    }


def usage_texts() -> st.SearchStrategy[str]:
    objs = usage_object()
    valid = objs.map(lambda u: yaml.safe_dump(u, sort_keys=False))
    return st.one_of(
        valid,
        objs.flatmap(lambda u: wrongify(u, 0.2)).map(lambda u: yaml.safe_dump(u, sort_keys=False, allow_unicode=True)),
        valid.flatmap(lambda s: mutate(s, YAML_TOKENS)),
    )


# --- suppressions --------------------------------------------------------------------------

_RULE_IDS = ["tags", "sizes", "storage", "k8s", "budget", "*", "required-tags", "k8s-resources", "nope", "", "tags,sizes",
             "tags, sizes", ",", "tags,,", "TAGS", "ünï", "tags\tsizes"]
_DATES = ["2099-01-01", "2020-01-01", "2026-02-30", "2026-1-1", "9999-12-31", "0001-01-01", "", "tomorrow", "2026-13-01",
          "20260101", "2026-01-01T00:00", "99999-01-01", "-2026-01-01"]
_REASONS = ["migrating next quarter", "", " ", "é" * 5, "until=2099-01-01", "x" * 500, "\U0001f600", "guardrails:ignore tags x"]


@st.composite
def suppression_text(draw: Callable[..., Any]) -> str:
    """The part after `guardrails:ignore`, or a near miss of the whole grammar."""
    parts = [draw(st.sampled_from(_RULE_IDS))]
    if draw(st.booleans()):
        parts.append("until=" + draw(st.sampled_from(_DATES)))
    parts.append(draw(st.sampled_from(_REASONS)))
    if draw(st.booleans()):
        draw(st.randoms()).shuffle(parts)
    return " ".join(parts)


@st.composite
def suppression_comments(draw: Callable[..., Any]) -> str:
    style = draw(st.sampled_from(["#", "//", "/*", "#", "  #"]))
    keyword = draw(st.sampled_from(["guardrails:ignore", "guardrails:ignore", "guardrails:ignore:", "GUARDRAILS:IGNORE", "guardrails: ignore"]))
    text = f"{style} {keyword} {draw(suppression_text())}"
    return text + (" */" if style == "/*" else "")


@st.composite
def suppressed_hcl(draw: Callable[..., Any]) -> str:
    """A seed with suppression comments above and inside its resources."""
    lines = draw(st.sampled_from(HCL_SEEDS)).splitlines()
    out = []
    for line in lines:
        if line.startswith(("resource ", "module ")) and draw(st.booleans()):
            out.append(draw(suppression_comments()))
        out.append(line)
        if line.startswith("resource ") and draw(st.booleans()):
            out.append(draw(suppression_comments()))
    return "\n".join(out) + "\n"
