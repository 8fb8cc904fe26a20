"""Azure cost models: Linux and Windows virtual machines with their OS disk, managed disks.

Prices are the catalog's `azure` rows (keys in catalog.py): `vm <arm sku>` (Linux, hour),
`vm <arm sku>/windows`, `disk <tier>` (month per disk). The choices made here:

- A Windows VM with `license_type` Windows_Server or Windows_Client uses Azure Hybrid Benefit:
  the licence is brought along, so it costs the Linux (compute only) price.
- Managed disks are billed per disk by size tier, the tier being the smallest one the size fits
  in (Azure managed disks pricing page, azure.microsoft.com/pricing/details/managed-disks/):
  4, 8, 16, 32, 64, 128, 256, 512 GiB, 1, 2, 4, 8, 16, 32 TiB are tiers 1, 2, 3, 4, 6, 10, 15,
  20, 30, 40, 50, 60, 70, 80, with S (Standard HDD, smallest S4), E (Standard SSD) and P
  (Premium SSD) prefixes. Standard tiers also bill transactions: not modelled (a note says so).
- An OS disk without `disk_size_gb` takes the image's size: assumed 30 GB for Linux and 127 GB
  for Windows, the size of the common marketplace images, with a note.
- Spot VMs, zone-redundant (ZRS), Ultra and Premium SSD v2 disks are unpriced: the catalog has
  none of their prices.

Disks are read by providers/disks.py, the reader the storage-tier rule judges by.

Other services have a module each, registered in MODELS below: azure_kubernetes (AKS clusters
and node pools), azure_scale_sets (Linux and Windows VM scale sets), azure_legacy_vm
(azurerm_virtual_machine), azure_network (public IPs, NAT gateways, load balancers),
azure_gateways (Application Gateway, Firewall, VPN gateways, Bastion), azure_private_link
(private endpoints), azure_dns (DNS zones), azure_databases (PostgreSQL and MySQL flexible
servers), azure_mssql (SQL Database), azure_redis (Azure Cache for Redis), azure_app_service (App Service plans),
azure_container_registry, azure_log_analytics (workspaces). The parts they share: azure_instances (VM size
prices, Hybrid Benefit, Spot), azure_disks (disk tiers), azure_references (a region taken from
a cluster or a resource group), azure_usage (usage-based parts, flat or tiered).
FREE_TYPES lists the azurerm types Azure does not bill by themselves, each group saying why.
"""
from __future__ import annotations

from typing import Callable

from guardrails.core.model import CostComponent, Resource
import importlib

from guardrails.pricing import azure_instances, azure_references
from guardrails.pricing.azure_disks import disk, disk_tier
from guardrails.pricing.base import (
    PricingContext,
    Unpriced,
    known,
    number,
    readable,
    required_text,
)
from guardrails.providers import disks

PROVIDER = "azurerm"

__all__ = ["DEFAULT_OS_DISK_GB", "FREE_TYPES", "MODELS", "PROVIDER", "disk_tier"]

DEFAULT_OS_DISK_GB = {"linux": 30.0, "windows": 127.0}


