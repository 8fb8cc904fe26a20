"""Where a cloud's Terraform provider takes its region from when its block sets none.

As the providers document it: the AWS provider reads `AWS_REGION`, then `AWS_DEFAULT_REGION`; the
Google provider `GOOGLE_REGION`, `GCLOUD_REGION`, then `CLOUDSDK_COMPUTE_REGION`. Azure has no
such fallback: every resource names its `location`. The CLI reads these at its boundary and hands
the result down; the library never reads the environment itself.
"""
from __future__ import annotations

from typing import Mapping

# catalog provider -> the variables, first found wins
ENVIRONMENT_REGION_VARIABLES: Mapping[str, tuple[str, ...]] = {
    "aws": ("AWS_REGION", "AWS_DEFAULT_REGION"),
    "gcp": ("GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"),
}


def environment_regions(environ: Mapping[str, str]) -> dict[str, str]:
    """The region each provider would take from `environ`: {"aws": "eu-west-1"}; blank values skipped."""
    found: dict[str, str] = {}
    for provider, names in ENVIRONMENT_REGION_VARIABLES.items():
        for name in names:
            value = (environ.get(name) or "").strip()
            if value:
                found[provider] = value
                break
    return found
