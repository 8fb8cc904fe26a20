"""The usage-file keys each resource type's cost model reads: the contract of the usage file.

A key that is not listed for its type prices nothing, so the usage file loader refuses it at its
file and line, naming the keys the type has (a typo must not price a part at zero in silence).
The names follow Infracost's usage file where it has one, so that users can carry theirs over.
`usage.schema.json` documents the same table (`python -m guardrails.policy.usage_schema` writes
it); the test suite fails when a cost model reads a key that is not listed here.
"""
from __future__ import annotations

from typing import Mapping

# What each key means, once for every type that reads it.
MEANINGS: Mapping[str, str] = {
    "additional_backup_storage_gb": "GB-months of backups beyond the free allowance",
    "api_throughput_limit": "'standard', or 'higher' (also 'advanced') when the account raised SSM throughput",
    "architecture": "x86_64 or arm64",
    "assigned_vms": "VMs using the NAT gateway",
    "average_duration_ms": "average duration of an invocation, in milliseconds",
    "backup_storage_gb": "GB-months of backups beyond the free allowance",
    "capacity_units": "capacity units a month, on average",
    "capacity_units_per_hr": "Aurora Serverless capacity units an hour, on average",
    "default_node_pool": "the default node pool's usage, e.g. {nodes: 3}",
    "hsm_protected_keys": "HSM-protected keys",
    "infrequent_access_storage_gb": "GB stored in the Infrequent Access class",
    "instance_tier": "'standard' or 'advanced': the Systems Manager on-premises instance tier",
    "instances": "instances running, on average",
    "key_versions": "active key versions",
    "long_term_retention_storage_gb": "GB-months of long-term retention backups",
    "managed_rule_group_rules": "rules in the AWS managed rule groups used",
    "managed_storage_gb": "GB of Redshift managed storage",
    "memory_mb": "memory of the function, in MB",
    "monthly_api_interactions": "SSM API interactions a month",
    "monthly_additional_log_data_retention_gb": "GB-months retained beyond the included period",
    "monthly_archive_data_gb": "GB-months of archived logs",
    "monthly_basic_log_data_ingestion_gb": "GB of Basic Logs ingested a month",
    "monthly_build_vcpu_hrs": "vCPU-hours of ACR Tasks builds a month",
    "monthly_connection_hours": "client VPN connection-hours a month",
    "monthly_cpu_credit_hrs": "vCPU-hours of surplus CPU credits a month (burstable classes, unlimited mode)",
    "monthly_data_ingested_gb": "GB ingested a month",
    "monthly_data_processed_gb": "GB processed a month",
    "monthly_data_restored_gb": "GB restored a month",
    "monthly_data_scanned_gb": "GB scanned by queries a month",
    "monthly_data_transfer_gb": "GB transferred a month",
    "monthly_duration_hrs": "hours of provisioned concurrency a month",
    "monthly_infrequent_access_read_gb": "GB read from Infrequent Access a month",
    "monthly_infrequent_access_write_gb": "GB written to Infrequent Access a month",
    "monthly_ingress_data_gb": "GB of ingress processed a month",
    "monthly_io_requests": "I/O requests a month",
    "monthly_key_operations": "key operations a month",
    "monthly_key_rotation_renewals": "key rotations and certificate renewals a month",
    "monthly_lcu_hours": "load balancer capacity unit-hours a month (NLCU-hours for a network LB)",
    "monthly_log_data_export_gb": "GB of logs exported a month",
    "monthly_log_data_ingestion_gb": "GB of logs ingested a month",
    "monthly_message_data_tb": "TiB of message data a month",
    "monthly_on_demand_data_in_gb": "GB written to an on-demand stream a month",
    "monthly_on_demand_data_out_gb": "GB read from an on-demand stream a month",
    "monthly_on_demand_extended_retention_gb": "GB-months of extended retention (on-demand stream)",
    "monthly_on_demand_long_term_retention_gb": "GB-months of long-term retention (on-demand stream)",
    "monthly_outbound_data_gb": "GB sent out a month",
    "monthly_inbound_data_processed_gb": "GB processed inbound a month",
    "monthly_outbound_data_processed_gb": "GB processed outbound a month",
    "monthly_protected_keys_operations": "operations on protected keys a month",
    "monthly_provisioned_long_term_retention_gb": "GB-months of long-term retention (provisioned stream)",
    "monthly_provisioned_put_units": "PUT payload units (25 KB) a month",
    "monthly_queries": "queries a month",
    "monthly_read_request_units": "on-demand read request units a month",
    "monthly_requests": "requests a month",
    "monthly_runs": "runs a month",
    "monthly_secrets_operations": "secrets operations a month",
    "monthly_standard_io_requests": "I/O requests a month (magnetic volumes)",
    "monthly_standard_queries": "standard queries a month",
    "monthly_streams_read_request_units": "DynamoDB Streams read request units a month",
    "monthly_vcore_hours": "vCore-hours a month (serverless)",
    "monthly_write_request_units": "on-demand write request units a month",
    "nodes": "nodes running, on average",
    "on_demand_backup_storage_gb": "GB-months of on-demand backups",
    "p2s_connection": "point-to-site VPN connections",
    "parameter_storage_hrs": "hours a month the parameter is stored (730 when not given)",
    "pitr_backup_storage_gb": "GB-months of point-in-time recovery backups",
    "read_requests_per_sec": "read I/O requests a second, on average",
    "replicas": "replicas running, on average (an autoscaler's average)",
    "request_duration_ms": "average duration of a request, in milliseconds",
    "request_size_kb": "average request size in KB (64 when not given)",
    "rule_group_rules": "rules in the rule groups used",
    "run_hours": "hours each run takes",
    "spectrum_data_scanned_tb": "TB scanned by Redshift Spectrum a month",
    "storage_gb": "GB stored (S3: {standard: GB, standard-ia: GB, ...}; a bare number is standard)",
    "storage_size_gb": "GB of broker storage",
    "write_requests_per_sec": "write I/O requests a second, on average",
}

