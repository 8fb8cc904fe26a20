"""Importers: the providers' official price files in, a dated `Catalog` out.

Each importer reads one format and keeps only what the catalog's key conventions can name
(see catalog.py): on-demand list prices in USD. Every catalog it returns carries one `Source`
per input with the publication date the file states, so staleness can be reported later.

- aws_offer.import_aws_offer: AWS Price List bulk offer files (CSV or JSON, streamed)
- azure_retail.import_azure_retail: Azure Retail Prices API pages
- gcp_pricing.import_gcp_pricing: the Cyclenerd google-cloud-pricing-cost-calculator YAML
- shared_facts.import_ec2_csv / import_services_csv: the simplified AWS fact tables
- regional_facts.import_regional_services_csv: the regional AWS services table (rows with source and date)
- libcloud.import_libcloud_ec2: apache-libcloud's pricing.json (EC2 Linux, about 35 regions)
- karpenter_azure.import_karpenter_azure: Azure/karpenter-provider-azure's table (VMs, 57 regions)
- skypilot.import_skypilot_vms: skypilot-org/skypilot-catalog's vms.csv (AWS or Azure), or our compact
  table of it (skypilot.write_compact_table)
"""
from __future__ import annotations

from guardrails.pricing.importers.aws_offer import import_aws_offer
from guardrails.pricing.importers.azure_retail import import_azure_retail
from guardrails.pricing.importers.gcp_pricing import import_gcp_pricing
from guardrails.pricing.importers.karpenter_azure import import_karpenter_azure
from guardrails.pricing.importers.libcloud import import_libcloud_ec2
from guardrails.pricing.importers.reading import PriceImportError, open_text
from guardrails.pricing.importers.regional_facts import import_regional_services_csv
from guardrails.pricing.importers.shared_facts import (
    import_ec2_csv,
    import_services_csv,
)
from guardrails.pricing.importers.skypilot import import_skypilot_vms, write_compact_table

__all__ = [
    "PriceImportError", "import_aws_offer", "import_azure_retail", "import_ec2_csv", "import_gcp_pricing",
    "import_karpenter_azure", "import_libcloud_ec2", "import_regional_services_csv", "import_services_csv",
    "import_skypilot_vms", "open_text", "write_compact_table",
]
