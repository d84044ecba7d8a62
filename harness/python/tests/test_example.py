# test_backends.py: needs `pip install ./harness/python` (the pytest plugin comes with it)
import json

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

GROUP = {"group": "core.apoxy.dev", "version": "v1alpha2", "plural": "backends"}


def make_backend(name: str, protocol: str) -> dict:
    return {
        "apiVersion": "core.apoxy.dev/v1alpha2",
        "kind": "Backend",
        "metadata": {"name": name, "labels": {"tier": "edge"}},
        "spec": {"endpoints": [{"fqdn": f"{name}.example.com"}], "protocol": protocol},
    }


def test_backends_against_the_emulator(apoxy_emulator):
    # A clean emulator for this test; apoxy_emulator.api_client is a ready kubernetes ApiClient.
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    apoxy_emulator.seed(make_backend("existing", "h2"))

    created = api.create_cluster_custom_object(**GROUP, body=make_backend("web", "H2"))
    assert created["spec"]["protocol"] == "h2"  # Apoxy stores it lowercased

    edge = api.list_cluster_custom_object(**GROUP, label_selector="tier=edge")
    assert [b["metadata"]["name"] for b in edge["items"]] == ["existing", "web"]

    # Make the next read fail, as the real server may.
    apoxy_emulator.set_faults({"rules": [{"match": {"operation": "get"}, "times": 1, "error": {"code": 503}}]})
    with pytest.raises(ApiException) as failure:
        api.get_cluster_custom_object(**GROUP, name="web")
    assert failure.value.status == 503
    assert json.loads(failure.value.body)["reason"] == "ServiceUnavailable"

    assert [r["status"] for r in apoxy_emulator.requests(method="GET")] == [200, 503]


@pytest.mark.apoxy_emulator(profile="documented")
def test_documented_profile_enforces_the_api_reference(apoxy_emulator):
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    with pytest.raises(ApiException) as invalid:
        api.create_cluster_custom_object(**GROUP, body=make_backend("web", "http3"))
    assert invalid.value.status == 422
