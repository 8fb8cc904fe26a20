"""Which function prices each AWS resource type, and which types cost nothing by themselves.

The table is apart from the service modules so that each service can be read, and grow, alone;
estimate.py reaches it as `guardrails.pricing.aws.MODELS`.
"""
from __future__ import annotations

from guardrails.pricing.aws import compute, databases_table, ebs, eks, elasticache, fees_table, network, rds, usage_based
from guardrails.pricing.aws.common import ModelFunction

MODELS: dict[str, ModelFunction] = {
    "aws_instance": compute.instance,
    "aws_ebs_volume": ebs.ebs_volume,
    "aws_db_instance": rds.db_instance,
    "aws_autoscaling_group": compute.autoscaling_group,
    "aws_eks_cluster": eks.eks_cluster,
    "aws_eks_node_group": eks.eks_node_group,
    "aws_nat_gateway": network.nat_gateway,
    "aws_lb": network.load_balancer,
    "aws_alb": network.load_balancer,
    "aws_elb": network.classic_elb,
    "aws_elasticache_cluster": elasticache.elasticache_cluster,
    "aws_elasticache_replication_group": elasticache.elasticache_replication_group,
    "aws_s3_bucket": usage_based.s3_bucket,
    "aws_lambda_function": usage_based.lambda_function,
}

# Types that cost nothing by themselves, so estimate.py counts them as free rather than unpriced.
# Only types AWS does not bill for; anything with an hourly, per-request or storage price is absent.
FREE_NOTES: dict[str, str] = {
    "aws_launch_template": "priced where used (the instance or Auto Scaling group)",
    "aws_launch_configuration": "priced where used (the Auto Scaling group)",
    "aws_s3_bucket_versioning": "older versions count towards the bucket's storage",
}
FREE_TYPES: frozenset[str] = frozenset({
    *FREE_NOTES,
    "aws_security_group", "aws_security_group_rule", "aws_default_security_group",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
    "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment", "aws_iam_instance_profile", "aws_iam_user", "aws_iam_user_policy",
    "aws_iam_user_policy_attachment", "aws_iam_group", "aws_iam_group_policy",
    "aws_iam_group_policy_attachment", "aws_iam_group_membership", "aws_iam_openid_connect_provider",
    "aws_iam_service_linked_role", "aws_iam_access_key",
    "aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_route_table_association",
    "aws_main_route_table_association", "aws_default_route_table", "aws_internet_gateway",
    "aws_egress_only_internet_gateway", "aws_network_acl", "aws_network_acl_rule",
    "aws_default_network_acl", "aws_vpc_dhcp_options", "aws_vpc_dhcp_options_association",
    "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_acl",
    "aws_s3_bucket_cors_configuration",
    "aws_db_subnet_group", "aws_db_parameter_group", "aws_db_option_group",
    "aws_elasticache_subnet_group", "aws_elasticache_parameter_group",
    "aws_lb_target_group", "aws_lb_listener", "aws_lb_listener_rule", "aws_lb_target_group_attachment",
    "aws_alb_target_group", "aws_alb_listener", "aws_alb_listener_rule", "aws_alb_target_group_attachment",
    "aws_autoscaling_policy", "aws_autoscaling_attachment", "aws_autoscaling_schedule",
    "aws_key_pair", "aws_placement_group", "aws_volume_attachment", "aws_lambda_permission",
    "aws_ec2_tag", "aws_default_vpc", "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association", "aws_vpc_block_public_access_options",
    "aws_vpc_block_public_access_exclusion", "aws_redshift_subnet_group", "aws_customer_gateway",
    "aws_eks_access_entry", "aws_eks_access_policy_association", "aws_eks_pod_identity_association",
    "aws_db_instance_role_association",
})

# The newer services register in their own tables (see each module), merged here.
MODELS.update(databases_table.MODELS)
MODELS.update(fees_table.MODELS)
FREE_TYPES = FREE_TYPES | fees_table.FREE_TYPES | databases_table.FREE_TYPES
