"""A running apoxy-emulator process: start(), stop(), its URL, a kubeconfig, a kubernetes ApiClient and the admin API."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from .locate import command
from .types import JSON, ClockState, FaultConfig, FaultReport, RequestRecord, SeedReport, Snapshot

if TYPE_CHECKING:
    from kubernetes.client import ApiClient

#: The first line the CLI prints: "apoxy-emulator listening on http://127.0.0.1:40123 (...)".
_LISTENING = re.compile(r"listening on (\S+)")


@dataclass(frozen=True)
class EmulatorOptions:
    """How to start an emulator. Every field is optional: by default, in memory, profile apoxy."""

    #: "apoxy" (behave like the real Apoxy server) or "documented" (also enforce the API reference).
    profile: str | None = None
    #: Keep the data in this JSON file instead of in memory.
    data_file: str | None = None
    #: Manifest files or folders (YAML/JSON, multi-document) loaded at start.
    seed_files: tuple[str, ...] = ()
    #: Manifests given as text, loaded at start.
    seed_yaml: tuple[str, ...] = ()
    #: Freeze the emulator's clock here (an aware datetime or RFC 3339 text); reset() puts it back.
    fixed_clock: datetime | str | None = None
    #: Reproducible uids, generateName suffixes and fault rules; reset() re-seeds it.
    random_seed: int | None = None
    #: reset() starts the resourceVersion again from 0 (in memory only): the same resourceVersions
    #: in every test whatever ran before. Only where no watch spans a reset: a watch cache resumes
    #: from the last resourceVersion it saw, which after a restart names another point of history.
    restart_resource_version: bool = False
    #: Fault rules armed from the start; reset() re-arms them.
    faults: FaultConfig | None = None
    #: Set a Ready condition on each Backend this long after a change (a Go duration or a timedelta).
    simulate_ready: str | timedelta | None = None
    #: Require this key (the ApiClient and the admin calls send it).
    api_key: str | None = None
    #: Serve HTTPS with a self-signed certificate.
    tls: bool = False
    #: Run this executable instead of looking for one.
    binary: str | None = None
    #: More command-line arguments for serve.
    extra_args: tuple[str, ...] = ()
    #: Seconds to wait for the emulator to answer.
    start_timeout: float = 30.0

    def merged(self, **changes: Any) -> EmulatorOptions:
        """A copy with some fields changed (lists given as lists are kept as tuples)."""
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return replace(self, **fields)


class AdminError(RuntimeError):
    """The admin API refused a request; ``status`` is the Kubernetes Status it sent."""

    def __init__(self, code: int, status: JSON | None, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class EmulatorStartError(RuntimeError):
    """The emulator did not start; the message carries what it printed."""


def _go_duration(d: timedelta) -> str:
    return f"{int(d.total_seconds() * 1000)}ms"


def _rfc3339(t: datetime | str) -> str:
    if isinstance(t, str):
        return t
    if t.tzinfo is None:
        raise ValueError("fixed_clock and set_clock need an aware datetime (tzinfo=timezone.utc)")
    return t.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class Emulator:
    """A running emulator. Use start() to make one, stop() (or a with block) to end it."""

    url: str
    options: EmulatorOptions
    process: subprocess.Popen[str]
    _tmp: Path
    _output: list[str] = field(default_factory=list)
    _kubeconfig: Path | None = None
    _api_client: ApiClient | None = None
    #: The objects it started with (seeds, a data file), for reset().
    _start_state: Snapshot | None = None

    # ---- process ---------------------------------------------------------------------------------

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def output(self) -> str:
        """What the emulator printed so far."""
        return "".join(self._output)

    def stop(self) -> None:
        """SIGTERM to the emulator's process group, SIGKILL after 10 s; returns once every process of
        the group has exited (a wrapper script may exit before the server it started has stopped
        listening); removes its temporary files."""
        try:
            if self._api_client is not None:
                self._api_client.close()  # type: ignore[no-untyped-call]
                self._api_client = None
            if self.process.poll() is None:
                _signal_group(self.process, signal.SIGTERM)
                deadline = time.monotonic() + 10
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
                while _group_alive(self.process) and time.monotonic() < deadline:
                    time.sleep(0.02)
                if self.process.poll() is None or _group_alive(self.process):
                    _signal_group(self.process, signal.SIGKILL)
                    self.process.wait()
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # ---- clients ---------------------------------------------------------------------------------

    @property
    def kubeconfig_path(self) -> str:
        """A kubeconfig file for this emulator (kubectl, kubernetes.config.load_kube_config); removed on stop()."""
        if self._kubeconfig is None:
            name = "apoxy-emulator"
            cluster: JSON = {"server": self.url}
            if self.url.startswith("https:"):
                cluster["insecure-skip-tls-verify"] = True
            config = {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": name, "cluster": cluster}],
                # A token always: kubectl asks for a username on https servers otherwise.
                "users": [{"name": name, "user": {"token": self.options.api_key or name}}],
                "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
                "current-context": name,
            }
            path = self._tmp / "kubeconfig.yaml"
            path.write_text(json.dumps(config, indent=2), encoding="utf-8")  # JSON is YAML
            self._kubeconfig = path
        return str(self._kubeconfig)

    def configuration(self) -> Any:
        """A new kubernetes.client.Configuration for this emulator."""
        from kubernetes import client

        config = client.Configuration(host=self.url)
        if self.url.startswith("https:"):
            config.verify_ssl = False  # the emulator's certificate is self-signed
        if self.options.api_key:
            config.api_key = {"authorization": self.options.api_key}
            config.api_key_prefix = {"authorization": "Bearer"}
        return config

    @property
    def api_client(self) -> ApiClient:
        """A ready kubernetes.client.ApiClient (one per emulator, closed on stop())."""
        if self._api_client is None:
            from kubernetes import client

            self._api_client = client.ApiClient(self.configuration())
        return self._api_client

    # ---- admin API -------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to how it started: the objects it started with (seeds, a data file; none otherwise),
        an empty request log, the start's fault rules re-armed (none otherwise), the random source
        re-seeded and a fixed clock back at its start. resourceVersions keep increasing unless
        restart_resource_version. The Go harness and the Node helper reset the same way."""
        # POST /_emulator/reset empties the store and the request log, re-seeds the random source and
        # puts a fixed clock back; the start's objects and fault rules are ours to restore.
        self._admin("POST", "/reset?restartResourceVersion=true" if self.options.restart_resource_version else "/reset")
        if self._start_state is not None and any(self._start_state["resources"].values()):
            self.restore(self._start_state)
            self.clear_requests()
        if self.options.faults is not None:
            self.set_faults(self.options.faults)
        else:
            self.clear_faults()

    def seed(self, *objects: JSON) -> SeedReport:
        """Creates or updates objects like kubectl apply -f; raises AdminError if any failed."""
        return self.seed_yaml("\n---\n".join(json.dumps(o) for o in objects))

    def seed_yaml(self, manifests: str) -> SeedReport:
        """Creates or updates the objects of manifests (YAML/JSON, multi-document); raises AdminError if any failed."""
        report = cast(SeedReport, self._admin("POST", "/seed", manifests.encode(), "application/yaml"))
        if report["failed"]:
            failed = [r for r in report["results"] if r["outcome"] == "failed"]
            why = "; ".join(f"{r['kind']} {r['name']!r}: {r.get('status', {}).get('message', '')}" for r in failed)
            raise AdminError(422, failed[0].get("status"), f"seed: {report['failed']} of {len(report['results'])} objects failed: {why}")
        return report

    def snapshot(self) -> Snapshot:
        return cast(Snapshot, self._admin("GET", "/snapshot"))

    def restore(self, snapshot: Snapshot) -> None:
        """Replaces the whole state (objects keep their uids, get new resourceVersions)."""
        self._admin("PUT", "/snapshot", json.dumps(snapshot).encode(), "application/json")

    def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        status: str | int | None = None,
        limit: int | None = None,
        include_admin: bool = False,
    ) -> list[RequestRecord]:
        """Recent requests, oldest first; ``path`` is a prefix, ``status`` a code (404) or a class ("4xx")."""
        query: dict[str, str] = {}
        if method:
            query["method"] = method
        if path:
            query["path"] = path
        if status is not None:
            query["status"] = str(status)
        if limit is not None:
            query["limit"] = str(limit)
        if include_admin:
            query["all"] = "true"
        suffix = "?" + urllib.parse.urlencode(query) if query else ""
        return cast(list[RequestRecord], self._admin("GET", "/requests" + suffix)["items"])

    def clear_requests(self) -> None:
        self._admin("DELETE", "/requests")

    def faults(self) -> FaultReport:
        """The rules in force with how many requests each matched and fired on."""
        return cast(FaultReport, self._admin("GET", "/faults"))

    def set_faults(self, config: FaultConfig) -> FaultReport:
        """Replaces every rule (counters restart)."""
        return cast(FaultReport, self._admin("PUT", "/faults", json.dumps(config).encode(), "application/json"))

    def add_faults(self, config: FaultConfig) -> FaultReport:
        return cast(FaultReport, self._admin("POST", "/faults", json.dumps(config).encode(), "application/json"))

    def clear_faults(self) -> FaultReport:
        return cast(FaultReport, self._admin("DELETE", "/faults"))

    def clock(self) -> ClockState:
        return cast(ClockState, self._admin("GET", "/clock"))

    def advance_clock(self, by: str | timedelta) -> ClockState:
        """Moves the clock forward by a Go duration ("5m") or a timedelta."""
        duration = _go_duration(by) if isinstance(by, timedelta) else by
        return cast(ClockState, self._admin("POST", "/clock", json.dumps({"advance": duration}).encode(), "application/json"))

    def set_clock(self, to: datetime | str) -> ClockState:
        return cast(ClockState, self._admin("POST", "/clock", json.dumps({"set": _rfc3339(to)}).encode(), "application/json"))

    def _admin(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Any:
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.options.api_key:
            headers["Authorization"] = f"Bearer {self.options.api_key}"
        request = urllib.request.Request(self.url + "/_emulator" + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30, context=_ssl_context(self.url)) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                status = json.loads(text)
            except ValueError:
                status = None
            if not (isinstance(status, dict) and status.get("kind") == "Status"):
                status = None
            message = status["message"] if status else text[:200]
            raise AdminError(e.code, status, f"{method} /_emulator{path}: {e.code} {message}") from None


def _ssl_context(url: str) -> ssl.SSLContext | None:
    if not url.startswith("https:"):
        return None
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the emulator's --tls certificate is self-signed
    return context


def _group_alive(process: subprocess.Popen[str]) -> bool:
    """Whether any process of the group the emulator leads is still running."""
    try:
        os.killpg(process.pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _signal_group(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    """Signals the process group the emulator leads (started with start_new_session), nothing else."""
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            process.send_signal(sig)
        except ProcessLookupError:
            pass


def _serve_args(options: EmulatorOptions, tmp: Path) -> list[str]:
    args = ["serve", "--port", "0", "--host", "127.0.0.1"]
    args += ["--data", options.data_file] if options.data_file else ["--in-memory"]
    if options.profile:
        args += ["--profile", options.profile]
    for path in options.seed_files:
        args += ["--seed", path]
    for i, text in enumerate(options.seed_yaml):
        seed = tmp / f"seed-{i}.yaml"
        seed.write_text(text, encoding="utf-8")
        args += ["--seed", str(seed)]
    if options.fixed_clock is not None:
        args += ["--clock", "fixed:" + _rfc3339(options.fixed_clock)]
    if options.random_seed is not None:
        args += ["--random-seed", str(options.random_seed)]
    if options.faults is not None:
        faults = tmp / "faults.json"
        faults.write_text(json.dumps(options.faults), encoding="utf-8")
        args += ["--faults", str(faults)]
    if options.simulate_ready is not None:
        ready = options.simulate_ready
        args += ["--simulate-ready", _go_duration(ready) if isinstance(ready, timedelta) else ready]
    if options.tls:
        args.append("--tls")
    return args + list(options.extra_args)


def start(options: EmulatorOptions | None = None, **changes: Any) -> Emulator:
    """Starts an emulator on a free port of 127.0.0.1 and returns once it answers.

    ``start(profile="documented")`` is ``start(EmulatorOptions(profile="documented"))``.
    """
    options = (options or EmulatorOptions()).merged(**changes)
    argv = command(options.binary)
    tmp = Path(tempfile.mkdtemp(prefix="apoxy-emulator-"))
    try:
        args = _serve_args(options, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    env = dict(os.environ)
    if options.api_key:
        env["APOXY_EMULATOR_API_KEY"] = options.api_key  # not in the process list
    process = subprocess.Popen(
        [*argv, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: a wrapper script stops with its server
    )
    output: list[str] = []
    found: list[str] = []
    listening = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            match = _LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                listening.set()
        listening.set()  # the process ended

    threading.Thread(target=read, name=f"apoxy-emulator-{process.pid}-output", daemon=True).start()
    emulator = Emulator(url="", options=options, process=process, _tmp=tmp, _output=output)

    def fail(why: str) -> EmulatorStartError:
        emulator.stop()
        return EmulatorStartError(f"apoxy-emulator {why} (command: {' '.join([*argv, *args])})\n{''.join(output)}")

    deadline = time.monotonic() + options.start_timeout
    if not listening.wait(options.start_timeout) or not found:
        raise fail(f"exited with {process.poll()} before listening" if process.poll() is not None else f"did not print its URL within {options.start_timeout}s")
    emulator.url = found[0]
    while True:
        try:
            with urllib.request.urlopen(emulator.url + "/readyz", timeout=5, context=_ssl_context(emulator.url)) as r:
                if r.status == 200:
                    emulator._start_state = emulator.snapshot()
                    return emulator
        except (urllib.error.URLError, OSError):
            pass
        if process.poll() is not None:
            raise fail(f"exited with {process.returncode} before it answered")
        if time.monotonic() > deadline:
            raise fail("did not answer /readyz in time")
        time.sleep(0.01)

