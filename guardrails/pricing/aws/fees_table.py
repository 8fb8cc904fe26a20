"""The AWS network, storage and account fees the newer service modules price (Elastic IPs, VPC
endpoints, transit gateway attachments, VPN, Network Firewall, Route 53, EFS and FSx, KMS,
Secrets Manager, CloudWatch, WAF, ECS on Fargate, ...), and more types known to be free;
databases_table.py holds the database services. models.py merges both tables. A type is listed
only once its cost model is tested against a published price.
"""
from __future__ import annotations

from guardrails.pricing.aws.common import Lazy, ModelFunction

MODELS: dict[str, ModelFunction] = {
    "aws_ec2_capacity_reservation": Lazy("capacity_reservations", "capacity_reservation"),
    "aws_eip": Lazy("addresses", "eip"),
    "aws_vpc_endpoint": Lazy("endpoints", "vpc_endpoint"),
    "aws_ec2_transit_gateway_vpc_attachment": Lazy("transit", "vpc_attachment"),
    "aws_vpn_connection": Lazy("vpn", "vpn_connection"),
    "aws_ec2_client_vpn_network_association": Lazy("vpn", "client_vpn_network_association"),
    "aws_ec2_client_vpn_endpoint": Lazy("vpn", "client_vpn_endpoint"),
    "aws_networkfirewall_firewall": Lazy("firewall", "networkfirewall_firewall"),
    "aws_route53_resolver_endpoint": Lazy("route53", "route53_resolver_endpoint"),
    "aws_route53_zone": Lazy("route53", "route53_zone"),
    "aws_globalaccelerator_accelerator": Lazy("globalaccelerator", "accelerator"),
    "aws_efs_file_system": Lazy("efs", "efs_file_system"),
    "aws_kms_key": Lazy("kms", "kms_key"),
    "aws_secretsmanager_secret": Lazy("secrets", "secretsmanager_secret"),
    "aws_cloudwatch_metric_alarm": Lazy("cloudwatch", "metric_alarm"),
    "aws_cloudwatch_log_group": Lazy("cloudwatch", "log_group"),
    "aws_cloudwatch_dashboard": Lazy("cloudwatch", "dashboard"),
    "aws_wafv2_web_acl": Lazy("waf", "wafv2_web_acl"),
    "aws_ecs_service": Lazy("ecs", "ecs_service"),
    "aws_fsx_windows_file_system": Lazy("fsx", "windows_file_system"),
    "aws_fsx_openzfs_file_system": Lazy("fsx", "openzfs_file_system"),
    "aws_ec2_host": Lazy("dedicated_hosts", "ec2_host"),
    "aws_lambda_provisioned_concurrency_config": Lazy("lambda_concurrency", "provisioned_concurrency_config"),
    "aws_sqs_queue": Lazy("sqs", "sqs_queue"),
    "aws_ssm_parameter": Lazy("ssm", "ssm_parameter"),
    "aws_acmpca_certificate_authority": Lazy("acmpca", "certificate_authority"),
    "aws_sns_topic": Lazy("sns", "sns_topic"),
    "aws_ssm_activation": Lazy("ssm", "ssm_activation"),
    "aws_acm_certificate": Lazy("certificates", "acm_certificate"),
    "aws_acmpca_certificate": Lazy("certificates", "acmpca_certificate"),
    "aws_flow_log": Lazy("flow_logs", "flow_log"),
}

