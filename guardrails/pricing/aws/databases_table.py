"""The AWS database and analytics types the newer service modules price (Aurora, DocumentDB,
Neptune, Redshift, DynamoDB, MemoryDB, OpenSearch, MSK, MQ, Kinesis), registered here so that
these services and the network and account fees (fees_table.py) are added side by side; models.py
merges both tables. A type is listed only once its cost model is tested against a published price.
"""
from __future__ import annotations

from guardrails.pricing.aws.common import Lazy, ModelFunction

MODELS: dict[str, ModelFunction] = {
    "aws_rds_cluster_instance": Lazy("aurora", "rds_cluster_instance"),
    "aws_rds_cluster": Lazy("aurora", "rds_cluster"),
    "aws_docdb_cluster_instance": Lazy("docdb", "docdb_cluster_instance"),
    "aws_docdb_cluster": Lazy("docdb", "docdb_cluster"),
    "aws_neptune_cluster_instance": Lazy("neptune", "neptune_cluster_instance"),
    "aws_redshift_cluster": Lazy("redshift", "redshift_cluster"),
    "aws_dynamodb_table": Lazy("dynamodb", "dynamodb_table"),
    "aws_opensearch_domain": Lazy("opensearch", "opensearch_domain"),
    "aws_elasticsearch_domain": Lazy("opensearch", "opensearch_domain"),
    "aws_msk_cluster": Lazy("msk", "msk_cluster"),
    "aws_mq_broker": Lazy("mq", "mq_broker"),
    "aws_kinesis_stream": Lazy("kinesis", "kinesis_stream"),
}

# Companion types AWS does not bill for by themselves (models.py merges them once it reads this).
FREE_TYPES: frozenset[str] = frozenset({
    "aws_rds_cluster_parameter_group", "aws_docdb_subnet_group", "aws_docdb_cluster_parameter_group",
    "aws_neptune_subnet_group", "aws_neptune_cluster_parameter_group", "aws_neptune_parameter_group",
    "aws_redshift_parameter_group", "aws_msk_configuration", "aws_mq_configuration",
    "aws_opensearch_domain_policy", "aws_elasticsearch_domain_policy",
})
