"""Shared fixtures: where the seeds and the converter corpus are, and the Hypothesis profiles."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GOVREPORT_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "generated"
WIDE = SHARED / "corpus" / "wide"

HANG_GUARD = 900
"""Seconds a child process may take before a test calls it hung: a guard against a hang, never a
speed check — the slowest child here takes a few seconds, so a machine 100× slower still passes."""


def run_cli(
    *args: str, stdin: str | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m govreport ARGS`` in a child process: its exit code, stdout and stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "govreport", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=HANG_GUARD,
        check=False,
        env={**os.environ, **(env or {})},
    )


# under CI (CI=true) the examples are derandomized: a landing is judged on the same inputs every run,
# while a developer's runs keep drawing new ones (they found the JSONL line-separator bug)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile("nightly", max_examples=100_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def corpus_cases() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "truth.json").exists()) if CORPUS.is_dir() else []


def wide_cases() -> list[Path]:
    """``corpus/wide``: 160 more converter outputs made the same way with another seed (breadth)."""
    return sorted(p for p in WIDE.iterdir() if (p / "truth.json").exists()) if WIDE.is_dir() else []


def all_inputs() -> list[Path]:
    """Every seed file and every corpus case's input file."""
    out = seed_files()
    for case in corpus_cases():
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        out.append(case / meta.get("input_file", "input.txt"))
    return out


def load_script(name: str) -> ModuleType:
    """A module of ``scripts/`` (not a package), imported from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def input_id(path: Path) -> str:
    """``003`` for a seed, ``s012`` for a corpus case."""
    return path.parent.name if path.name.startswith("input") else path.stem[:3]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED} (set GOVREPORT_SHARED)")
    return SHARED
