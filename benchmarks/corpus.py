"""A deterministic corpus of Terraform and Kubernetes files for benchmarks.

    python benchmarks/corpus.py OUT_DIR --scale small|medium|large [--git]
    python benchmarks/corpus.py OUT_DIR --roots 50 --apps 300 --seed 7

The same arguments always give byte-identical files (and, with --git, the same commit). Layout:

    terraform/modules/<name>/           shared local modules (variables, dynamic blocks, outputs)
    terraform/live/<env>/<team>-<svc>/  root modules: providers with default_tags, variables,
                                        terraform.tfvars, locals with merge()d tags, count and
                                        for_each, module calls, and a few policy violations
    terraform/live/prod/platform-edge/  the "20-file module": a root module of exactly 20 .tf files
    kubernetes/<team>/                  multi-document manifests: Deployments, StatefulSets,
                                        CronJobs, Services, ConfigMaps, and LimitRanges

With --git the corpus becomes a git repository with one commit, and then a typical change is
made in the working tree (one file of the 20-file module, one other root module, one manifest),
so `guardrails diff --base HEAD` has something to judge.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SCALES = {
    # roots: Terraform root modules (about 8.5 .tf files each); apps: Kubernetes applications
    # (about 3.3 documents each, plus one LimitRange for most namespaces).
    "small": (16, 60),
    "medium": (100, 600),
    "large": (400, 1800),
}
PRECOMMIT_DIR = "terraform/live/prod/platform-edge"
PRECOMMIT_CHANGED = f"{PRECOMMIT_DIR}/compute.tf"
COMMIT_DATE = "2025-01-01T00:00:00+00:00"

TEAMS = ["payments", "search", "identity", "checkout", "catalog", "data", "ml", "growth",
         "platform", "mobile", "support", "billing"]
SERVICES = ["api", "worker", "gateway", "ingest", "indexer", "scheduler", "ledger", "reports",
            "exporter", "notifier", "auth", "sessions", "feeds", "media", "pricing", "inventory",
            "orders", "events", "webhooks", "analytics", "crawler", "recommender", "audit", "sync"]
ENVS = ["dev", "staging", "prod"]
REGIONS = ["us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
INSTANCE_TYPES = ["t3.micro", "t3.small", "t3.medium", "t3.large", "t3a.medium", "m6i.large",
                  "m6i.xlarge", "m5.large", "c6i.large", "c6i.2xlarge", "r6i.large", "m7g.large"]
BIG_INSTANCE_TYPES = ["m5.8xlarge", "c5.18xlarge", "r5.24xlarge", "x1e.32xlarge", "p4d.24xlarge", "m5.metal"]
DB_CLASSES = ["db.t4g.medium", "db.t4g.large", "db.r6g.large", "db.m6g.xlarge", "db.r6g.2xlarge"]
BIG_DB_CLASSES = ["db.r5.12xlarge", "db.x2g.16xlarge"]
VOLUME_TYPES = ["gp3"] * 6 + ["gp2", "gp2", "io1", "st1"]
NODE_TYPES = ["m6i.large", "m6i.xlarge", "c6i.xlarge", "r6i.xlarge", "m5.2xlarge"]
MEMORY_SIZES = ["64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi"]


# --- a small HCL writer that produces `terraform fmt` layout -------------------------------------

@dataclass(frozen=True)
class Obj:
    """An object value written over several lines, `=` aligned as terraform fmt does."""

    items: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Call:
    """A function call whose last argument is a multi-line object: merge(local.tags, {...})."""

    name: str
    args: tuple[str, ...]
    last: Obj


@dataclass(frozen=True)
class Lines:
    """A list written one element per line (elements are single-line expressions)."""

    items: tuple[str, ...]


Value = str | Obj | Call | Lines


@dataclass
class Block:
    type: str
    labels: tuple[str, ...] = ()
    body: list[Item] = field(default_factory=list)

    def attr(self, key: str, value: Value) -> Block:
        self.body.append((key, value))
        return self

    def blank(self) -> Block:
        self.body.append(BLANK)
        return self

    def block(self, child: Block) -> Block:
        self.body.append(child)
        return self


@dataclass(frozen=True)
class Comment:
    text: str


BLANK = None
Item = tuple[str, Value] | Block | Comment | None


def q(text: str) -> str:
    """An HCL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def qlist(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def inline(pairs: list[tuple[str, str]]) -> str:
    return "{ " + ", ".join(f"{k} = {v}" for k, v in pairs) + " }"


def _value(value: Value, depth: int) -> str:
    pad = "  " * depth
    if isinstance(value, str):
        return value
    if isinstance(value, Obj):
        inner = _body(list(value.items), depth + 1)
        return "{\n" + "".join(line + "\n" for line in inner) + pad + "}"
    if isinstance(value, Call):
        head = ", ".join(value.args)
        return f"{value.name}({head}, " + _value(value.last, depth) + ")"
    inner_pad = "  " * (depth + 1)
    return "[\n" + "".join(f"{inner_pad}{item},\n" for item in value.items) + pad + "]"


def _body(items: list[Item], depth: int) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        # terraform fmt aligns `=` over a run of consecutive single-line attributes; a blank
        # line, a nested block, a comment or a multi-line value ends the run.
        if run:
            width = max(len(key) for key, _ in run)
            lines.extend(f"{pad}{key.ljust(width)} = {text}" for key, text in run)
            run.clear()

    for item in items:
        if item is BLANK:
            flush()
            lines.append("")
        elif isinstance(item, Comment):
            flush()
            lines.append(f"{pad}# {item.text}")
        elif isinstance(item, Block):
            flush()
            lines.extend(_block(item, depth))
        else:
            key, value = item
            text = _value(value, depth)
            if "\n" in text:
                flush()
                lines.append(f"{pad}{key} = {text}")
            else:
                run.append((key, text))
    flush()
    return lines


def _block(block: Block, depth: int) -> list[str]:
    pad = "  " * depth
    head = " ".join([block.type, *(q(label) for label in block.labels)])
    return [f"{pad}{head} {{", *_body(block.body, depth + 1), f"{pad}}}"]


def hcl(*blocks: Block | Comment) -> str:
    """A file of top-level blocks separated by blank lines."""
    chunks = []
    for block in blocks:
        chunks.append(f"# {block.text}" if isinstance(block, Comment) else "\n".join(_block(block, 0)))
    return "\n\n".join(chunks).replace("\n\n\n", "\n\n") + "\n"


def tfvars(pairs: list[tuple[str, str]]) -> str:
    width = max(len(key) for key, _ in pairs)
    return "".join(f"{key.ljust(width)} = {value}\n" for key, value in pairs)


# --- shared local modules ---------------------------------------------------------------------

def _variable(name: str, type_: str, default: str | None = None, description: str | None = None) -> Block:
    block = Block("variable", (name,))
    if description:
        block.attr("description", q(description))
    block.attr("type", type_)
    if default is not None:
        block.attr("default", default)
    return block


def shared_modules() -> dict[str, str]:
    """The local modules every root module may call, by path under terraform/modules."""
    files: dict[str, str] = {}

    files["web_service/variables.tf"] = hcl(
        _variable("name", "string", description="Service name, used in resource names."),
        _variable("instance_type", "string", q("t3.medium")),
        _variable("instance_count", "number", "2"),
        _variable("subnet_ids", "list(string)"),
        _variable("vpc_id", "string"),
        _variable("tags", "map(string)", "{}"),
    )
    files["web_service/main.tf"] = hcl(
        Block("resource", ("aws_instance", "this"))
        .attr("count", "var.instance_count")
        .attr("ami", q("ami-0c55b159cbfafe1f0"))
        .attr("instance_type", "var.instance_type")
        .attr("subnet_id", "var.subnet_ids[count.index % length(var.subnet_ids)]")
        .blank()
        .block(Block("root_block_device").attr("volume_type", q("gp3")).attr("volume_size", "30"))
        .blank()
        .attr("tags", Call("merge", ("var.tags",), Obj((("Name", q("${var.name}-${count.index}")),)))),
        Block("resource", ("aws_lb", "this"))
        .attr("name", "var.name")
        .attr("internal", "false")
        .attr("load_balancer_type", q("application"))
        .attr("subnets", "var.subnet_ids")
        .attr("tags", "var.tags"),
        Block("resource", ("aws_lb_target_group", "this"))
        .attr("name", "var.name")
        .attr("port", "8080")
        .attr("protocol", q("HTTP"))
        .attr("vpc_id", "var.vpc_id"),
    )
    files["web_service/outputs.tf"] = hcl(
        Block("output", ("instance_ids",)).attr("value", "aws_instance.this[*].id"),
        Block("output", ("lb_dns_name",)).attr("value", "aws_lb.this.dns_name"),
    )

    files["worker_pool/variables.tf"] = hcl(
        _variable("name", "string"),
        _variable("instance_type", "string", q("m6i.large")),
        _variable("min_size", "number", "1"),
        _variable("max_size", "number", "4"),
        _variable("desired_capacity", "number", "2"),
        _variable("volume_type", "string", q("gp3")),
        _variable("subnet_ids", "list(string)"),
        _variable("tags", "map(string)", "{}"),
    )
    files["worker_pool/main.tf"] = hcl(
        Block("resource", ("aws_launch_template", "this"))
        .attr("name_prefix", q("${var.name}-"))
        .attr("image_id", q("ami-0c55b159cbfafe1f0"))
        .attr("instance_type", "var.instance_type")
        .blank()
        .block(Block("block_device_mappings").attr("device_name", q("/dev/xvda"))
               .block(Block("ebs").attr("volume_size", "50").attr("volume_type", "var.volume_type")))
        .blank()
        .block(Block("tag_specifications").attr("resource_type", q("instance")).attr("tags", "var.tags"))
        .blank()
        .attr("tags", "var.tags"),
        Block("resource", ("aws_autoscaling_group", "this"))
        .attr("name", "var.name")
        .attr("min_size", "var.min_size")
        .attr("max_size", "var.max_size")
        .attr("desired_capacity", "var.desired_capacity")
        .attr("vpc_zone_identifier", "var.subnet_ids")
        .blank()
        .block(Block("launch_template").attr("id", "aws_launch_template.this.id").attr("version", q("$Latest")))
        .blank()
        .block(Block("dynamic", ("tag",)).attr("for_each", "var.tags")
               .block(Block("content").attr("key", "tag.key").attr("value", "tag.value")
                      .attr("propagate_at_launch", "true"))),
    )
    files["worker_pool/outputs.tf"] = hcl(
        Block("output", ("asg_name",)).attr("value", "aws_autoscaling_group.this.name"),
    )

    files["database/variables.tf"] = hcl(
        _variable("identifier", "string"),
        _variable("instance_class", "string", q("db.t4g.medium")),
        _variable("allocated_storage", "number", "100"),
        _variable("storage_type", "string", q("gp3")),
        _variable("multi_az", "bool", "false"),
        _variable("subnet_ids", "list(string)"),
        _variable("tags", "map(string)", "{}"),
    )
    files["database/main.tf"] = hcl(
        Block("resource", ("aws_db_subnet_group", "this"))
        .attr("name", "var.identifier")
        .attr("subnet_ids", "var.subnet_ids"),
        Block("resource", ("aws_db_instance", "this"))
        .attr("identifier", "var.identifier")
        .attr("engine", q("postgres"))
        .attr("engine_version", q("16.3"))
        .attr("instance_class", "var.instance_class")
        .attr("allocated_storage", "var.allocated_storage")
        .attr("storage_type", "var.storage_type")
        .attr("multi_az", "var.multi_az")
        .attr("db_subnet_group_name", "aws_db_subnet_group.this.name")
        .attr("skip_final_snapshot", "true")
        .attr("tags", "var.tags"),
    )
    files["database/outputs.tf"] = hcl(
        Block("output", ("endpoint",)).attr("value", "aws_db_instance.this.endpoint"),
    )

    files["bucket/variables.tf"] = hcl(
        _variable("name", "string"),
        _variable("versioning", "bool", "true"),
        _variable("tags", "map(string)", "{}"),
    )
    files["bucket/main.tf"] = hcl(
        Block("resource", ("aws_s3_bucket", "this"))
        .attr("bucket", "var.name")
        .attr("tags", "var.tags"),
        Block("resource", ("aws_s3_bucket_versioning", "this"))
        .attr("bucket", "aws_s3_bucket.this.id")
        .blank()
        .block(Block("versioning_configuration")
               .attr("status", 'var.versioning ? "Enabled" : "Suspended"')),
        Block("resource", ("aws_s3_bucket_server_side_encryption_configuration", "this"))
        .attr("bucket", "aws_s3_bucket.this.id")
        .blank()
        .block(Block("rule").block(Block("apply_server_side_encryption_by_default")
                                   .attr("sse_algorithm", q("aws:kms")))),
    )
    files["bucket/outputs.tf"] = hcl(
        Block("output", ("arn",)).attr("value", "aws_s3_bucket.this.arn"),
    )

    files["eks_nodes/variables.tf"] = hcl(
        _variable("cluster_name", "string"),
        _variable("node_role_arn", "string"),
        _variable("subnet_ids", "list(string)"),
        _variable("groups", "map(object({ instance_type = string, size = number, disk = number }))"),
        _variable("tags", "map(string)", "{}"),
    )
    files["eks_nodes/main.tf"] = hcl(
        Block("resource", ("aws_eks_node_group", "this"))
        .attr("for_each", "var.groups")
        .attr("cluster_name", "var.cluster_name")
        .attr("node_group_name", "each.key")
        .attr("node_role_arn", "var.node_role_arn")
        .attr("subnet_ids", "var.subnet_ids")
        .attr("instance_types", "[each.value.instance_type]")
        .attr("disk_size", "each.value.disk")
        .blank()
        .block(Block("scaling_config").attr("desired_size", "each.value.size")
               .attr("min_size", "1").attr("max_size", "each.value.size * 2"))
        .blank()
        .attr("tags", Call("merge", ("var.tags",), Obj((("node-group", "each.key"),)))),
    )
    return files


# --- root modules -----------------------------------------------------------------------------

@dataclass
class Root:
    """What one root module is about, drawn once from its own random stream."""

    env: str
    team: str
    service: str
    region: str
    owner_tagged: bool
    components: list[str]
    rng: random.Random


COMPONENTS = ["compute", "volumes", "database", "storage", "network", "workers", "eks", "modules"]


def _instance_type(rng: random.Random) -> str:
    return rng.choice(BIG_INSTANCE_TYPES) if rng.random() < 0.06 else rng.choice(INSTANCE_TYPES)


def _volume_type(rng: random.Random) -> str | None:
    return None if rng.random() < 0.08 else rng.choice(VOLUME_TYPES)


def _tags(root: Root, name: str) -> Value:
    """How a resource gets its tags: mostly merge()d locals, sometimes none (a violation)."""
    roll = root.rng.random()
    if roll < 0.08:
        return "{}"
    if roll < 0.5:
        return Call("merge", ("local.common_tags",), Obj((("Name", q(name)),)))
    if roll < 0.8:
        return "local.common_tags"
    return f'merge(local.common_tags, {{ Name = {q(name)} }})'


def providers_tf(root: Root) -> str:
    default_tags = [("environment", "var.environment"), ("managed-by", q("terraform"))]
    if root.owner_tagged:
        default_tags.insert(0, ("owner", "var.team"))
    return hcl(
        Block("terraform").attr("required_version", q(">= 1.5"))
        .blank()
        .block(Block("required_providers").attr("aws", Obj((("source", q("hashicorp/aws")),
                                                             ("version", q("~> 5.0")))))),
        Block("provider", ("aws",)).attr("region", "var.region")
        .blank()
        .block(Block("default_tags").attr("tags", Obj(tuple(default_tags)))),
        Block("provider", ("aws",)).attr("alias", q("replica")).attr("region", q("us-west-2")),
    )


def variables_tf(root: Root) -> str:
    return hcl(
        _variable("region", "string", q("us-east-1")),
        _variable("environment", "string"),
        _variable("team", "string"),
        _variable("service", "string"),
        _variable("instance_type", "string", q("t3.medium")),
        _variable("instance_count", "number", "2"),
        _variable("vpc_id", "string", q("vpc-0a1b2c3d")),
        _variable("subnet_ids", "list(string)", qlist(["subnet-0a1", "subnet-0b2", "subnet-0c3"])),
        _variable("azs", "list(string)", qlist(["a", "b"])),
        _variable("allowed_cidrs", "list(string)", qlist(["10.0.0.0/8"])),
        _variable("db_password", "string", None, "Set by the pipeline; unknown to static analysis."),
    )


def tfvars_text(root: Root) -> str:
    rng = root.rng
    return tfvars([
        ("region", q(root.region)),
        ("environment", q(root.env)),
        ("team", q(root.team)),
        ("service", q(root.service)),
        ("instance_type", q(_instance_type(rng))),
        ("instance_count", str(rng.choice([1, 2, 2, 3, 4]) if root.env == "prod" else 1)),
    ])


def locals_tf(root: Root) -> str:
    rng = root.rng
    tags: list[tuple[str, Value]] = [("service", "var.service"), ("cost-center", q(f"cc-{rng.randint(1000, 9999)}"))]
    if root.owner_tagged or rng.random() < 0.5:
        tags.insert(0, ("owner", "var.team"))
    ports = rng.sample([22, 80, 443, 5432, 6379, 8080, 9090], rng.randint(2, 4))
    rules = tuple(inline([("port", str(p)), ("cidr", "var.allowed_cidrs[0]"), ("description", q(f"port {p}"))])
                  for p in sorted(ports))
    buckets = sorted(rng.sample(["logs", "artifacts", "backups", "exports", "assets", "tmp"], rng.randint(1, 3)))
    return hcl(
        Block("locals")
        .attr("name_prefix", q("${var.team}-${var.service}-${var.environment}"))
        .attr("is_prod", 'var.environment == "prod"')
        .blank()
        .attr("common_tags", Obj(tuple(tags)))
        .blank()
        .attr("ingress_rules", Lines(rules))
        .blank()
        .attr("buckets", f"toset({qlist(buckets)})"),
    )


def compute_tf(root: Root, prefix: str = "app") -> str:
    rng = root.rng
    blocks: list[Block | Comment] = []
    for i in range(rng.randint(1, 3)):
        name = f"{prefix}{i}" if i else prefix
        instance = (
            Block("resource", ("aws_instance", name))
            .attr("count", rng.choice(["var.instance_count", "local.is_prod ? 3 : 1", str(rng.randint(1, 4))]))
            .attr("ami", "data.aws_ami.base.id")
            .attr("instance_type", rng.choice(["var.instance_type", q(_instance_type(rng))]))
            .attr("subnet_id", "var.subnet_ids[count.index % length(var.subnet_ids)]")
            .attr("monitoring", "local.is_prod")
            .blank()
        )
        root_disk = Block("root_block_device").attr("volume_size", str(rng.choice([20, 30, 50, 100])))
        volume_type = _volume_type(rng)
        if volume_type:
            root_disk.attr("volume_type", q(volume_type))
        instance.block(root_disk).blank()
        instance.attr("tags", _tags(root, f"{name}-${{count.index}}"))
        blocks.append(instance)
    blocks.insert(0, Block("data", ("aws_ami", "base"))
                  .attr("most_recent", "true")
                  .attr("owners", qlist(["amazon"]))
                  .blank()
                  .block(Block("filter").attr("name", q("name")).attr("values", qlist(["al2023-ami-*-x86_64"]))))
    return hcl(*blocks)


def volumes_tf(root: Root) -> str:
    rng = root.rng
    blocks: list[Block | Comment] = []
    for name in sorted(rng.sample(["data", "scratch", "cache", "archive", "uploads"], rng.randint(1, 3))):
        volume_type = _volume_type(rng)
        block = Block("resource", ("aws_ebs_volume", name))
        if rng.random() < 0.5:
            block.attr("for_each", "toset(var.azs)")
            block.attr("availability_zone", q("${var.region}${each.key}"))
        else:
            block.attr("availability_zone", q("${var.region}a"))
        block.attr("size", str(rng.choice([50, 100, 200, 500, 1000, 4000])))
        if volume_type:
            block.attr("type", q(volume_type))
        if volume_type in ("io1", "io2"):
            block.attr("iops", str(rng.choice([3000, 6000, 10000])))
        block.attr("encrypted", "true")
        block.attr("tags", _tags(root, f"{name}-volume"))
        if volume_type == "gp2" and rng.random() < 0.3:
            blocks.append(Comment("guardrails:ignore storage-tier until=2026-06-30 legacy volume, migration planned"))
        blocks.append(block)
    return hcl(*blocks)


def database_tf(root: Root) -> str:
    rng = root.rng
    klass = rng.choice(BIG_DB_CLASSES) if rng.random() < 0.05 else rng.choice(DB_CLASSES)
    block = (
        Block("resource", ("aws_db_instance", "main"))
        .attr("identifier", q("${local.name_prefix}-db"))
        .attr("engine", q(rng.choice(["postgres", "mysql"])))
        .attr("instance_class", q(klass))
        .attr("allocated_storage", str(rng.choice([20, 100, 200, 500])))
    )
    storage = rng.choice(["gp3", "gp3", "gp3", "gp2", "io1", None])
    if storage:
        block.attr("storage_type", q(storage))
    if storage == "io1" or (storage is None and rng.random() < 0.5):
        block.attr("iops", "3000")
    block.attr("multi_az", "local.is_prod")
    block.attr("username", q("app"))
    block.attr("password", "var.db_password")
    block.attr("skip_final_snapshot", "!local.is_prod")
    block.attr("tags", _tags(root, "database"))
    blocks: list[Block | Comment] = [block]
    if root.env == "prod" and rng.random() < 0.5:
        blocks.append(
            Block("resource", ("aws_db_instance", "replica"))
            .attr("provider", "aws.replica")
            .attr("identifier", q("${local.name_prefix}-db-replica"))
            .attr("replicate_source_db", "aws_db_instance.main.arn")
            .attr("instance_class", q(klass))
            .attr("storage_type", q("gp3"))
            .attr("skip_final_snapshot", "true")
            .attr("tags", "local.common_tags"))
    return hcl(*blocks)


def storage_tf(root: Root) -> str:
    rng = root.rng
    return hcl(
        Block("resource", ("aws_s3_bucket", "this"))
        .attr("for_each", "local.buckets")
        .attr("bucket", q("${local.name_prefix}-${each.key}"))
        .attr("tags", Call("merge", ("local.common_tags",), Obj((("purpose", "each.key"),)))),
        Block("resource", ("aws_s3_bucket_lifecycle_configuration", "this"))
        .attr("for_each", "aws_s3_bucket.this")
        .attr("bucket", "each.value.id")
        .blank()
        .block(Block("rule").attr("id", q("expire")).attr("status", q("Enabled"))
               .blank()
               .block(Block("expiration").attr("days", str(rng.choice([30, 90, 365]))))),
    )


def network_tf(root: Root) -> str:
    rng = root.rng
    sg = (
        Block("resource", ("aws_security_group", "app"))
        .attr("name", q("${local.name_prefix}-app"))
        .attr("vpc_id", "var.vpc_id")
        .blank()
        .block(Block("dynamic", ("ingress",)).attr("for_each", "local.ingress_rules")
               .block(Block("content").attr("from_port", "ingress.value.port").attr("to_port", "ingress.value.port")
                      .attr("protocol", q("tcp")).attr("cidr_blocks", "[ingress.value.cidr]")
                      .attr("description", "ingress.value.description")))
        .blank()
        .block(Block("egress").attr("from_port", "0").attr("to_port", "0").attr("protocol", q("-1"))
               .attr("cidr_blocks", qlist(["0.0.0.0/0"])))
        .blank()
        .attr("tags", "local.common_tags")
    )
    blocks: list[Block | Comment] = [sg]
    if rng.random() < 0.6:
        blocks.append(Block("resource", ("aws_eip", "nat")).attr("count", "length(var.azs)").attr("domain", q("vpc")))
        blocks.append(
            Block("resource", ("aws_nat_gateway", "this"))
            .attr("count", "length(var.azs)")
            .attr("allocation_id", "aws_eip.nat[count.index].id")
            .attr("subnet_id", "var.subnet_ids[count.index]")
            .attr("tags", _tags(root, "nat-${count.index}")))
    if rng.random() < 0.7:
        blocks.append(
            Block("resource", ("aws_lb", "public"))
            .attr("name", "substr(local.name_prefix, 0, 32)")
            .attr("load_balancer_type", q(rng.choice(["application", "application", "network"])))
            .attr("subnets", "var.subnet_ids")
            .attr("security_groups", "[aws_security_group.app.id]")
            .attr("tags", _tags(root, "public-lb")))
    return hcl(*blocks)


def workers_tf(root: Root) -> str:
    rng = root.rng
    volume_type = _volume_type(rng)
    template = (
        Block("resource", ("aws_launch_template", "workers"))
        .attr("name_prefix", q("${local.name_prefix}-workers-"))
        .attr("image_id", q("ami-0c55b159cbfafe1f0"))
        .attr("instance_type", q(_instance_type(rng)))
        .blank()
    )
    ebs = Block("ebs").attr("volume_size", str(rng.choice([30, 50, 100])))
    if volume_type:
        ebs.attr("volume_type", q(volume_type))
    template.block(Block("block_device_mappings").attr("device_name", q("/dev/xvda")).block(ebs)).blank()
    template.attr("tags", "local.common_tags")
    size = rng.randint(1, 6)
    asg = (
        Block("resource", ("aws_autoscaling_group", "workers"))
        .attr("name", q("${local.name_prefix}-workers"))
        .attr("min_size", str(size))
        .attr("max_size", str(size * 3))
        .attr("desired_capacity", str(size + 1))
        .attr("vpc_zone_identifier", "var.subnet_ids")
        .blank()
        .block(Block("launch_template").attr("id", "aws_launch_template.workers.id").attr("version", q("$Latest")))
        .blank()
    )
    if rng.random() < 0.8:
        asg.block(Block("dynamic", ("tag",)).attr("for_each", "local.common_tags")
                  .block(Block("content").attr("key", "tag.key").attr("value", "tag.value")
                         .attr("propagate_at_launch", "true")))
    else:
        asg.block(Block("tag").attr("key", q("owner")).attr("value", "var.team")
                  .attr("propagate_at_launch", rng.choice(["true", "false"])))
    return hcl(template, asg)


def eks_tf(root: Root) -> str:
    rng = root.rng
    groups: list[tuple[str, Value]] = []
    for name in sorted(rng.sample(["general", "memory", "compute", "spot", "system"], rng.randint(1, 3))):
        groups.append((name, inline([
            ("instance_type", q(rng.choice(NODE_TYPES))), ("size", str(rng.randint(1, 8))),
            ("disk", str(rng.choice([20, 50, 100])))])))
    return hcl(
        Block("module", ("nodes",))
        .attr("source", q("../../../modules/eks_nodes"))
        .attr("cluster_name", q("${var.environment}-main"))
        .attr("node_role_arn", q("arn:aws:iam::123456789012:role/eks-nodes"))
        .attr("subnet_ids", "var.subnet_ids")
        .attr("groups", Obj(tuple(groups)))
        .attr("tags", "local.common_tags"),
        Block("resource", ("aws_eks_node_group", "batch"))
        .attr("cluster_name", q("${var.environment}-main"))
        .attr("node_group_name", q("${local.name_prefix}-batch"))
        .attr("node_role_arn", q("arn:aws:iam::123456789012:role/eks-nodes"))
        .attr("subnet_ids", "var.subnet_ids")
        .attr("instance_types", qlist([rng.choice(NODE_TYPES)]))
        .attr("capacity_type", q(rng.choice(["ON_DEMAND", "SPOT"])))
        .blank()
        .block(Block("scaling_config").attr("desired_size", str(rng.randint(1, 5))).attr("min_size", "1")
               .attr("max_size", "10"))
        .blank()
        .attr("tags", _tags(root, "batch-nodes")),
    )


def modules_tf(root: Root) -> str:
    rng = root.rng
    blocks: list[Block | Comment] = [
        Block("module", ("web",))
        .attr("source", q("../../../modules/web_service"))
        .attr("name", "local.name_prefix")
        .attr("instance_type", "var.instance_type")
        .attr("instance_count", "var.instance_count")
        .attr("subnet_ids", "var.subnet_ids")
        .attr("vpc_id", "var.vpc_id")
        .attr("tags", "local.common_tags"),
    ]
    if rng.random() < 0.6:
        blocks.append(
            Block("module", ("queue_workers",))
            .attr("source", q("../../../modules/worker_pool"))
            .attr("name", q("${local.name_prefix}-queue"))
            .attr("instance_type", q(_instance_type(rng)))
            .attr("desired_capacity", str(rng.randint(1, 6)))
            .attr("volume_type", q(rng.choice(["gp3", "gp3", "gp2"])))
            .attr("subnet_ids", "var.subnet_ids")
            .attr("tags", Call("merge", ("local.common_tags",), Obj((("role", q("queue")),)))))
    if rng.random() < 0.5:
        blocks.append(
            Block("module", ("reports_db",))
            .attr("source", q("../../../modules/database"))
            .attr("identifier", q("${local.name_prefix}-reports"))
            .attr("instance_class", q(rng.choice(DB_CLASSES)))
            .attr("storage_type", q(rng.choice(["gp3", "gp2"])))
            .attr("multi_az", "local.is_prod")
            .attr("subnet_ids", "var.subnet_ids")
            .attr("tags", "local.common_tags"))
    if rng.random() < 0.5:
        blocks.append(
            Block("module", ("exports",))
            .attr("for_each", "toset([\"raw\", \"curated\"])")
            .attr("source", q("../../../modules/bucket"))
            .attr("name", q("${local.name_prefix}-${each.key}"))
            .attr("tags", "local.common_tags"))
    if rng.random() < 0.1:
        # A registry module: not local, so guardrails reports it as unknown.
        blocks.append(
            Block("module", ("vpc_endpoints",))
            .attr("source", q("terraform-aws-modules/vpc/aws//modules/vpc-endpoints"))
            .attr("version", q("5.8.1"))
            .attr("vpc_id", "var.vpc_id"))
    return hcl(*blocks)


def outputs_tf(root: Root) -> str:
    blocks = [Block("output", ("name_prefix",)).attr("value", "local.name_prefix")]
    if "modules" in root.components:
        blocks.append(Block("output", ("web_lb",)).attr("value", "module.web.lb_dns_name"))
    if "database" in root.components:
        blocks.append(Block("output", ("db_endpoint",)).attr("value", "aws_db_instance.main.endpoint")
                      .attr("sensitive", "true"))
    return hcl(*blocks)


WRITERS = {
    "compute": compute_tf, "volumes": volumes_tf, "database": database_tf, "storage": storage_tf,
    "network": network_tf, "workers": workers_tf, "eks": eks_tf, "modules": modules_tf,
}


def root_files(root: Root) -> dict[str, str]:
    files = {"providers.tf": providers_tf(root), "variables.tf": variables_tf(root),
             "locals.tf": locals_tf(root), "terraform.tfvars": tfvars_text(root)}
    for component in root.components:
        files[f"{component}.tf"] = WRITERS[component](root)
    files["outputs.tf"] = outputs_tf(root)
    return files


def precommit_files(seed: int) -> dict[str, str]:
    """A root module of exactly 20 .tf files; compute.tf is the one a change touches."""
    rng = random.Random(f"{seed}:precommit")
    root = Root("prod", "platform", "edge", "us-east-1", True, ["modules", "database"], rng)
    files = {"providers.tf": providers_tf(root), "variables.tf": variables_tf(root),
             "locals.tf": locals_tf(root), "outputs.tf": outputs_tf(root),
             "compute.tf": compute_tf(root, "edge")}
    extra = {
        "compute_api.tf": lambda: compute_tf(root, "api"),
        "compute_batch.tf": lambda: compute_tf(root, "batch"),
        "volumes.tf": lambda: volumes_tf(root),
        "database.tf": lambda: database_tf(root),
        "storage.tf": lambda: storage_tf(root),
        "network.tf": lambda: network_tf(root),
        "workers.tf": lambda: workers_tf(root),
        "eks.tf": lambda: eks_tf(root),
        "modules.tf": lambda: modules_tf(root),
    }
    for name, make in extra.items():
        files[name] = make()
    # Files that differ only in names, so their resources do not collide.
    for i, name in enumerate(["cache", "search", "queue", "metrics", "edge_proxy"]):
        files[f"{name}.tf"] = _rename(compute_tf(root, name.replace("_", "")), "base", f"base_{i}")
    files["data.tf"] = hcl(Block("data", ("aws_caller_identity", "current")),
                           Block("data", ("aws_region", "current")))
    # compute*.tf each declare data.aws_ami.base: give each its own name.
    files["compute_api.tf"] = _rename(files["compute_api.tf"], "base", "api_base")
    files["compute_batch.tf"] = _rename(files["compute_batch.tf"], "base", "batch_base")
    assert len([n for n in files if n.endswith(".tf")]) == 20, sorted(files)
    return files


def _rename(text: str, old: str, new: str) -> str:
    return text.replace(f'"aws_ami" "{old}"', f'"aws_ami" "{new}"').replace(f"data.aws_ami.{old}.", f"data.aws_ami.{new}.")


# --- Kubernetes -------------------------------------------------------------------------------

def _quantity_cpu(rng: random.Random) -> str:
    return rng.choice(["50m", "100m", "250m", "500m", "1", "2"])


def _quantity_memory(rng: random.Random) -> str:
    return rng.choice(MEMORY_SIZES)


def _container(rng: random.Random, name: str, image: str) -> dict[str, object]:
    container: dict[str, object] = {"name": name, "image": image}
    if rng.random() < 0.3:
        container["ports"] = [{"containerPort": rng.choice([80, 8080, 9090]), "name": "http"}]
    roll = rng.random()
    if roll < 0.08:
        return container  # no resources at all
    cpu, memory = _quantity_cpu(rng), _quantity_memory(rng)
    resources: dict[str, dict[str, str]] = {"requests": {"cpu": cpu, "memory": memory}}
    if roll < 0.1:
        resources["requests"]["memory"] = "100m"  # the classic CPU-unit slip
    at_least = MEMORY_SIZES[MEMORY_SIZES.index(memory):]
    # Mostly limit = request or above; a request above its limit is a rare slip.
    limits = {"memory": memory if rng.random() < 0.6 else rng.choice(at_least if rng.random() < 0.93 else MEMORY_SIZES)}
    if rng.random() < 0.4:
        limits["cpu"] = rng.choice(["1", "2", "4", "16"])
    if rng.random() < 0.1:
        limits.pop("memory")
    if limits:
        resources["limits"] = limits
    container["resources"] = resources
    return container


def _pod_spec(rng: random.Random, app: str, restart: str | None = None) -> dict[str, object]:
    containers = [_container(rng, app, f"registry.example.com/{app}:{rng.randint(1, 40)}.{rng.randint(0, 9)}")]
    if rng.random() < 0.25:
        containers.append(_container(rng, "proxy", "envoyproxy/envoy:v1.30.1"))
    spec: dict[str, object] = {}
    if rng.random() < 0.15:
        spec["initContainers"] = [_container(rng, "migrate", "busybox:1.36")]
    spec["containers"] = containers
    if restart:
        spec["restartPolicy"] = restart
    return spec


def _metadata(name: str, namespace: str, team: str, rng: random.Random) -> dict[str, object]:
    meta: dict[str, object] = {"name": name, "namespace": namespace,
                               "labels": {"app.kubernetes.io/name": name, "team": team}}
    if rng.random() < 0.03:
        meta["annotations"] = {"guardrails.dev/ignore": "k8s-resources until=2026-12-31 load test in progress"}
    return meta


def app_documents(rng: random.Random, team: str, app: str) -> list[dict[str, object]]:
    namespace = team
    docs: list[dict[str, object]] = [{
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": _metadata(f"{app}-config", namespace, team, rng),
        "data": {"LOG_LEVEL": rng.choice(["info", "debug", "warn"]), "FEATURE_FLAGS": "a,b,c"},
    }]
    selector = {"matchLabels": {"app.kubernetes.io/name": app}}
    template_meta = {"labels": {"app.kubernetes.io/name": app, "team": team}}
    if rng.random() < 0.2:
        docs.append({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": _metadata(app, namespace, team, rng),
            "spec": {
                "serviceName": app, "replicas": rng.choice([1, 3, 5]), "selector": selector,
                "template": {"metadata": template_meta, "spec": _pod_spec(rng, app)},
                "volumeClaimTemplates": [{
                    "metadata": {"name": "data"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": rng.choice(["gp3", "gp2"]),
                             "resources": {"requests": {"storage": rng.choice(["10Gi", "50Gi", "200Gi"])}}},
                }],
            },
        })
    else:
        docs.append({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": _metadata(app, namespace, team, rng),
            "spec": {
                "replicas": rng.choice([1, 2, 2, 3, 4, 6, 10]), "selector": selector,
                "template": {"metadata": template_meta, "spec": _pod_spec(rng, app)},
            },
        })
    docs.append({
        "apiVersion": "v1", "kind": "Service",
        "metadata": _metadata(app, namespace, team, rng),
        "spec": {"selector": {"app.kubernetes.io/name": app},
                 "ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
    })
    if rng.random() < 0.3:
        docs.append({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": _metadata(f"{app}-nightly", namespace, team, rng),
            "spec": {"schedule": f"{rng.randint(0, 59)} {rng.randint(0, 6)} * * *",
                     "jobTemplate": {"spec": {"template": {"spec": _pod_spec(rng, f"{app}-job", "OnFailure")}}}},
        })
    return docs


def limit_range(team: str, rng: random.Random) -> dict[str, object]:
    return {
        "apiVersion": "v1", "kind": "LimitRange",
        "metadata": {"name": "container-defaults", "namespace": team},
        "spec": {"limits": [{
            "type": "Container",
            "default": {"cpu": "500m", "memory": rng.choice(["256Mi", "512Mi"])},
            "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
            "max": {"cpu": "4", "memory": "8Gi"},
        }]},
    }


def dump_documents(docs: list[dict[str, object]]) -> str:
    # The pure-Python dumper: its output does not depend on whether libyaml is installed.
    return yaml.dump_all(docs, Dumper=yaml.SafeDumper, sort_keys=False, default_flow_style=False,
                         explicit_start=True, width=120)


# --- the corpus -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    tf_files: int
    tfvars_files: int
    root_modules: int
    manifest_files: int
    documents: int


def build(out: Path, roots: int, apps: int, seed: int = 1) -> Summary:
    """Write the corpus under `out` (which must be empty or absent)."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty; give a new directory")
    files: dict[str, str] = {}
    for path, text in shared_modules().items():
        files[f"terraform/modules/{path}"] = text
    used: set[str] = set()
    for i in range(roots):
        rng = random.Random(f"{seed}:root:{i}")
        env, team, service = ENVS[i % 3], rng.choice(TEAMS), rng.choice(SERVICES)
        name = f"{team}-{service}"
        while f"{env}/{name}" in used:
            name = f"{team}-{service}-{rng.randint(2, 99)}"
        used.add(f"{env}/{name}")
        count = rng.randint(3, 6)
        components = [c for c in COMPONENTS if c in rng.sample(COMPONENTS, count)]
        if i == 1 and "compute" not in components:
            components.insert(0, "compute")  # the root that the --git change touches
        root = Root(env, team, service, rng.choice(REGIONS), rng.random() > 0.15, components, rng)
        for path, text in root_files(root).items():
            files[f"terraform/live/{env}/{name}/{path}"] = text
    for path, text in precommit_files(seed).items():
        files[f"{PRECOMMIT_DIR}/{path}"] = text

    documents = 0
    per_team: dict[str, list[str]] = {}
    for i in range(apps):
        rng = random.Random(f"{seed}:app:{i}")
        team = TEAMS[i % len(TEAMS)]
        app = f"{rng.choice(SERVICES)}-{i:04d}"
        docs = app_documents(rng, team, app)
        documents += len(docs)
        files[f"kubernetes/{team}/{app}.yaml"] = dump_documents(docs)
        per_team.setdefault(team, []).append(app)
    for team in sorted(per_team):
        rng = random.Random(f"{seed}:limits:{team}")
        if rng.random() < 0.7:
            files[f"kubernetes/{team}/limitrange.yaml"] = dump_documents([limit_range(team, rng)])
            documents += 1

    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(files[path])
    return Summary(
        tf_files=sum(1 for p in files if p.endswith(".tf")),
        tfvars_files=sum(1 for p in files if p.endswith(".tfvars")),
        root_modules=roots + 1,
        manifest_files=sum(1 for p in files if p.endswith(".yaml")),
        documents=documents,
    )


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
                          cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def make_repository(out: Path) -> list[str]:
    """Commit the corpus, then change a few files in the working tree; the changed paths."""
    _git(out, "init", "-q", "-b", "main")
    _git(out, "add", "-A")
    _git(out, "commit", "-q", "-m", "corpus")
    return change(out)


def change(out: Path) -> list[str]:
    """A typical pull request: a bigger instance in the 20-file module, more instances in another
    root module, more replicas of one Deployment."""
    changed = [PRECOMMIT_CHANGED]
    _edit(out / PRECOMMIT_CHANGED, r'(instance_type += )(\S+)', r'\1"m6i.4xlarge"')
    second = sorted((out / "terraform/live").glob("*/*/compute.tf"))
    second = [p for p in second if p.parent.name != "platform-edge"]
    if second:
        _edit(second[0], r'(count +=) .*', r'\1 6')
        changed.append(second[0].relative_to(out).as_posix())
    manifests = sorted((out / "kubernetes").glob("*/*.yaml"))
    for path in manifests:
        if "replicas:" in path.read_text(encoding="utf-8"):
            _edit(path, r"(replicas:) \d+", r"\1 12")
            changed.append(path.relative_to(out).as_posix())
            break
    return changed


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1)
    if not count:
        raise RuntimeError(f"{path}: nothing matches {pattern!r}")
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to create (must be empty or absent)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="medium")
    parser.add_argument("--roots", type=int, help="Terraform root modules (overrides --scale)")
    parser.add_argument("--apps", type=int, help="Kubernetes applications (overrides --scale)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--git", action="store_true",
                        help="make it a git repository and leave a typical change in the working tree")
    args = parser.parse_args(argv)
    roots, apps = SCALES[args.scale]
    summary = build(args.out, args.roots if args.roots is not None else roots,
                    args.apps if args.apps is not None else apps, args.seed)
    print(f"{args.out}: {summary.tf_files} .tf files and {summary.tfvars_files} .tfvars in "
          f"{summary.root_modules} root modules, {summary.documents} Kubernetes documents in "
          f"{summary.manifest_files} files")
    if args.git:
        for path in make_repository(args.out):
            print(f"changed in the working tree: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
