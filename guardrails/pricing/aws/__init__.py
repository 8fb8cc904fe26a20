"""AWS cost models: EC2, EBS, RDS, Auto Scaling, EKS, NAT gateways, load balancers, ElastiCache,
S3 and Lambda, priced from the catalog keys that catalog.py documents. One module per service
(compute, ebs, rds, eks, network, elasticache, usage_based), the type table in models.py.

Implied parts are priced as DESIGN's cost conventions say: an instance's root volume (8 GB gp2
when the configuration leaves it to the AMI, and the component name says "assumed"), the
instances of an Auto Scaling group, EKS node disks, Multi-AZ doubling, gp3 IOPS and throughput
above the free baseline. Disks, their types and the provider defaults come from
providers/disks.py, the reader the storage-tier rule judges by. Usage-based components are always
listed, at 0 unless the usage file gives a quantity. Usage keys read, per type:

- aws_instance: `monthly_cpu_credit_hrs` (vCPU-hours of surplus credits; burstable, unlimited)
- aws_ebs_volume: `monthly_standard_io_requests` (requests; magnetic volumes)
- aws_db_instance: `backup_storage_gb` (GB-months of backups beyond the free allowance)
- aws_nat_gateway, aws_elb: `monthly_data_processed_gb`
- aws_lb, aws_alb: `monthly_lcu_hours` (LCU-hours a month; NLCU-hours for a network LB)
- aws_s3_bucket: `storage_gb` ({standard: GB, standard-ia: GB, ...}; a bare number is standard)
- aws_lambda_function: `monthly_requests`, `average_duration_ms`
"""
from __future__ import annotations

from guardrails.pricing.aws.models import FREE_NOTES, FREE_TYPES, MODELS
from guardrails.pricing.aws.usage_based import LAMBDA_DEFAULT_MEMORY_MB, S3_STORAGE_CLASSES

PROVIDER = "aws"

__all__ = ["FREE_NOTES", "FREE_TYPES", "LAMBDA_DEFAULT_MEMORY_MB", "MODELS", "PROVIDER", "S3_STORAGE_CLASSES"]
