"""Benchmark ``govreport export``: files/s with --jobs 1 and --jobs 2, speed-up, peak RSS, per format;
the export's rate against ``loads`` alone on the same files; and the Dask engine beside the local one.

Setup builds a folder of N reports (default 2,000) from the seeds and the converter corpus, each
copy with its own organ name so that every file has distinct content (SQLite keys by hash).
Peak RSS comes from ``getrusage(RUSAGE_CHILDREN)``, the largest single child process so far; a
small export runs first so that a memory leak with the number of files would show as growth.

The ``loads`` rate is one process reading the same files (bytes in memory, ``loads`` + nothing else):
the ratio ``export --jobs 1`` / ``loads`` is the share of a job's time that is parsing (target >= 0.70).
The Dask row runs ``govreport.dask.to_parquet`` on a LocalCluster of 2 process workers (cluster start
not counted), and times the same number of empty tasks for the scheduler's own cost per file.

    python benchmarks/bench_export.py [--files 2000] [--format all|jsonl|csv|sqlite|parquet] [--no-dask] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
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


_PEAK_KIB = [0]
"""The peak RSS of the last export (KiB), as GNU ``time`` measured it (0: not measured)."""


def export(folder: Path, out: Path, jobs: int) -> float:
    if out.exists():
        out.unlink()
    cmd = [sys.executable, "-m", "govreport", "export", str(folder), "-o", str(out), "--jobs", str(jobs), "--quiet"]
    rss_file = out.with_name(out.name + ".rss")
    if os.path.exists("/usr/bin/time"):
        # Linux keeps a forked child's high-water mark across exec, so this process's own size (it ran
        # loads over every file) would count in RUSAGE_CHILDREN; GNU time forks from a small process
        cmd = ["/usr/bin/time", "-o", str(rss_file), "-f", "%M", *cmd]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if rss_file.exists():
        _PEAK_KIB[0] = int(rss_file.read_text().split()[-1])
        rss_file.unlink()
    if proc.returncode not in (0, 1, 2):
        raise SystemExit(f"export failed ({proc.returncode}):\n{proc.stderr}")
    return seconds


def loads_rate(folder: Path) -> float:
    """Reports/s of ``govreport.loads`` alone in this process, over the folder's files read into memory."""
    import govreport

    files = [(str(p), p.read_bytes()) for p in sorted(folder.rglob("r*"))]
    for path, data in files[:50]:  # warm-up: grammars built, caches filled
        with contextlib.suppress(govreport.GovReportError):
            govreport.loads(data, path=path)
    t0 = time.perf_counter()
    for path, data in files:
        with contextlib.suppress(govreport.GovReportError):
            govreport.loads(data, path=path)
    return len(files) / (time.perf_counter() - t0)


def _noop(chunk):
    return len(chunk)


def dask_row(folder: Path, out: Path, n: int) -> None:
    try:
        from distributed import Client, as_completed

        from govreport import dask as gdask
        from govreport.export import batch
    except ImportError:
        print("dask: not installed (pip install 'govreport[dask]'): no Dask row")
        return
    import logging

    logging.getLogger("distributed").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    cluster = gdask.local_cluster(2)
    client = Client(cluster)
    print(f"dask LocalCluster (2 process workers) up in {time.perf_counter() - t0:.1f} s")
    try:
        paths = batch.collect_paths([str(folder)])
        gdask.to_parquet(paths[:100], str(out / "warm"), client=client)  # imports and grammars on the workers
        t0 = time.perf_counter()
        summary = gdask.to_parquet(paths, str(out / "dask"), client=client)
        s = time.perf_counter() - t0
        blocksize = max(1, min(gdask.DEFAULT_BLOCKSIZE, len(paths) // (2 * 4) or 1))
        chunks = [paths[i : i + blocksize] for i in range(0, len(paths), blocksize)]
        t0 = time.perf_counter()
        for fut in as_completed([client.submit(_noop, c, pure=False) for c in chunks]):
            fut.result()
        empty = time.perf_counter() - t0
        print(f"dask to_parquet: {summary.total} files in {s:.1f} s = {n / s:.1f} files/s"
              f" ({len(chunks)} tasks of {blocksize} files)")  # fmt: skip
        print(f"dask scheduler overhead: {len(chunks)} empty tasks in {empty:.2f} s ="
              f" {1e6 * empty / n:.0f} us per file, {1e3 * empty / len(chunks):.1f} ms per task")  # fmt: skip
    finally:
        client.close()
        cluster.close()


def peak_rss_mib() -> float:
    """The last export's peak RSS (GNU time), else the largest child's so far (KiB on Linux)."""
    if _PEAK_KIB[0]:
        return _PEAK_KIB[0] / 1024
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--format", default="all", choices=("all", "jsonl", "csv", "sqlite", "parquet"))
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask row")
    ap.add_argument("--keep", type=Path, help="build the folder here and keep it")
    args = ap.parse_args()
    formats = ("jsonl", "sqlite", "parquet") if args.format == "all" else (args.format,)
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
        export(small, work / f"small.{formats[0]}", 2)
        rss_small = peak_rss_mib()
        print(f"peak RSS after {args.files // 10} files (--jobs 2): {rss_small:.0f} MiB")
        rate = loads_rate(folder)
        print(f"loads alone (one process, bytes in memory): {rate:.1f} reports/s")
        one = work / "one"
        one.mkdir(exist_ok=True)
        shutil.copy(sorted(folder.rglob("r*"))[0], one)
        # a job's fixed cost: interpreter start, imports, grammars built cold, the sink opened and closed
        startup = {fmt: min(export(one, work / f"one.{fmt}", 1) for _ in range(3)) for fmt in formats}
        print("start-up (export of one file, best of 3): " + ", ".join(f"{f} {s:.2f} s" for f, s in startup.items()))
        table = []
        rss: dict[tuple[str, int], float] = {}
        for fmt in formats:
            results = {}
            for jobs in (1, 2):
                s = export(folder, work / f"out.{fmt}", jobs)
                results[jobs] = s
                print(f"{fmt:8s} --jobs {jobs}: {args.files} files in {s:.1f} s = {args.files / s:.1f} files/s;"
                      f" peak RSS {peak_rss_mib():.0f} MiB")  # fmt: skip
                rss[fmt, jobs] = peak_rss_mib()
            steady = args.files / max(1e-9, results[1] - startup[fmt])
            table.append((fmt, args.files / results[1], args.files / results[2], results[1] / results[2], steady))
        growth = rss[formats[0], 2] - rss_small
        print(
            f"peak RSS growth from {args.files // 10} to {args.files} files ({formats[0]}, --jobs 2): {growth:+.0f} MiB"
        )
        print(f"format    jobs1 f/s  jobs1/loads  less start-up  jobs2 f/s  speed-up   (loads {rate:.1f}/s;"
              " targets >= 0.70, >= 1.80x)")  # fmt: skip
        for fmt, r1, r2, up, steady in table:
            print(f"{fmt:8s}  {r1:9.1f}  {r1 / rate:11.2f}  {steady / rate:13.2f}  {r2:9.1f}  {up:7.2f}x")
        if not args.no_dask:
            dask_row(folder, work, args.files)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
