"""The AWS network, storage and account fees the newer service modules price (Elastic IPs, VPC
endpoints, transit gateway attachments, VPN, Network Firewall, Route 53, EFS and FSx, KMS,
Secrets Manager, CloudWatch, WAF, ECS on Fargate, ...), and more types known to be free;
databases_table.py holds the database services. models.py merges both tables. A type is listed
only once its cost model is tested against a published price.
"""
from __future__ import annotations

from guardrails.pricing.aws.common import ModelFunction

MODELS: dict[str, ModelFunction] = {}
FREE_TYPES: frozenset[str] = frozenset()
