"""kubernetes.dynamic.DynamicClient: discovery through /apis (the emulator answers /api with 404,
as an aggregated server does), CRUD and server-side apply."""

from __future__ import annotations

import json

import pytest
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ConflictError, NotFoundError

from apoxy_emulator import Emulator
from helpers import backend


def test_discovery_crud_and_server_side_apply(apoxy_emulator: Emulator) -> None:
    dyn = DynamicClient(apoxy_emulator.api_client)
    backends = dyn.resources.get(api_version="core.apoxy.dev/v1alpha2", kind="Backend")
    assert backends.name == "backends" and backends.namespaced is False

    created = backends.create(body=backend("dyn", protocol="H2C"))
    assert created.spec.protocol == "h2c"
    assert backends.get(name="dyn").metadata.uid == created.metadata.uid
    assert [b.metadata.name for b in backends.get().items] == ["dyn"]

    merged = backends.patch(name="dyn", body={"metadata": {"labels": {"tier": "edge"}}}, content_type="application/merge-patch+json")
    assert merged.metadata.labels.tier == "edge"

    # Server-side apply: team-a owns the spec it applied.
    applied = backends.server_side_apply(body=backend("applied", protocol="h2"), field_manager="team-a")
    assert applied.spec.protocol == "h2"
    with pytest.raises(ConflictError) as conflict:
        backends.server_side_apply(body={"apiVersion": "core.apoxy.dev/v1alpha2", "kind": "Backend", "metadata": {"name": "applied"}, "spec": {"protocol": "tls"}}, field_manager="team-b")
    assert conflict.value.status == 409
    status = json.loads(conflict.value.body)
    assert status["message"] == 'Apply failed with 1 conflict: conflict with "team-a": .spec.protocol'
    assert status["details"]["causes"] == [{"reason": "FieldManagerConflict", "message": 'conflict with "team-a"', "field": ".spec.protocol"}]
    forced = backends.server_side_apply(
        body={"apiVersion": "core.apoxy.dev/v1alpha2", "kind": "Backend", "metadata": {"name": "applied"}, "spec": {"protocol": "tls"}},
        field_manager="team-b",
        force_conflicts=True,
    )
    assert forced.spec.protocol == "tls"
    owners = {m.manager for m in forced.metadata.managedFields}
    assert owners == {"team-a", "team-b"}

    backends.delete(name="dyn")
    with pytest.raises(NotFoundError):
        backends.get(name="dyn")