def linux_virtual_machine(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _virtual_machine(resource, ctx, "linux")


def windows_virtual_machine(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _virtual_machine(resource, ctx, "windows")


def managed_disk(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """One managed disk at its tier's monthly price."""
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    found = disks.managed_disk(attrs)
    account = required_text(found.type, "storage_account_type")
    if found.size is None:
        option = known(attrs.get("create_option"), "create_option")
        if option not in (None, "Empty"):
            raise Unpriced(f"disk_size_gb is not set: the size comes from the source ({option})")
    size = number(found.size, "disk_size_gb")
    return [disk(ctx, region, account, size, "Managed disk")]


# Each service module prices its types in its own MODELS; this table names the module of each type
# (a test keeps the two in step), so that a run imports only the services it prices.
SERVICE_MODULES: dict[str, str] = {
    "azurerm_kubernetes_cluster": "azure_kubernetes",
    "azurerm_kubernetes_cluster_node_pool": "azure_kubernetes",
    "azurerm_linux_virtual_machine_scale_set": "azure_scale_sets",
    "azurerm_windows_virtual_machine_scale_set": "azure_scale_sets",
    "azurerm_virtual_machine": "azure_legacy_vm",
    "azurerm_public_ip": "azure_network",
    "azurerm_nat_gateway": "azure_network",
    "azurerm_lb": "azure_network",
    "azurerm_application_gateway": "azure_gateways",
    "azurerm_firewall": "azure_gateways",
    "azurerm_virtual_network_gateway": "azure_gateways",
    "azurerm_bastion_host": "azure_gateways",
    "azurerm_private_endpoint": "azure_private_link",
    "azurerm_dns_zone": "azure_dns",
    "azurerm_private_dns_zone": "azure_dns",
    "azurerm_postgresql_flexible_server": "azure_databases",
    "azurerm_mysql_flexible_server": "azure_databases",
    "azurerm_mssql_database": "azure_mssql",
    "azurerm_redis_cache": "azure_redis",
    "azurerm_service_plan": "azure_app_service",
    "azurerm_container_registry": "azure_container_registry",
    "azurerm_log_analytics_workspace": "azure_log_analytics",
    "azurerm_key_vault": "azure_key_vault",
    "azurerm_key_vault_key": "azure_key_vault",
}


class _Service:
    """A service's cost model, imported from its module the first time it prices something."""

    __slots__ = ("module", "rtype", "_function")

    def __init__(self, module: str, rtype: str) -> None:
        self.module, self.rtype = module, rtype
        self._function: Callable[[Resource, PricingContext], list[CostComponent]] | None = None

    def __call__(self, resource: Resource, ctx: PricingContext) -> list[CostComponent]:
        if self._function is None:
            self._function = importlib.import_module(f"guardrails.pricing.{self.module}").MODELS[self.rtype]
        return self._function(resource, ctx)


MODELS: dict[str, Callable[[Resource, PricingContext], list[CostComponent]]] = {
    "azurerm_linux_virtual_machine": linux_virtual_machine,
    "azurerm_windows_virtual_machine": windows_virtual_machine,
    "azurerm_managed_disk": managed_disk,
    # The services' types, priced by their modules (SERVICE_MODULES), imported when first used.
    **{rtype: _Service(module, rtype) for rtype, module in SERVICE_MODULES.items()},
}

FREE_TYPES = frozenset({
    # Containers and configuration Azure does not bill: resource groups, management locks,
    # tags, policy and role definitions and their assignments, identities.
    "azurerm_resource_group", "azurerm_management_lock", "azurerm_role_assignment",
    "azurerm_role_definition", "azurerm_user_assigned_identity", "azurerm_federated_identity_credential",
    "azurerm_policy_definition", "azurerm_policy_set_definition", "azurerm_resource_group_policy_assignment",
    "azurerm_subscription_policy_assignment", "azurerm_management_group",
    "azurerm_resource_provider_registration",
    # Virtual networks, subnets, peerings (traffic over a peering is billed as usage elsewhere,
    # the peering itself has no fee), network security groups and their rules, application
    # security groups, route tables and routes, network interfaces: no charge of their own.
    "azurerm_virtual_network", "azurerm_subnet", "azurerm_virtual_network_peering",
    "azurerm_network_security_group", "azurerm_network_security_rule", "azurerm_application_security_group",
    "azurerm_route_table", "azurerm_route", "azurerm_network_interface",
    # Associations only link two priced (or free) resources.
    "azurerm_subnet_network_security_group_association", "azurerm_subnet_route_table_association",
    "azurerm_subnet_nat_gateway_association", "azurerm_nat_gateway_public_ip_association",
    "azurerm_nat_gateway_public_ip_prefix_association",
    "azurerm_network_interface_security_group_association",
    "azurerm_network_interface_application_security_group_association",
    "azurerm_network_interface_backend_address_pool_association",
    "azurerm_virtual_machine_data_disk_attachment", "azurerm_private_dns_zone_virtual_network_link",
    # Parts of a load balancer billed on the load balancer (or, for rules, not modelled here):
    # its backend pools, probes and NAT rules cost nothing by themselves.
    "azurerm_lb_backend_address_pool", "azurerm_lb_probe", "azurerm_lb_nat_rule",
    "azurerm_lb_backend_address_pool_address",
    # A logical SQL server and the databases' server-side settings: Azure bills the databases
    # (and elastic pools), never the server, its firewall rules or configuration.
    "azurerm_mssql_server", "azurerm_mssql_firewall_rule", "azurerm_mssql_virtual_network_rule",
    "azurerm_postgresql_flexible_server_database", "azurerm_postgresql_flexible_server_configuration",
    "azurerm_postgresql_flexible_server_firewall_rule", "azurerm_mysql_flexible_database",
    "azurerm_mysql_flexible_server_configuration", "azurerm_mysql_flexible_server_firewall_rule",
    # DNS record sets: Azure DNS bills the zone (priced) and its queries, not the records.
    "azurerm_dns_a_record", "azurerm_dns_aaaa_record", "azurerm_dns_cname_record", "azurerm_dns_mx_record",
    "azurerm_dns_txt_record", "azurerm_dns_ns_record", "azurerm_dns_srv_record", "azurerm_dns_caa_record",
    "azurerm_dns_ptr_record", "azurerm_private_dns_a_record", "azurerm_private_dns_aaaa_record",
    "azurerm_private_dns_cname_record", "azurerm_private_dns_txt_record", "azurerm_private_dns_mx_record",
    "azurerm_private_dns_srv_record", "azurerm_private_dns_ptr_record",
    # Key Vault access policies: configuration of a priced vault.
    "azurerm_key_vault_access_policy",
    # VM extensions run on the VM they configure, which is priced (software an extension
    # installs from the Marketplace is billed by its publisher, outside this catalog).
    "azurerm_virtual_machine_extension", "azurerm_virtual_machine_scale_set_extension",
    # Azure Monitor data collection rules, their associations and endpoints, and Log Analytics
    # solutions have no fee of their own: what they collect is billed as the workspace's ingestion.
    "azurerm_monitor_data_collection_rule", "azurerm_monitor_data_collection_rule_association",
    "azurerm_monitor_data_collection_endpoint", "azurerm_log_analytics_solution",
    "azurerm_monitor_diagnostic_setting",
    # A disk encryption set only names the key that encrypts the disks (the key and vault bill).
    "azurerm_disk_encryption_set",
})


def _virtual_machine(resource: Resource, ctx: PricingContext, os: str) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    azure_instances.refuse_spot(attrs.get("priority"))
    size = required_text(attrs.get("size"), "size")
    licence = known(attrs.get("license_type"), "license_type") if os == "windows" else None
    components: list[CostComponent] = []
    with ctx.part(azure_instances.name(size, os, licence)):
        components.append(azure_instances.instance_hours(ctx, region, size, os, licence))

    os_disk = readable(disks.os_disk(attrs))
    account = required_text(os_disk.type, os_disk.what("storage_account_type"))
    if os_disk.size is None:
        ctx.notes.append(f"os_disk size not set: the image's size, assumed {DEFAULT_OS_DISK_GB[os]:g} GB "
                         f"(common {os.capitalize()} marketplace images)")
    size_gb = number(os_disk.size, os_disk.what("disk_size_gb"), DEFAULT_OS_DISK_GB[os])
    with ctx.part(f"OS disk ({account}, {size_gb:g} GB)"):
        components.append(disk(ctx, region, account, size_gb, "OS disk"))
    return components
