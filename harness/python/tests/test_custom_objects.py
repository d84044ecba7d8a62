"""The official kubernetes client's CustomObjectsApi against the emulator."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from apoxy_emulator import Emulator
from helpers import G, backend


@pytest.fixture
def api(apoxy_emulator: Emulator) -> client.CustomObjectsApi:
    return client.CustomObjectsApi(apoxy_emulator.api_client)


def test_crud(api: client.CustomObjectsApi) -> None:
    created = api.create_cluster_custom_object(**G, body=backend("web", protocol="H2"))
    assert created["spec"]["protocol"] == "h2"  # the apoxy profile stores it lowercased
    assert created["metadata"]["uid"] and created["metadata"]["resourceVersion"]

    got = api.get_cluster_custom_object(**G, name="web")
    got["spec"]["protocol"] = "tls"
    replaced = api.replace_cluster_custom_object(**G, name="web", body=got)
    assert replaced["spec"]["protocol"] == "tls"
    assert replaced["metadata"]["resourceVersion"] != got["metadata"]["resourceVersion"]

    # The stale object again: 409 Conflict.
    with pytest.raises(ApiException) as stale:
        api.replace_cluster_custom_object(**G, name="web", body=got)
    assert stale.value.status == 409

    # A merge patch is the client's default patch type; others are named with _content_type.
    patched = api.patch_cluster_custom_object(**G, name="web", body={"metadata": {"labels": {"tier": "edge"}}})
    assert patched["metadata"]["labels"] == {"tier": "edge"}
    patched = api.patch_cluster_custom_object(**G, name="web", body=[{"op": "replace", "path": "/spec/protocol", "value": "h2c"}], _content_type="application/json-patch+json")
    assert patched["spec"]["protocol"] == "h2c"
    patched = api.patch_cluster_custom_object(**G, name="web", body={"spec": {"endpoints": [{"ip": "10.0.0.8"}]}}, _content_type="application/strategic-merge-patch+json")
    assert patched["spec"]["endpoints"] == [{"ip": "10.0.0.8"}]

    deleted = api.delete_cluster_custom_object(**G, name="web")
    assert deleted["kind"] == "Status" and deleted["status"] == "Success"


def test_errors_are_api_exceptions_with_the_status_body(api: client.CustomObjectsApi) -> None:
    with pytest.raises(ApiException) as missing:
        api.get_cluster_custom_object(**G, name="missing")
    assert missing.value.status == 404
    status = json.loads(missing.value.body)
    assert status == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'backends.core.apoxy.dev "missing" not found',
        "reason": "NotFound",
        "details": {"name": "missing", "group": "core.apoxy.dev", "kind": "backends"},
        "code": 404,
    }
    api.create_cluster_custom_object(**G, body=backend("dup"))
    with pytest.raises(ApiException) as exists:
        api.create_cluster_custom_object(**G, body=backend("dup"))
    assert exists.value.status == 409 and json.loads(exists.value.body)["reason"] == "AlreadyExists"
    with pytest.raises(ApiException) as invalid:
        api.create_cluster_custom_object(**G, body=backend("both", endpoints=[{"fqdn": "a.example.com", "ip": "10.0.0.1"}]))
    body = json.loads(invalid.value.body)
    assert invalid.value.status == 422 and body["reason"] == "Invalid"
    assert body["details"]["causes"][0]["field"] == "spec.endpoints.[0].ip"


def test_status_subresource(api: client.CustomObjectsApi) -> None:
    api.create_cluster_custom_object(**G, body=backend("st"))
    condition = {"type": "Ready", "status": "True", "reason": "Reconciled", "message": "ok", "lastTransitionTime": "2026-01-01T00:00:00Z"}
    out = api.patch_cluster_custom_object_status(**G, name="st", body=[{"op": "add", "path": "/status/conditions", "value": [condition]}], _content_type="application/json-patch+json")
    assert out["status"]["conditions"][0]["reason"] == "Reconciled"
    current = api.get_cluster_custom_object_status(**G, name="st")
    current["status"]["conditions"][0]["reason"] = "Replaced"
    current["spec"]["protocol"] = "tls"  # ignored by /status
    replaced = api.replace_cluster_custom_object_status(**G, name="st", body=current)
    assert replaced["status"]["conditions"][0]["reason"] == "Replaced"
    assert replaced["spec"]["protocol"] == "h2"


def test_selectors_and_paging(api: client.CustomObjectsApi) -> None:
    for i in range(7):
        api.create_cluster_custom_object(**G, body=backend(f"b{i}", protocol="tls" if i < 2 else "h2", labels={"tier": "edge" if i % 2 == 0 else "core"}))

    def names(items: list[dict[str, object]]) -> list[str]:
        return [i["metadata"]["name"] for i in items]  # type: ignore[index]

    assert names(api.list_cluster_custom_object(**G, label_selector="tier=edge")["items"]) == ["b0", "b2", "b4", "b6"]
    assert names(api.list_cluster_custom_object(**G, label_selector="tier notin (edge)")["items"]) == ["b1", "b3", "b5"]
    assert names(api.list_cluster_custom_object(**G, field_selector="spec.protocol=tls")["items"]) == ["b0", "b1"]

    seen: list[str] = []
    token = None
    pages = 0
    while True:
        page = api.list_cluster_custom_object(**G, limit=3, _continue=token)
        pages += 1
        seen += names(page["items"])
        token = page["metadata"].get("continue")
        if not token:
            break
    assert pages == 3 and seen == [f"b{i}" for i in range(7)]
    first = api.list_cluster_custom_object(**G, limit=3)
    assert first["metadata"]["remainingItemCount"] == 4
