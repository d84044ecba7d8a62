"""Small builders shared by the tests."""

from __future__ import annotations

from typing import Any

GROUP = "core.apoxy.dev"
VERSION = "v1alpha2"
PLURAL = "backends"
G = {"group": GROUP, "version": VERSION, "plural": PLURAL}


def backend(name: str, protocol: str = "h2", labels: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if labels:
        metadata["labels"] = labels
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "Backend",
        "metadata": metadata,
        "spec": {"endpoints": [{"fqdn": f"{name}.example.com"}], "protocol": protocol, **spec},
    }
