"""kubernetes.watch.Watch().stream against the emulator, resuming from resourceVersions."""

from __future__ import annotations

from typing import Any

from kubernetes import client, watch
from urllib3.exceptions import ProtocolError

from apoxy_emulator import Emulator
from helpers import G, backend


def test_watch_from_a_list_then_resume(apoxy_emulator: Emulator) -> None:
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    api.create_cluster_custom_object(**G, body=backend("before"))
    rv = api.list_cluster_custom_object(**G)["metadata"]["resourceVersion"]
    api.create_cluster_custom_object(**G, body=backend("during"))
    api.patch_cluster_custom_object(**G, name="during", body={"spec": {"protocol": "tls"}}, _content_type="application/merge-patch+json")

    w = watch.Watch()
    seen: list[tuple[str, str]] = []
    for event in w.stream(api.list_cluster_custom_object, **G, resource_version=rv, timeout_seconds=10):
        seen.append((event["type"], event["object"]["metadata"]["name"]))
        if len(seen) == 2:
            w.stop()
    assert seen == [("ADDED", "during"), ("MODIFIED", "during")]
    last = w.resource_version

    api.delete_cluster_custom_object(**G, name="before")
    resumed = watch.Watch()
    for event in resumed.stream(api.list_cluster_custom_object, **G, resource_version=last, timeout_seconds=10):
        assert (event["type"], event["object"]["metadata"]["name"]) == ("DELETED", "before")
        resumed.stop()


def test_resume_after_dropped_connections(apoxy_emulator: Emulator) -> None:
    """Every watch is cut after 2 events, the way a dropped connection ends it (urllib3 raises
    ProtocolError). Resuming from the Watch's last resourceVersion loses and repeats nothing."""
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    rv = api.list_cluster_custom_object(**G)["metadata"]["resourceVersion"]
    apoxy_emulator.set_faults({"rules": [{"id": "cut", "match": {"operation": "watch"}, "watch": {"cutAfterEvents": 2}}]})
    for i in range(6):
        api.create_cluster_custom_object(**G, body=backend(f"w{i}"))

    names: list[str] = []
    drops = 0
    while len(names) < 6 and drops < 10:
        w = watch.Watch()
        try:
            event: dict[str, Any]
            for event in w.stream(api.list_cluster_custom_object, **G, resource_version=rv, timeout_seconds=10):
                names.append(event["object"]["metadata"]["name"])
                rv = w.resource_version
                if len(names) == 6:
                    w.stop()
        except ProtocolError:
            drops += 1
    assert names == [f"w{i}" for i in range(6)]
    assert drops == 2  # the third watch delivered the last two events before its cut
    assert apoxy_emulator.faults()["rules"][0]["fired"] == 3
