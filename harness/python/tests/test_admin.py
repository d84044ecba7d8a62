"""The typed admin API: seed, requests, faults, clock, snapshot, reset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from apoxy_emulator import AdminError, Emulator
from helpers import G, backend

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_seed_reports_each_object_and_refusals_raise(apoxy_emulator: Emulator) -> None:
    report = apoxy_emulator.seed(backend("one"), backend("two", labels={"tier": "edge"}))
    assert (report["created"], [r["name"] for r in report["results"]]) == (2, ["one", "two"])
    again = apoxy_emulator.seed_yaml("apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: one}\nspec: {endpoints: [{fqdn: one.example.com}], protocol: h2}\n")
    assert again["unchanged"] == 1
    with pytest.raises(AdminError) as refused:
        apoxy_emulator.seed(backend("bad", endpoints=[{"fqdn": "a.example.com", "ip": "10.0.0.1"}]))
    assert refused.value.status is not None and refused.value.status["code"] == 422
    assert "Backend 'bad'" in str(refused.value)


def test_requests_record_what_the_client_sent(apoxy_emulator: Emulator) -> None:
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    api.create_cluster_custom_object(**G, body=backend("logged"), field_manager="my-tool")
    with pytest.raises(ApiException):
        api.get_cluster_custom_object(**G, name="missing")
    posts = apoxy_emulator.requests(method="POST")
    assert [(r["path"], r["status"], r["query"]) for r in posts] == [("/apis/core.apoxy.dev/v1alpha2/backends", 201, {"fieldManager": "my-tool"})]
    assert [r["path"] for r in apoxy_emulator.requests(status="4xx")] == ["/apis/core.apoxy.dev/v1alpha2/backends/missing"]
    apoxy_emulator.clear_requests()
    assert apoxy_emulator.requests() == []


def test_faults_fire_are_counted_and_bad_rules_are_refused(apoxy_emulator: Emulator) -> None:
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    apoxy_emulator.seed(backend("flaky"))
    apoxy_emulator.set_faults({"rules": [{"id": "once", "match": {"operation": "get", "name": "flaky"}, "times": 1, "error": {"code": 503}}]})
    with pytest.raises(ApiException) as unavailable:
        api.get_cluster_custom_object(**G, name="flaky")
    assert unavailable.value.status == 503
    api.get_cluster_custom_object(**G, name="flaky")
    rule = apoxy_emulator.faults()["rules"][0]
    assert (rule["id"], rule["matched"], rule["fired"]) == ("once", 2, 1)
    with pytest.raises(AdminError) as bad:
        apoxy_emulator.set_faults({"rules": [{"error": {"code": 418}}]})
    assert bad.value.code == 400 and bad.value.status is not None and bad.value.status["reason"] == "BadRequest"
    apoxy_emulator.reset()
    assert apoxy_emulator.faults()["rules"] == []


@pytest.mark.apoxy_emulator(fixed_clock=START, faults={"rules": [{"id": "slow", "match": {"operation": "list"}, "latency": {"fixed": "1ms"}}]})
def test_clock_and_reset_put_the_start_back(apoxy_emulator: Emulator) -> None:
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    state = apoxy_emulator.advance_clock(timedelta(minutes=90))
    assert state == {"now": "2026-01-01T01:30:00.000Z", "fixed": True}
    created = api.create_cluster_custom_object(**G, body=backend("later"))
    assert created["metadata"]["creationTimestamp"] == "2026-01-01T01:30:00Z"
    api.list_cluster_custom_object(**G)
    apoxy_emulator.clear_faults()
    apoxy_emulator.reset()
    assert apoxy_emulator.clock()["now"] == "2026-01-01T00:00:00.000Z"
    rules = apoxy_emulator.faults()["rules"]
    assert [(r["id"], r["matched"]) for r in rules] == [("slow", 0)]
    assert api.list_cluster_custom_object(**G)["items"] == []


def test_snapshot_and_restore(apoxy_emulator: Emulator) -> None:
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    uid = api.create_cluster_custom_object(**G, body=backend("a"))["metadata"]["uid"]
    snapshot = apoxy_emulator.snapshot()
    assert list(snapshot["resources"]["backends"]) == ["a"]
    api.delete_cluster_custom_object(**G, name="a")
    apoxy_emulator.restore(snapshot)
    assert api.get_cluster_custom_object(**G, name="a")["metadata"]["uid"] == uid


@pytest.mark.apoxy_emulator(
    random_seed=7,
    fixed_clock=START,
    restart_resource_version=True,
    seed_yaml=("{apiVersion: core.apoxy.dev/v1alpha2, kind: Backend, metadata: {name: seeded}, spec: {endpoints: [{fqdn: s.example.com}]}}",),
)
def test_every_reset_is_the_same_start(apoxy_emulator: Emulator) -> None:
    """uids, generated names, timestamps and resourceVersions are the same after every reset."""
    api = client.CustomObjectsApi(apoxy_emulator.api_client)

    def session() -> list[object]:
        apoxy_emulator.reset()
        out: list[object] = []
        for body in ({**backend("x"), "metadata": {"generateName": "gen-"}}, backend("named")):
            out.append(api.create_cluster_custom_object(**G, body=body))
            apoxy_emulator.advance_clock(timedelta(seconds=90))
        out.append(api.list_cluster_custom_object(**G))
        return out

    first, second = session(), session()
    assert first == second
    assert first[1]["metadata"]["resourceVersion"] == "3"  # type: ignore[index]
