"""Site-to-Site VPN connections and Client VPN: connection-hours and association-hours.

A Site-to-Site connection on a transit gateway (`transit_gateway_id`) also makes a transit
gateway attachment, billed as a VPC attachment is (transit.py); on a virtual private gateway it
does not. A Client VPN endpoint is billed per subnet association (a resource of its own) and per
client connection-hour, which depends on use.

Catalog keys: `vpn connection/hour`; `client-vpn association/hour`, `client-vpn connection/hour`.
Usage keys: `monthly_data_processed_gb` (a connection on a transit gateway),
`monthly_connection_hours` (aws_ec2_client_vpn_endpoint: client connection-hours a month).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource, is_unknown
from guardrails.pricing.aws.transit import attachment
from guardrails.pricing.base import PricingContext, hours, per_month


def vpn_connection(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("VPN connection"):
        components.append(hours("VPN connection", ctx.price("aws", "vpn", region, "connection/hour",
                                                            what="VPN connection-hours")))
    # A reference to a transit gateway is Unknown before apply, and still means one is used.
    gateway = resource.attrs.get("transit_gateway_id")
    if is_unknown(gateway) or (isinstance(gateway, str) and gateway):
        components += attachment(resource, ctx, region)
    return components


def client_vpn_network_association(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("Endpoint association"):
        components.append(hours("Endpoint association", ctx.price("aws", "client-vpn", region, "association/hour",
                                                                  what="Client VPN association-hours")))
    return components


def client_vpn_endpoint(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("Client connections"):
        price = ctx.price("aws", "client-vpn", region, "connection/hour", what="Client VPN connection-hours")
        components.append(per_month("Client connections", ctx.usage_value(resource, "monthly_connection_hours"),
                                    "connection-hours", price, usage_based=True))
    ctx.notes.append("the endpoint's subnet associations are priced on aws_ec2_client_vpn_network_association")
    return components
