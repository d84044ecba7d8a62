"""Finding the emulator CLI: $APOXY_EMULATOR_BIN, apoxy-emulator on PATH, or the repository's bin/."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

BINARY_ENV = "APOXY_EMULATOR_BIN"

INSTALL_HINT = f"""the apoxy-emulator command was not found. Either:
  - set {BINARY_ENV} to the emulator executable (for example /path/to/apoxy-emulator/bin/apoxy-emulator.js), or
  - put apoxy-emulator on PATH: in a checkout of apoxy-emulator run "npm ci && npm install --global .", or
  - run the tests from inside the apoxy-emulator repository after "npm ci" (it uses bin/apoxy-emulator.js)"""


class EmulatorNotFound(RuntimeError):
    """No emulator executable could be found; the message says how to install one."""


def command(explicit: str | None = None) -> list[str]:
    """The program and leading arguments that run the emulator CLI."""
    if explicit:
        return [_executable(explicit, "binary=")]
    env = os.environ.get(BINARY_ENV)
    if env:
        return [_executable(env, f"${BINARY_ENV}")]
    on_path = shutil.which("apoxy-emulator")
    if on_path:
        return [on_path]
    root = _repository_root()
    if root is not None:
        if not (root / "dist" / "emulator" / "cli.js").is_file():
            raise EmulatorNotFound(f'found the repository at {root} but not its build (dist/): run "npm ci" (or "npm run build") there')
        node = shutil.which("node")
        if node is None:
            raise EmulatorNotFound(f"found {root / 'bin' / 'apoxy-emulator.js'} but no node on PATH to run it (Node.js 20 or later)")
        return [node, str(root / "bin" / "apoxy-emulator.js")]
    raise EmulatorNotFound(INSTALL_HINT)


def _executable(path: str, source: str) -> str:
    resolved = shutil.which(path)
    if resolved is None:
        raise EmulatorNotFound(f"{source}{path!r} is not an executable file\n{INSTALL_HINT}")
    return resolved


def _repository_root() -> Path | None:
    """The apoxy-emulator checkout above the working directory or above this package (an editable install)."""
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for directory in (start, *start.parents):
            if _is_emulator_repository(directory):
                return directory
    return None


def _is_emulator_repository(directory: Path) -> bool:
    try:
        package = json.loads((directory / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and package.get("name") == "apoxy-emulator" and (directory / "bin" / "apoxy-emulator.js").is_file()
