"""A resource's tags (labels for Kubernetes objects) as they end up on the cloud resource:
provider default_tags merged under its own, an Auto Scaling group's tag blocks with their
propagation, tags_all where a plan states it. Unknown where they cannot be known."""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import Resource, Unknown, is_unknown
from guardrails.core.paths import get_path
from guardrails.providers.taggable import is_taggable, tag_attribute


def resource_tags(resource: Resource, explicit_types: bool) -> tuple[Any, str, Mapping[str, Any]] | None:
    """(tags, path, propagate-at-launch by key) for a resource, or None when it has no tags."""
    if resource.kind == "kubernetes":
        labels = get_path(resource.attrs, "metadata.labels")
        return (labels if labels is not None else {}), "metadata.labels", {}
    if resource.type == "aws_autoscaling_group":
        return _asg_tags(resource)
    attribute = tag_attribute(resource.type)
    if attribute is None:
        return None
    own = get_path(resource.attrs, attribute)
    if not (explicit_types or is_taggable(resource.type) or own is not None):
        return None
    tags_all = resource.attrs.get("tags_all") if attribute == "tags" else None
    if isinstance(tags_all, dict) and resource.action:
        return tags_all, "tags", {}
    if own is None:
        own = {}
    if is_unknown(own) or not isinstance(own, dict):
        return (own if is_unknown(own) else Unknown(f"{attribute} is not a map")), attribute, {}
    defaults = resource.provider_config.get("default_tags") if resource.provider == "aws" else None
    if is_unknown(defaults):
        return _with_unknown_defaults(own, defaults), attribute, {}
    return {**(defaults or {}), **own}, attribute, {}


class _DefaultsUnknown(dict):
    """Own tags, where any other key may still come from default_tags we cannot evaluate."""

    def __init__(self, own: Mapping[str, Any], unknown: Unknown) -> None:
        super().__init__(own)
        self.unknown = unknown

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key, self.unknown)


def _with_unknown_defaults(own: Mapping[str, Any], defaults: Unknown) -> dict:
    return _DefaultsUnknown(own, Unknown(f"provider default_tags: {defaults.reason}"))


def _asg_tags(resource: Resource) -> tuple[Any, str, Mapping[str, Any]]:
    tags: dict[str, Any] = {}
    propagation: dict[str, Any] = {}
    entries: list[Any] = []
    blocks = resource.attrs.get("tag")
    if isinstance(blocks, list):
        entries.extend(blocks)
    listed = resource.attrs.get("tags")
    if is_unknown(listed) or is_unknown(blocks):
        return (listed if is_unknown(listed) else blocks), "tag", {}
    if isinstance(listed, list):
        entries.extend(listed)
    for entry in entries:
        if is_unknown(entry):
            return entry, "tag", {}
        if not isinstance(entry, dict):
            continue
        key = entry.get("key")
        if is_unknown(key):
            return key, "tag", {}
        if isinstance(key, str):
            tags[key] = entry.get("value")
            propagation[key] = entry.get("propagate_at_launch")
    return tags, "tag", propagation
