"""Quantities a user supplies for usage-based cost components (the usage file's content)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from guardrails.core.model import Resource


@dataclass
class Usage:
    """Quantities for usage-based components: per address, else per resource type."""

    by_address: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    by_type: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The keys asked for since the estimator last cleared it: the usage keys of the resource being
    # priced, which the report names so that a user knows what to fill in.
    asked: list[str] = field(default_factory=list, repr=False, compare=False)

    def get(self, resource: Resource, key: str) -> Any:
        if key not in self.asked:
            self.asked.append(key)
        # A usage entry for `aws_instance.web` covers every instance of it (web[0], web["a"]);
        # the type's default comes last.
        base = re.sub(r"\[[^\]]*\]$", "", resource.address)
        for table, name in ((self.by_address, resource.address), (self.by_address, base), (self.by_type, resource.type)):
            values = table.get(name)
            if isinstance(values, Mapping) and key in values:
                return values[key]
        return None
