"""The admin API's JSON shapes (``/_emulator/``), as TypedDicts: what the emulator sends and takes."""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict, Union


JSON = dict[str, Any]


class FaultMatch(TypedDict, total=False):
    #: A verb (create get list watch update patch delete deletecollection), an operationId, or a list.
    operation: Union[str, list[str]]
    name: str
    labelSelector: str


class FaultError(TypedDict):
    #: 409, 429, 500, 503 or 504
    code: int
    message: NotRequired[str]
    retryAfterSeconds: NotRequired[int]


class FaultLatency(TypedDict, total=False):
    #: Go durations, e.g. "200ms"
    fixed: str
    jitter: str


class FaultWatch(TypedDict):
    cutAfterEvents: int


class FaultRule(TypedDict, total=False):
    id: str
    match: FaultMatch
    probability: float
    everyNth: int
    times: int
    error: FaultError
    latency: FaultLatency
    watch: FaultWatch


class FaultConfig(TypedDict):
    rules: list[FaultRule]
    #: An integer or a string; the emulator's random seed (or 0) when absent.
    seed: NotRequired[Union[int, str]]


class FaultRuleReport(FaultRule):
    matched: int
    fired: int


class FaultReport(TypedDict):
    seed: Union[int, str]
    rules: list[FaultRuleReport]


class RequestRecord(TypedDict):
    method: str
    path: str
    #: Parsed query parameters: a string, or a list of strings when repeated.
    query: dict[str, Union[str, list[str]]]
    status: int
    durationMs: float
    #: When the request arrived, by the emulator's clock (RFC 3339).
    time: str
    #: Ids of the fault rules that fired on it.
    faults: NotRequired[list[str]]


class ClockState(TypedDict):
    now: str
    fixed: bool


class SeedResult(TypedDict):
    name: str
    kind: str
    outcome: Literal["created", "updated", "unchanged", "failed"]
    status: NotRequired[JSON]


class SeedReport(TypedDict):
    created: int
    updated: int
    unchanged: int
    failed: int
    results: list[SeedResult]
    resourceVersion: str


class Snapshot(TypedDict):
    resourceVersion: int
    #: Objects by resource (plural) and name.
    resources: dict[str, dict[str, JSON]]
