"""VPC flow logs: billed where their records are delivered, not on the flow log.

Delivered to CloudWatch Logs (`log_destination_type` unset is `cloud-watch-logs`, the provider's
default), the records are ingested and stored in the destination log group, whose
`monthly_data_ingested_gb` and `storage_gb` usage prices them (vended-log ingestion has volume
tiers beyond the first 10 TB a month that the log group's flat rate does not apply). Delivered to
S3 or Data Firehose, they are billed as vended-log delivery, which is not modelled: unpriced, said
so.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, Unpriced, text

_DESTINATIONS = ("cloud-watch-logs", "s3", "kinesis-data-firehose")


def flow_log(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    destination = text(resource.attrs.get("log_destination_type"), "log_destination_type") or "cloud-watch-logs"
    if destination not in _DESTINATIONS:
        raise Unpriced(f"log_destination_type {destination!r} is not one of {', '.join(_DESTINATIONS)}")
    if destination != "cloud-watch-logs":
        raise Unpriced(f"flow logs delivered to {destination} (billed as vended-log delivery) are not modelled")
    ctx.notes.append("billed as ingestion and storage of the destination log group: give its "
                     "monthly_data_ingested_gb and storage_gb usage")
    return []
