"""The pytest plugin: emulator fixtures with function, module and session lifetimes.

- ``apoxy_emulator``: a clean emulator for each test. Tests with the same options share one
  process for the whole session, reset (store, request log, fault rules, clock) before each test.
- ``apoxy_emulator_module``: one emulator per test module, not reset between its tests.
- ``apoxy_emulator_session``: one emulator for the whole session, not reset.

Options: override the session fixture ``apoxy_emulator_options`` (in a conftest.py), and/or mark
a module or test with ``@pytest.mark.apoxy_emulator(profile="documented", ...)`` (the marker's
keywords are EmulatorOptions fields; the closest marker wins for each field).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import pytest

from .emulator import Emulator, EmulatorOptions, start

MARKER = "apoxy_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(**options): EmulatorOptions fields for the apoxy_emulator fixtures")


def _options_for(node: pytest.Item | pytest.Collector, base: EmulatorOptions) -> EmulatorOptions:
    changes: dict[str, Any] = {}
    # iter_markers yields the closest first: apply the farthest first so the closest wins.
    for mark in reversed(list(node.iter_markers(MARKER))):
        if mark.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keyword arguments only (EmulatorOptions fields)")
        changes.update(mark.kwargs)
    return base.merged(**changes) if changes else base


class _Pool:
    """One emulator per distinct options, for the whole session."""

    def __init__(self) -> None:
        self._running: dict[str, Emulator] = {}

    def get(self, options: EmulatorOptions) -> Emulator:
        key = json.dumps(asdict(options), sort_keys=True, default=str)
        emulator = self._running.get(key)
        if emulator is None or emulator.process.poll() is not None:
            emulator = self._running[key] = start(options)
        return emulator

    def stop_all(self) -> None:
        for emulator in self._running.values():
            emulator.stop()
        self._running.clear()


@pytest.fixture(scope="session")
def apoxy_emulator_options() -> EmulatorOptions:
    """Options for every apoxy_emulator fixture; override it in a conftest.py."""
    return EmulatorOptions()


@pytest.fixture(scope="session")
def _apoxy_emulator_pool() -> Iterator[_Pool]:
    pool = _Pool()
    yield pool
    pool.stop_all()


@pytest.fixture
def apoxy_emulator(request: pytest.FixtureRequest, apoxy_emulator_options: EmulatorOptions, _apoxy_emulator_pool: _Pool) -> Emulator:
    """A clean emulator for this test (shared by tests with the same options, reset first)."""
    emulator = _apoxy_emulator_pool.get(_options_for(request.node, apoxy_emulator_options))
    emulator.reset()
    return emulator


@pytest.fixture(scope="module")
def apoxy_emulator_module(request: pytest.FixtureRequest, apoxy_emulator_options: EmulatorOptions) -> Iterator[Emulator]:
    """One emulator for this module's tests (its state carries over from test to test)."""
    with start(_options_for(request.node, apoxy_emulator_options)) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def apoxy_emulator_session(request: pytest.FixtureRequest, apoxy_emulator_options: EmulatorOptions) -> Iterator[Emulator]:
    """One emulator for the whole session (its state carries over from test to test)."""
    with start(apoxy_emulator_options) as emulator:
        yield emulator
