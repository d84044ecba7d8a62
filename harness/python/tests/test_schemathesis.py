"""Schemathesis (an outside fuzzer) against a running emulator, for both profiles: every check, all
phases (examples, coverage, fuzzing, and the stateful phase that follows openapi.yaml's links from a
create to the calls that name the created Backend). The few checks that are off, and why, are in
harness/python/schemathesis/schemathesis.toml.

Each profile is held to the document as it reads it: `documented` to openapi.yaml, `apoxy` (the
real server's behaviour) to its decode view, without the keywords only the published reference
promises (scripts/openapi-view.ts)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from apoxy_emulator import start

HERE = Path(__file__).resolve().parent
CONFIG_DIR = HERE.parent / "schemathesis"
ROOT = HERE.parents[2]
# Fixed, with one worker and deterministic generation, so that every run sends the same cases;
# APOXY_SCHEMATHESIS_SEED explores others.
SEED = os.environ.get("APOXY_SCHEMATHESIS_SEED", "1")
MAX_EXAMPLES = os.environ.get("APOXY_SCHEMATHESIS_MAX_EXAMPLES", "30")


KNOWN = tomllib.loads((CONFIG_DIR / "known-divergences.toml").read_text(encoding="utf-8"))["divergence"]


def unexplained_failures(output: str) -> list[str]:
    """The failures Schemathesis reported that no known divergence explains (errors always count)."""
    if "= ERRORS =" in output:
        return [output.split("= ERRORS =", 1)[1].split("= FAILURES =")[0].split("= WARNINGS =")[0]]
    if "= FAILURES =" not in output:
        return []
    section = output.split("= FAILURES =", 1)[1].split("= WARNINGS =")[0].split("= SUMMARY =")[0]
    unexplained: list[str] = []
    # "____ DELETE /apis/... ____" heads each operation's failures; "- ST201 ..." starts each one.
    for block in re.split(r"\n_+ (?=\S)", "\n" + section)[1:]:
        header, _, body = block.partition("\n")
        method = header.split(" ")[0]
        for item in re.split(r"\n(?=- ST\d{3} )", body)[1:]:
            # A stateful failure is a sequence of calls: the failing one is the last reproduced.
            called = (re.findall(r"curl -X (\w+)", item) or ["?"])[-1] if method == "Stateful" else method
            known = any(item.startswith("- " + k["check"]) and k["contains"] in item and k.get("method", called) == called for k in KNOWN)
            if not known:
                unexplained.append(f"{header.rstrip(' _')}\n{item}")
    return unexplained


@pytest.mark.schemathesis
@pytest.mark.parametrize("profile", ["apoxy", "documented"])
def test_schemathesis(profile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    st = Path(sys.executable).with_name("st")
    if not st.exists():
        pytest.skip("schemathesis is not installed (pip install -r harness/python/requirements.txt)")
    node = shutil.which("node")
    assert node is not None, "node is needed to read openapi.yaml as the profile does"
    view = subprocess.run([node, "--import", "tsx", "scripts/openapi-view.ts", profile], cwd=ROOT, capture_output=True, text=True, check=True)
    document = tmp_path / f"openapi-{profile}.json"
    document.write_text(view.stdout, encoding="utf-8")
    with start(profile=profile) as emulator:
        env = dict(os.environ, PYTHONPATH=str(CONFIG_DIR), SCHEMATHESIS_HOOKS="apoxy_schemathesis_hooks")
        command = [str(st), "--config-file", str(CONFIG_DIR / "schemathesis.toml"), "run", str(document), "--url", emulator.url,
                   "--no-color", "--seed", SEED, "--max-examples", MAX_EXAMPLES, "--workers", "1", "--generation-deterministic"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        requests = len(emulator.requests(limit=1000))
    generated = re.search(r"(\d+) generated", result.stdout)
    with capsys.disabled():
        print(f"\nschemathesis (profile {profile}): {generated.group(0) if generated else '?'} test cases; {result.stdout.strip().splitlines()[-1]}")
    unexplained = unexplained_failures(result.stdout)
    assert not unexplained, "\n".join(unexplained)[-20000:] + result.stderr[-5000:]
    # A non-zero exit with nothing reported (a crash, a bad configuration) fails too.
    assert result.returncode == 0 or "= FAILURES =" in result.stdout, result.stdout[-20000:] + result.stderr[-5000:]
    assert requests > 0
