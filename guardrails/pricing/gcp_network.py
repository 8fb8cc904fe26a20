"""Cloud networking: external IP addresses, forwarding rules, Cloud NAT and Cloud VPN tunnels.

Catalog keys, service `network` (the IP, NAT gateway, NAT data and VPN keys from the pricing.yml,
importers/gcp_pricing.py; the others from data/facts/catalog-gcp-services.csv):
`ip/unused` and `ip/vm` (hour), `forwarding-rule` (rule-hour), `forwarding-rule/ingress` (GB),
`nat/vm` (VM-hour), `nat/gateway` (hour), `nat/data` (GB), `vpn/tunnel` (hour).
Usage keys (Infracost's names): `monthly_ingress_data_gb` (forwarding rules), `assigned_vms` and
`monthly_data_processed_gb` (Cloud NAT).
"""
from __future__ import annotations

from typing import Any

from guardrails.core.model import CostComponent, Resource, is_unknown
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, blocks, hours, per_month, text
from guardrails.providers.references import references

NAT_VM_CAP = 32  # Cloud NAT bills per VM up to 32 VMs a gateway, then a flat gateway rate


def compute_address(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """An external IPv4 address: in use by a VM, in use by a forwarding rule (free), or reserved."""
    kind = (text(resource.attrs.get("address_type"), "address_type") or "EXTERNAL").upper()
    if kind == "INTERNAL":
        ctx.notes.append("an internal address is not billed")
        return []
    if (text(resource.attrs.get("ip_version"), "ip_version") or "IPV4").upper() == "IPV6":
        ctx.notes.append("external IPv6 ranges are not billed by themselves")
        return []
    # A global address is billed at the rate of the region the configuration prices in.
    region = ctx.region(resource, "gcp")
    users = _users(ctx, resource)
    if "google_compute_instance" in users:
        # Only a standard VM's rate is priced: spot VMs are refused by the instance model too.
        price = ctx.price("gcp", "network", region, "ip/vm",
                          what="an external IP address in use")
        return [hours("IP address (in use by a VM)", price)]
    if users & {"google_compute_forwarding_rule", "google_compute_global_forwarding_rule"}:
        ctx.notes.append("an address in use by a forwarding rule is not billed by itself (the rule is)")
        return []
    ctx.notes.append("not in use by a scanned VM or forwarding rule: billed as a reserved, unused address")
    price = ctx.price("gcp", "network", region, "ip/unused",
                      what="a reserved external IP address")
    return [hours("IP address (reserved, unused)", price)]


def forwarding_rule(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """Rule-hours, and the data the rule's load balancer processes (usage)."""
    region = ctx.region(resource, "gcp")
    components: list[CostComponent] = []
    with ctx.part("Forwarding rule"):
        components.append(hours("Forwarding rule", ctx.price("gcp", "network", region, "forwarding-rule",
                                                             what="the forwarding rule")))
    ctx.notes.append("priced at the rate of each rule beyond a project's first five, which are billed "
                     "together at a flat hourly rate")
    with ctx.part("Ingress data processed"):
        price = ctx.price("gcp", "network", region, "forwarding-rule/ingress", what="ingress data processed")
        components.append(per_month("Ingress data processed", ctx.usage_value(resource, "monthly_ingress_data_gb"),
                                    "GB", price, usage_based=True))
    return components


def router_nat(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """Cloud NAT: per assigned VM-hour up to 32 VMs, then a flat gateway rate; data processed."""
    region = ctx.region(resource, "gcp")
    vms = ctx.usage_value(resource, "assigned_vms")
    components: list[CostComponent] = []
    if vms > NAT_VM_CAP:
        with ctx.part("NAT gateway (more than 32 VMs)"):
            price = ctx.price("gcp", "network", region, "nat/gateway", what="the NAT gateway rate")
            components.append(CostComponent(name="NAT gateway (more than 32 VMs)", unit="hours",
                                            quantity=HOURS_PER_MONTH, unit_price=price.value, usage_based=True))
    else:
        with ctx.part("Assigned VMs"):
            price = ctx.price("gcp", "network", region, "nat/vm", what="the NAT per-VM rate")
            components.append(per_month("Assigned VMs", vms * HOURS_PER_MONTH, "VM-hours", price, usage_based=True))
    with ctx.part("Data processed"):
        price = ctx.price("gcp", "network", region, "nat/data", what="NAT data processed")
        components.append(per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"),
                                    "GB", price, usage_based=True))
    return components


def vpn_tunnel(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "gcp")
    return [hours("VPN tunnel", ctx.price("gcp", "network", region, "vpn/tunnel", what="the VPN tunnel"))]


def _users(ctx: PricingContext, address: Resource) -> set[str]:
    """The types of the scanned resources that use the address (by reference or by its literal IP)."""
    literal = address.attrs.get("address")
    found: set[str] = set()
    for other in ctx.of_type("google_compute_instance", "google_compute_forwarding_rule",
                             "google_compute_global_forwarding_rule"):
        if other.type == "google_compute_instance":
            values = [config.get("nat_ip") for nic in _blocks(other.attrs.get("network_interface"))
                      for config in _blocks(nic.get("access_config"))]
        elif other.type in ("google_compute_forwarding_rule", "google_compute_global_forwarding_rule"):
            values = [other.attrs.get("ip_address")]
        else:
            continue
        if any(_refers(value, address.address, literal) for value in values):
            found.add(other.type)
    return found


def _blocks(value: Any) -> list[Any]:
    try:
        return blocks(value, "block")
    except Unpriced:  # an unreadable block on another resource: that resource says so itself
        return []


def _refers(value: Any, target: str, literal: Any) -> bool:
    if is_unknown(value):
        # References name resources by absolute address ("module.net.google_compute_address.ip").
        return any(reference.address == target for reference in references(value))
    return isinstance(value, str) and isinstance(literal, str) and value == literal