# Types AWS does not bill by themselves, so that estimate.py counts them as free rather than "not
# modelled"; models.py adds them to its own list. Each group says why. A type whose mere existence
# is billed (a health check, a custom metric) or that only costs by use without being priced
# elsewhere (SNS subscriptions, EventBridge buses) is not here.
FREE_TYPES: frozenset[str] = frozenset({
    # IAM, Organizations and Resource Access Manager are offered at no additional charge.
    "aws_iam_account_alias", "aws_iam_account_password_policy", "aws_iam_group_policy_attachments_exclusive",
    "aws_iam_role_policies_exclusive", "aws_iam_role_policy_attachments_exclusive", "aws_iam_saml_provider",
    "aws_iam_server_certificate", "aws_iam_service_specific_credential", "aws_iam_signing_certificate",
    "aws_iam_user_group_membership", "aws_iam_user_login_profile", "aws_iam_user_ssh_key",
    "aws_iam_virtual_mfa_device", "aws_iam_user_policies_exclusive",
    "aws_organizations_organization", "aws_organizations_account", "aws_organizations_organizational_unit",
    "aws_organizations_policy", "aws_organizations_policy_attachment", "aws_organizations_delegated_administrator",
    "aws_ram_resource_share", "aws_ram_principal_association", "aws_ram_resource_association",
    "aws_ram_resource_share_accepter",
    # VPC wiring: no charge of its own. Peering is billed only as data transfer (not modelled, like
    # an internet gateway's); a transit gateway and a virtual private gateway bill through their
    # attachments and connections (priced on aws_ec2_transit_gateway_vpc_attachment and
    # aws_vpn_connection); an Elastic IP association's address is billed on the aws_eip; ENIs and
    # prefix lists cost nothing.
    "aws_default_subnet", "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
    "aws_vpc_peering_connection_options", "aws_network_interface", "aws_network_interface_attachment",
    "aws_network_interface_sg_attachment", "aws_eip_association", "aws_ec2_managed_prefix_list",
    "aws_ec2_managed_prefix_list_entry", "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_policy",
    "aws_vpc_endpoint_security_group_association",
    "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route",
    "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation",
    "aws_vpn_gateway", "aws_vpn_gateway_attachment", "aws_vpn_gateway_route_propagation", "aws_vpn_connection_route",
    "aws_ec2_client_vpn_authorization_rule", "aws_ec2_client_vpn_route",
    # Route 53 records: queries are billed on the hosted zone (usage), and a zone's first 10,000
    # records are included in its monthly fee; associations cost nothing.
    "aws_route53_record", "aws_route53_zone_association", "aws_route53_vpc_association_authorization",
    # KMS aliases and grants, Secrets Manager versions, policies and rotation settings are included
    # in the key's and the secret's monthly fee (a rotation Lambda is priced as a Lambda).
    "aws_kms_alias", "aws_kms_grant", "aws_secretsmanager_secret_version", "aws_secretsmanager_secret_policy",
    "aws_secretsmanager_secret_rotation",
    # CloudWatch Logs: a stream's storage and ingestion count in its log group's usage; policies
    # and subscription filters have no fee (the destination bills what it receives). EventBridge
    # rules and targets have no fee (custom events are billed on the bus; targets where they run).
    "aws_cloudwatch_log_stream", "aws_cloudwatch_log_resource_policy", "aws_cloudwatch_log_subscription_filter",
    "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
    # EFS mount targets, access points and file system policies have no fee; storage and throughput
    # are billed on the file system.
    "aws_efs_mount_target", "aws_efs_access_point", "aws_efs_file_system_policy",
    # WAF IP sets, regex pattern sets and associations have no fee; a rule group's rules are billed
    # as rules of the web ACL that uses it (aws_wafv2_web_acl's rule_group_rules usage).
    "aws_wafv2_ip_set", "aws_wafv2_regex_pattern_set", "aws_wafv2_web_acl_association", "aws_wafv2_rule_group",
    # ECS: clusters, task definitions and capacity providers have no fee; tasks are billed where they
    # run (aws_ecs_service on Fargate, or the EC2 instances). Container Insights, when a cluster
    # turns it on, is billed as CloudWatch custom metrics, not modelled.
    "aws_ecs_cluster", "aws_ecs_task_definition", "aws_ecs_cluster_capacity_providers", "aws_ecs_capacity_provider",
    # Auto Scaling (EC2 and Application Auto Scaling) has no additional fees: the resources it scales
    # are billed.
    "aws_autoscaling_lifecycle_hook", "aws_autoscaling_notification", "aws_autoscaling_group_tag",
    "aws_appautoscaling_target", "aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action",
    # Lambda aliases and function URLs: invocations are billed on the function.
    "aws_lambda_alias", "aws_lambda_function_url",
    # Queue and topic policies have no fee (requests are billed on the queue or topic).
    "aws_sqs_queue_policy", "aws_sqs_queue_redrive_policy", "aws_sqs_queue_redrive_allow_policy",
    "aws_sns_topic_policy",
    # S3 bucket settings with no fee of their own; an object's storage counts in the bucket's
    # storage_gb usage. (Replication, inventory, analytics, metrics and Intelligent-Tiering
    # configurations are billed and stay out.)
    "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_website_configuration", "aws_s3_bucket_notification",
    "aws_s3_bucket_logging", "aws_s3_bucket_request_payment_configuration", "aws_s3_account_public_access_block",
    "aws_s3_object",
    # Load balancer listener certificates and policies are included in the load balancer's hours.
    "aws_lb_listener_certificate", "aws_lb_cookie_stickiness_policy", "aws_lb_ssl_negotiation_policy",
    "aws_load_balancer_policy", "aws_elb_attachment", "aws_proxy_protocol_policy", "aws_app_cookie_stickiness_policy",
    # Waiting for an ACM certificate's validation creates nothing.
    "aws_acm_certificate_validation",
    # EC2 account settings.
    "aws_ebs_encryption_by_default", "aws_ebs_default_kms_key", "aws_ec2_serial_console_access",
    # IAM Identity Center (its users, groups, permission sets and assignments) and IAM Roles
    # Anywhere are offered at no additional charge.
    "aws_identitystore_user", "aws_identitystore_group", "aws_identitystore_group_membership",
    "aws_ssoadmin_permission_set", "aws_ssoadmin_permission_set_inline_policy",
    "aws_ssoadmin_managed_policy_attachment", "aws_ssoadmin_customer_managed_policy_attachment",
    "aws_ssoadmin_account_assignment", "aws_ssoadmin_permissions_boundary_attachment",
    "aws_rolesanywhere_profile", "aws_rolesanywhere_trust_anchor",
    # EKS: add-ons, Fargate profiles and identity provider configurations have no fee of their
    # own; the pods they run are billed as EC2 or Fargate capacity.
    "aws_eks_addon", "aws_eks_fargate_profile", "aws_eks_identity_provider_config",
    # Aurora custom endpoints, and an Auto Scaling group's traffic source attachment: no fee.
    "aws_rds_cluster_endpoint", "aws_autoscaling_traffic_source_attachment",
    # Cognito app clients and domains: a user pool bills its monthly active users.
    "aws_cognito_user_pool_client", "aws_cognito_user_pool_domain",
    # Installing a private CA's own certificate: the CA's monthly fee is on the authority.
    "aws_acmpca_certificate_authority_certificate", "aws_acmpca_permission", "aws_acmpca_policy",
    # VPC IPAM bills the active IP addresses it monitors (on aws_vpc_ipam, Advanced tier), not its
    # scopes, pools, their CIDRs or allocations.
    "aws_vpc_ipam_scope", "aws_vpc_ipam_pool", "aws_vpc_ipam_pool_cidr", "aws_vpc_ipam_pool_cidr_allocation",
    "aws_vpc_ipam_preview_next_cidr",
    # An ALB's mutual TLS trust store and its revocation lists are its configuration: Elastic Load
    # Balancing bills an ALB by hours and capacity units only.
    "aws_lb_trust_store", "aws_lb_trust_store_revocation",
    # VPC Lattice bills services (hours, data processed, requests), not service networks, their
    # associations, listeners, rules, target groups or policies (its pricing page's three dimensions).
    "aws_vpclattice_service_network", "aws_vpclattice_service_network_vpc_association",
    "aws_vpclattice_service_network_service_association", "aws_vpclattice_listener", "aws_vpclattice_listener_rule",
    "aws_vpclattice_target_group", "aws_vpclattice_target_group_attachment", "aws_vpclattice_auth_policy",
    "aws_vpclattice_resource_policy",
    # Resource Groups are offered at no additional charge.
    "aws_resourcegroups_group", "aws_resourcegroups_resource",
    # PrivateLink bills the consumer's interface endpoint (aws_vpc_endpoint, hours and data); the
    # endpoint service, its principals and accepting a connection cost the provider nothing (its
    # network load balancer is priced on its own).
    "aws_vpc_endpoint_service", "aws_vpc_endpoint_service_allowed_principal", "aws_vpc_endpoint_connection_accepter",
    "aws_vpc_endpoint_connection_notification",
    # An IAM role associated with an Aurora cluster. (A global database stays out: its replicated
    # write I/Os are billed.)
    "aws_rds_cluster_role_association",
    # The Cost and Usage Report has no charge; the bucket it writes to bills its storage.
    "aws_cur_report_definition",
})
