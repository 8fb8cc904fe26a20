"""The AWS network, storage and account fees the newer service modules price (Elastic IPs, VPC
endpoints, transit gateway attachments, VPN, Network Firewall, Route 53, EFS and FSx, KMS,
Secrets Manager, CloudWatch, WAF, ECS on Fargate, ...), and more types known to be free;
databases_table.py holds the database services. models.py merges both tables. A type is listed
only once its cost model is tested against a published price.
"""
from __future__ import annotations

from guardrails.pricing.aws import (
    addresses,
    cloudwatch,
    ecs,
    efs,
    endpoints,
    firewall,
    globalaccelerator,
    kms,
    route53,
    secrets,
    transit,
    vpn,
    waf,
)
from guardrails.pricing.aws.common import ModelFunction

MODELS: dict[str, ModelFunction] = {
    "aws_eip": addresses.eip,
    "aws_vpc_endpoint": endpoints.vpc_endpoint,
    "aws_ec2_transit_gateway_vpc_attachment": transit.vpc_attachment,
    "aws_vpn_connection": vpn.vpn_connection,
    "aws_ec2_client_vpn_network_association": vpn.client_vpn_network_association,
    "aws_ec2_client_vpn_endpoint": vpn.client_vpn_endpoint,
    "aws_networkfirewall_firewall": firewall.networkfirewall_firewall,
    "aws_route53_resolver_endpoint": route53.route53_resolver_endpoint,
    "aws_route53_zone": route53.route53_zone,
    "aws_globalaccelerator_accelerator": globalaccelerator.accelerator,
    "aws_efs_file_system": efs.efs_file_system,
    "aws_kms_key": kms.kms_key,
    "aws_secretsmanager_secret": secrets.secretsmanager_secret,
    "aws_cloudwatch_metric_alarm": cloudwatch.metric_alarm,
    "aws_cloudwatch_log_group": cloudwatch.log_group,
    "aws_cloudwatch_dashboard": cloudwatch.dashboard,
    "aws_wafv2_web_acl": waf.wafv2_web_acl,
    "aws_ecs_service": ecs.ecs_service,
}

FREE_TYPES: frozenset[str] = frozenset()
