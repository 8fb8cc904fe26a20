"""How big an instance type is: vCPUs and memory, and how its name splits into family and size.

`instance_spec(provider, name)` answers for AWS (EC2, and RDS `db.` / ElastiCache `cache.`
classes through their EC2 equivalents), GCP machine types (bundled table plus custom types
parsed from the name) and Azure VM sizes (parsed from the name). A type it does not know is
None, never a guess. Tables are built on first use: importing this module costs nothing. Each
cloud's tables are their own module (specs_aws.py, specs_gcp.py, specs_azure.py); this one
says which cloud a name belongs to and asks it.

Naming (shared with the instance-size rule):
- AWS-style names (`m5.large`, `db.t4g.micro`): the family is the text before the first dot,
  after a `db.` or `cache.` prefix (`db.t4g.large` is family `db.t4g`); the size is the rest,
  ranked by `size_rank`.
- GCP machine types (`n2-standard-4`, `custom-4-16384`): the family is the series before the
  first dash (`n2`, `e2`, `custom`); they have no ranked size.
- Azure sizes (`Standard_D4s_v5`): the family is the series as Azure's documentation writes
  it: letters, additive features and version (`Dsv5`, `Edsv5`, `Fsv2`; the first B-series is
  `B`); no ranked size. Globs over the full name (`Standard_D*s_v5`) are often handier.
"""
from __future__ import annotations

from typing import Any

from guardrails.providers import specs_aws, specs_azure, specs_gcp
from guardrails.providers.specs_common import Missing, Spec, size_rank
from guardrails.providers.specs_gcp import GCP_TABLE

__all__ = ["GCP_TABLE", "Missing", "Spec", "instance_spec", "missing_type", "provider_of", "size_rank",
           "spec_table_sources", "split_instance_type"]


def split_instance_type(name: str) -> tuple[str, str]:
    """(family, size) of an instance type name; size is "" where names carry no ranked size."""
    if name.startswith(("Standard_", "Basic_")):
        parsed = specs_azure.parse(name)
        return (parsed.family if parsed else name), ""
    if "." in name:
        prefix = next((p for p in specs_aws.SERVICE_PREFIXES if name.startswith(p)), "")
        family, _, size = name[len(prefix):].partition(".")
        return prefix + family, size
    family, _, _ = name.partition("-")
    return family, ""


def provider_of(name: str) -> str:
    """The cloud an instance type name belongs to, from its shape: aws, google, azurerm or ""."""
    if name.startswith(("Standard_", "Basic_")):
        return "azurerm"
    if "." in name:
        return "aws"
    if "-" in name:
        return "google"
    return ""


def instance_spec(provider: str, name: str) -> Spec | None:
    """vCPUs and memory of an instance type, or None when it is not in the tables.

    `provider` is the Terraform provider (aws, google, azurerm); "" or "kubernetes" infers it
    from the name, as for a node selector's instance-type label.
    """
    if provider in ("", "kubernetes"):
        provider = provider_of(name)
    if provider == "aws":
        return specs_aws.spec(name)
    if provider == "google":
        return specs_gcp.spec(name)
    if provider in ("azurerm", "azure"):
        return specs_azure.spec(name)
    return None


def missing_type(provider: str, name: str) -> Missing | None:
    """Why `name` is not a real instance type, or None: it exists, or its family is not known whole."""
    if provider in ("", "kubernetes"):
        provider = provider_of(name)
    if provider == "aws":
        return specs_aws.missing(name)
    if provider == "google":
        return specs_gcp.missing(name)
    if provider in ("azurerm", "azure"):
        return specs_azure.missing(name)
    return None


def spec_table_sources() -> dict[str, Any]:
    """Where the tables come from, for `guardrails prices show` and the docs."""
    data = specs_gcp.data()
    return {
        "aws": "Amazon EC2 instance types specifications (docs.aws.amazon.com), written by hand",
        "google": f"{data['source']} ({data['source_file']}, generated {data['generated']})",
        "azurerm": "parsed from the size name; memory per Microsoft Learn size series pages",
    }