# Keys whose value is a word, not a quantity: the words each takes (compared case-insensitively).
TEXT_KEYS: Mapping[str, tuple[str, ...]] = {
    "api_throughput_limit": ("standard", "higher", "advanced"),
    "architecture": ("x86_64", "arm64"),
    "instance_tier": ("standard", "advanced"),
}

_DATA_PROCESSED = ("monthly_data_processed_gb",)
_CREDITS = ("monthly_cpu_credit_hrs",)
_BACKUP = ("backup_storage_gb",)
_REQUESTS = ("monthly_requests",)
_MESSAGES = ("monthly_requests", "request_size_kb")
_FLEXIBLE_SERVER = ("additional_backup_storage_gb",)

USAGE_KEYS: Mapping[str, tuple[str, ...]] = {
    # Kubernetes workloads (manifests)
    "Deployment": ("replicas",), "StatefulSet": ("replicas",), "ReplicaSet": ("replicas",),
    "Rollout": ("replicas",), "DeploymentConfig": ("replicas",), "Service.serving.knative.dev": ("replicas",),
    "ReplicationController": ("replicas",), "DaemonSet": ("nodes",),
    "Job": ("monthly_runs", "run_hours"), "CronJob": ("monthly_runs", "run_hours"),
    # AWS
    "aws_acmpca_certificate_authority": _REQUESTS,
    "aws_alb": ("monthly_lcu_hours",),
    "aws_lb": ("monthly_lcu_hours",),
    "aws_cloudwatch_log_group": ("monthly_data_ingested_gb", "storage_gb", "monthly_data_scanned_gb"),
    "aws_db_instance": _BACKUP,
    "aws_docdb_cluster": ("storage_gb", "monthly_io_requests", "backup_storage_gb"),
    "aws_docdb_cluster_instance": _CREDITS,
    "aws_dynamodb_table": ("monthly_read_request_units", "monthly_write_request_units", "storage_gb",
                           "pitr_backup_storage_gb", "on_demand_backup_storage_gb", "monthly_data_restored_gb",
                           "monthly_streams_read_request_units"),
    "aws_ebs_volume": ("monthly_standard_io_requests",),
    "aws_ec2_client_vpn_endpoint": ("monthly_connection_hours",),
    "aws_ec2_transit_gateway_vpc_attachment": _DATA_PROCESSED,
    "aws_efs_file_system": ("storage_gb", "infrequent_access_storage_gb", "monthly_infrequent_access_read_gb",
                            "monthly_infrequent_access_write_gb"),
    "aws_elb": _DATA_PROCESSED,
    "aws_fsx_openzfs_file_system": _BACKUP,
    "aws_fsx_windows_file_system": _BACKUP,
    "aws_instance": _CREDITS,
    "aws_kinesis_stream": ("monthly_provisioned_put_units", "monthly_on_demand_data_in_gb",
                           "monthly_on_demand_data_out_gb", "monthly_on_demand_extended_retention_gb",
                           "monthly_on_demand_long_term_retention_gb", "monthly_provisioned_long_term_retention_gb"),
    "aws_kms_key": _REQUESTS,
    "aws_lambda_function": ("monthly_requests", "average_duration_ms"),
    "aws_lambda_provisioned_concurrency_config": ("monthly_duration_hrs", "monthly_requests", "request_duration_ms",
                                                  "memory_mb", "architecture"),
    "aws_mq_broker": ("storage_size_gb",),
    "aws_nat_gateway": _DATA_PROCESSED,
    "aws_neptune_cluster_instance": _CREDITS,
    "aws_networkfirewall_firewall": _DATA_PROCESSED,
    "aws_rds_cluster": ("capacity_units_per_hr", "storage_gb", "write_requests_per_sec", "read_requests_per_sec",
                        "backup_storage_gb"),
    "aws_rds_cluster_instance": _CREDITS,
    "aws_redshift_cluster": ("managed_storage_gb", "spectrum_data_scanned_tb", "backup_storage_gb"),
    "aws_route53_resolver_endpoint": ("monthly_queries",),
    "aws_route53_zone": ("monthly_standard_queries",),
    "aws_s3_bucket": ("storage_gb",),
    "aws_secretsmanager_secret": _REQUESTS,
    "aws_sns_topic": _MESSAGES,
    "aws_sqs_queue": _MESSAGES,
    "aws_ssm_activation": ("instance_tier", "instances"),
    "aws_ssm_parameter": ("parameter_storage_hrs", "monthly_api_interactions", "api_throughput_limit"),
    "aws_vpc_endpoint": _DATA_PROCESSED,
    "aws_vpn_connection": _DATA_PROCESSED,
    "aws_wafv2_web_acl": ("rule_group_rules", "managed_rule_group_rules", "monthly_requests"),
    # Azure
    "azurerm_application_gateway": ("capacity_units",),
    "azurerm_bastion_host": ("monthly_outbound_data_gb",),
    "azurerm_container_registry": ("storage_gb", "monthly_build_vcpu_hrs"),
    "azurerm_firewall": _DATA_PROCESSED,
    "azurerm_key_vault": ("monthly_secrets_operations", "monthly_key_rotation_renewals"),
    "azurerm_key_vault_key": ("hsm_protected_keys", "monthly_protected_keys_operations"),
    "azurerm_kubernetes_cluster": ("default_node_pool",),
    "azurerm_kubernetes_cluster_node_pool": ("nodes",),
    "azurerm_lb": _DATA_PROCESSED,
    "azurerm_linux_virtual_machine_scale_set": ("instances",),
    "azurerm_windows_virtual_machine_scale_set": ("instances",),
    "azurerm_log_analytics_workspace": ("monthly_log_data_ingestion_gb", "monthly_basic_log_data_ingestion_gb",
    "monthly_additional_log_data_retention_gb", "monthly_archive_data_gb",
                                        "monthly_log_data_export_gb"),
    "azurerm_mssql_database": ("monthly_vcore_hours", "backup_storage_gb", "long_term_retention_storage_gb"),
    "azurerm_mysql_flexible_server": _FLEXIBLE_SERVER,
    "azurerm_postgresql_flexible_server": _FLEXIBLE_SERVER,
    "azurerm_nat_gateway": _DATA_PROCESSED,
    "azurerm_private_endpoint": ("monthly_inbound_data_processed_gb", "monthly_outbound_data_processed_gb"),
    "azurerm_virtual_network_gateway": ("p2s_connection", "monthly_data_transfer_gb"),
    # Google Cloud
    "google_compute_forwarding_rule": ("monthly_ingress_data_gb",),
    "google_compute_global_forwarding_rule": ("monthly_ingress_data_gb",),
    "google_compute_router_nat": ("assigned_vms", "monthly_data_processed_gb"),
    "google_dns_managed_zone": ("monthly_queries",),
    "google_kms_crypto_key": ("key_versions", "monthly_key_operations"),
    "google_pubsub_topic": ("monthly_message_data_tb",),
    "google_sql_database_instance": _BACKUP,
}


def keys_of(resource_type: str) -> tuple[str, ...]:
    """The usage keys `resource_type` has; empty when its price depends on no usage."""
    return USAGE_KEYS.get(resource_type, ())
