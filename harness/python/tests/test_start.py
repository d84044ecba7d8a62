"""start()/stop(), finding the CLI, options, kubeconfig and the fixtures' lifetimes."""

from __future__ import annotations

import errno
import os
import shutil
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from apoxy_emulator import BINARY_ENV, Emulator, EmulatorNotFound, EmulatorStartError, start
from helpers import G, backend

ROOT = Path(__file__).resolve().parents[3]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.ESRCH
    return False


def test_start_serves_the_api_and_stop_ends_the_process() -> None:
    emulator = start()
    assert emulator.url.startswith("http://127.0.0.1:")
    version = client.VersionApi(emulator.api_client).get_code()
    assert version.git_version == "v1.34.3"
    emulator.stop()
    assert _gone(emulator.pid)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(emulator.url + "/readyz", timeout=2)


def test_missing_cli_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(BINARY_ENV, str(tmp_path / "no-such-emulator"))
    with pytest.raises(EmulatorNotFound) as info:
        start()
    assert BINARY_ENV in str(info.value)
    assert "npm ci && npm install --global ." in str(info.value)


def test_any_executable_as_the_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH")
    wrapper = tmp_path / "my-emulator"
    # Not exec: the shell stays the parent, and stop() must end both.
    wrapper.write_text(f'#!/bin/sh\n{node} {ROOT / "bin" / "apoxy-emulator.js"} "$@"\necho wrapper done\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv(BINARY_ENV, str(wrapper))
    with start() as emulator:
        api = client.CustomObjectsApi(emulator.api_client)
        api.create_cluster_custom_object(**G, body=backend("via-wrapper"))
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(emulator.url + "/readyz", timeout=2)


def test_an_emulator_that_fails_to_start_reports_its_output() -> None:
    with pytest.raises(EmulatorStartError, match="--profile must be apoxy or documented"):
        start(profile="nonsense")


def test_kubeconfig_and_api_key() -> None:
    with start(api_key="s3cret", tls=True) as emulator:
        assert emulator.url.startswith("https://127.0.0.1:")
        from_file = config.new_client_from_config(config_file=emulator.kubeconfig_path)
        try:
            client.CustomObjectsApi(from_file).create_cluster_custom_object(**G, body=backend("with-key"))
        finally:
            from_file.close()
        assert client.CustomObjectsApi(emulator.api_client).get_cluster_custom_object(**G, name="with-key")["metadata"]["name"] == "with-key"
        anonymous = client.ApiClient(emulator.configuration())
        anonymous.configuration.api_key = {}
        try:
            with pytest.raises(ApiException) as info:
                client.CustomObjectsApi(anonymous).list_cluster_custom_object(**G)
        finally:
            anonymous.close()
        assert info.value.status == 401
        assert emulator.snapshot()["resources"]["backends"]["with-key"]


CLOCK = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


@pytest.mark.apoxy_emulator(
    profile="documented",
    fixed_clock=CLOCK,
    random_seed=7,
    seed_files=[str(ROOT / "fixtures" / "valid" / "fqdn.yaml")],
    seed_yaml=["apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: seeded}\nspec: {endpoints: [{fqdn: a.example.com}], protocol: tls}\n"],
)
def test_marker_options_reach_the_emulator(apoxy_emulator: Emulator) -> None:
    api = client.CustomObjectsApi(apoxy_emulator.api_client)
    assert len(api.list_cluster_custom_object(**G)["items"]) == 2
    with pytest.raises(ApiException) as info:
        api.create_cluster_custom_object(**G, body={"apiVersion": "core.apoxy.dev/v1alpha2", "kind": "Backend", "metadata": {"name": "x"}, "spec": {"endpoints": [{"fqdn": "x.example.com"}]}})
    assert info.value.status == 422, "documented profile: spec.protocol is required"
    created = api.create_cluster_custom_object(**G, body=backend("clocked"))
    assert created["metadata"]["creationTimestamp"] == "2026-01-02T03:04:05Z"
    # reset() goes back to the start: the seeded objects, not an empty store.
    seeded = {b["metadata"]["uid"] for b in api.list_cluster_custom_object(**G)["items"] if b["metadata"]["name"] != "clocked"}
    apoxy_emulator.reset()
    assert {b["metadata"]["uid"] for b in api.list_cluster_custom_object(**G)["items"]} == seeded


def test_data_file_keeps_objects_across_restarts(tmp_path: Path) -> None:
    data = str(tmp_path / "backends.json")
    with start(data_file=data) as first:
        uid = client.CustomObjectsApi(first.api_client).create_cluster_custom_object(**G, body=backend("kept"))["metadata"]["uid"]
    with start(data_file=data) as second:
        assert client.CustomObjectsApi(second.api_client).get_cluster_custom_object(**G, name="kept")["metadata"]["uid"] == uid


# Lifetimes: the function fixture is clean in every test; module and session carry state over.


def test_function_fixture_first(apoxy_emulator: Emulator) -> None:
    client.CustomObjectsApi(apoxy_emulator.api_client).create_cluster_custom_object(**G, body=backend("left-behind"))


def test_function_fixture_second_starts_clean(apoxy_emulator: Emulator) -> None:
    assert client.CustomObjectsApi(apoxy_emulator.api_client).list_cluster_custom_object(**G)["items"] == []


_seen: dict[str, int] = {}


def test_module_fixture_first(apoxy_emulator_module: Emulator, apoxy_emulator_session: Emulator) -> None:
    _seen["module"] = apoxy_emulator_module.pid
    _seen["session"] = apoxy_emulator_session.pid
    client.CustomObjectsApi(apoxy_emulator_module.api_client).create_cluster_custom_object(**G, body=backend("kept-in-module"))


def test_module_fixture_second_keeps_state(apoxy_emulator_module: Emulator, apoxy_emulator_session: Emulator, apoxy_emulator: Emulator) -> None:
    assert apoxy_emulator_module.pid == _seen["module"]
    assert apoxy_emulator_session.pid == _seen["session"]
    assert len({apoxy_emulator_module.pid, apoxy_emulator_session.pid, apoxy_emulator.pid}) == 3
    names = [b["metadata"]["name"] for b in client.CustomObjectsApi(apoxy_emulator_module.api_client).list_cluster_custom_object(**G)["items"]]
    assert names == ["kept-in-module"]
