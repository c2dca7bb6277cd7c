"""Benchmark ``govreport export``: files/s with --jobs 1 and --jobs 2, speed-up, peak RSS.

Setup builds a folder of N reports (default 2,000) from the seeds and the converter corpus, each
copy with its own organ name so that every file has distinct content (SQLite keys by hash).
Peak RSS comes from ``getrusage(RUSAGE_CHILDREN)``, the largest single child process so far; a
small export runs first so that a memory leak with the number of files would show as growth.

    python benchmarks/bench_export.py [--files 2000] [--format sqlite] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def sources() -> list[tuple[str, str, str]]:
    """(text, organ, suffix) for every seed and corpus input that names its organ."""
    import govreport

    out = []
    inputs = sorted((SHARED / "seeds").glob("*.txt"))
    inputs += sorted(p for d in sorted((SHARED / "corpus" / "generated").iterdir()) for p in d.glob("input.*"))
    for p in inputs:
        text = p.read_text(encoding="utf-8")
        try:
            organ = govreport.loads(text).organ
        except govreport.GovReportError:
            organ = None  # unreadable inputs stay in the mix: real folders have them too
        out.append((text, organ or "", p.suffix))
    return out


def build(folder: Path, n: int) -> None:
    base = sources()
    for i in range(n):
        text, organ, suffix = base[i % len(base)]
        k = i // len(base)
        # a distinct body per copy: the organ renamed consistently wherever it is printed
        varied = text.replace(organ, f"{organ[:2]}{k}号{organ[2:]}") if organ and k else text
        if not organ and k:
            varied = text + f"\n（副本 {k}）\n"
        sub = folder / f"batch{i // 500:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"r{i:05d}{suffix}").write_text(varied, encoding="utf-8")


def export(folder: Path, out: Path, jobs: int) -> float:
    if out.exists():
        out.unlink()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "export", str(folder), "-o", str(out), "--jobs", str(jobs), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"export failed ({proc.returncode}):\n{proc.stderr}")
    return seconds


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--format", default="sqlite", choices=("jsonl", "csv", "sqlite", "parquet"))
    ap.add_argument("--keep", type=Path, help="build the folder here and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="govreport-bench-"))
    try:
        folder = work / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        build(folder, args.files)
        print(f"setup: {args.files} files in {time.perf_counter() - t0:.1f} s")
        small = work / "small"
        small.mkdir(exist_ok=True)
        for p in sorted(folder.rglob("r*"))[: max(1, args.files // 10)]:
            shutil.copy(p, small / p.name)
        export(small, work / f"small.{args.format}", 2)
        rss_small = peak_rss_mib()
        print(f"peak RSS after {args.files // 10} files (--jobs 2): {rss_small:.0f} MiB")
        results = {}
        for jobs in (1, 2):
            s = export(folder, work / f"out.{args.format}", jobs)
            results[jobs] = s
            print(f"--jobs {jobs}: {args.files} files in {s:.1f} s = {args.files / s:.1f} files/s;"
                  f" peak RSS so far {peak_rss_mib():.0f} MiB")  # fmt: skip
        print(f"speed-up --jobs 2 over --jobs 1: {results[1] / results[2]:.2f}x")
        print(f"peak RSS growth from {args.files // 10} to {args.files} files: {peak_rss_mib() - rss_small:+.0f} MiB")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
