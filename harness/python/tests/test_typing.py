"""The package is typed (py.typed): mypy --strict finds nothing in it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def test_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy is in requirements.txt; install it to check the types")
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "src/apoxy_emulator"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
