"""guardrails: cost and policy guardrails for Terraform and Kubernetes changes."""

__version__ = "0.1.0"
