"""Which Terraform resource types carry tags (AWS, Azure) or labels (GCP), and where.

Without provider schemas we cannot know every taggable type, so a type counts as taggable when
it is listed here or already has the attribute in its configuration. A rule whose
`match.resources` names types explicitly checks every matching resource regardless.
"""
from __future__ import annotations

from typing import Mapping

AWS_TAGGABLE = frozenset("""
aws_instance aws_ebs_volume aws_db_instance aws_rds_cluster aws_rds_cluster_instance aws_s3_bucket
aws_vpc aws_subnet aws_security_group aws_internet_gateway aws_nat_gateway aws_eip aws_route_table
aws_lb aws_alb aws_elb aws_lb_target_group aws_alb_target_group aws_eks_cluster aws_eks_node_group
aws_elasticache_cluster aws_elasticache_replication_group aws_lambda_function aws_launch_template
aws_autoscaling_group aws_dynamodb_table aws_sqs_queue aws_sns_topic aws_kms_key aws_iam_role
aws_iam_user aws_iam_policy aws_cloudwatch_log_group aws_cloudwatch_metric_alarm aws_ecs_cluster
aws_ecs_service aws_ecs_task_definition aws_efs_file_system aws_ecr_repository aws_route53_zone
aws_secretsmanager_secret aws_ssm_parameter aws_cloudfront_distribution aws_api_gateway_rest_api
aws_apigatewayv2_api aws_kinesis_stream aws_msk_cluster aws_opensearch_domain aws_elasticsearch_domain
aws_redshift_cluster aws_sfn_state_machine aws_vpc_endpoint aws_network_interface aws_ami
aws_ebs_snapshot aws_db_subnet_group aws_elasticache_subnet_group aws_acm_certificate aws_wafv2_web_acl
aws_backup_vault aws_glue_job aws_emr_cluster aws_fsx_lustre_file_system aws_transfer_server
aws_docdb_cluster aws_neptune_cluster aws_mq_broker aws_memorydb_cluster aws_sagemaker_endpoint
aws_sagemaker_notebook_instance aws_batch_compute_environment aws_codebuild_project aws_vpn_gateway
aws_customer_gateway aws_transit_gateway aws_flow_log aws_placement_group aws_key_pair
""".split())

AZURE_TAGGABLE = frozenset("""
azurerm_resource_group azurerm_linux_virtual_machine azurerm_windows_virtual_machine
azurerm_virtual_machine azurerm_managed_disk azurerm_storage_account azurerm_virtual_network
azurerm_network_interface azurerm_public_ip azurerm_network_security_group azurerm_kubernetes_cluster
azurerm_linux_virtual_machine_scale_set azurerm_windows_virtual_machine_scale_set azurerm_key_vault
azurerm_mssql_server azurerm_mssql_database azurerm_postgresql_flexible_server
azurerm_mysql_flexible_server azurerm_redis_cache azurerm_lb azurerm_application_gateway
azurerm_app_service_plan azurerm_service_plan azurerm_linux_web_app azurerm_windows_web_app
azurerm_function_app azurerm_linux_function_app azurerm_container_registry azurerm_cosmosdb_account
azurerm_log_analytics_workspace azurerm_nat_gateway azurerm_firewall azurerm_dns_zone
azurerm_private_endpoint azurerm_eventhub_namespace azurerm_servicebus_namespace
""".split())

GCP_LABELLED = frozenset("""
google_compute_instance google_compute_disk google_compute_instance_template google_storage_bucket
google_sql_database_instance google_bigquery_dataset google_bigquery_table google_pubsub_topic
google_pubsub_subscription google_cloudfunctions_function google_cloudfunctions2_function
google_cloud_run_service google_cloud_run_v2_service google_redis_instance google_compute_image
google_compute_snapshot google_kms_crypto_key google_secret_manager_secret google_dataproc_cluster
google_compute_address google_compute_forwarding_rule google_filestore_instance google_spanner_instance
google_bigtable_instance google_compute_global_address
""".split())

# Where each provider keeps the map; a few GCP types keep it elsewhere.
SPECIAL_ATTRIBUTES: Mapping[str, str] = {
    "google_container_cluster": "resource_labels",
    "google_sql_database_instance": "settings.user_labels",
}


def tag_attribute(resource_type: str) -> str | None:
    """The attribute path holding the tags of a Terraform type, or None if it has none."""
    if resource_type in SPECIAL_ATTRIBUTES:
        return SPECIAL_ATTRIBUTES[resource_type]
    if resource_type.startswith("google_"):
        return "labels"
    if resource_type.startswith(("aws_", "azurerm_")):
        return "tags"
    return None


def is_taggable(resource_type: str) -> bool:
    return resource_type in AWS_TAGGABLE or resource_type in AZURE_TAGGABLE or resource_type in GCP_LABELLED \
        or resource_type in SPECIAL_ATTRIBUTES
