"""Soak run of ``govreport export`` (issue #20): many files of mixed good, bad and duplicate content,
through ``--jobs 2`` into every format, interrupted part-way and then run again.

For each format it checks that every file is accounted for — the output holds exactly the files
the summary says it saved (after the interrupt and after the full run), and read + skipped is the
number of files in the folder — and prints files/s and the peak RSS of the export's process tree
(the largest of the CLI and its workers, by GNU ``time`` where installed, else ``os.wait4``).
Not part of the test suite: it takes minutes.

The interrupt is the real SIGINT, sent at a chosen report by the batch's own hook
(``GOVREPORT_INTERRUPT_AT=write:K``), so the run is the same on a fast or a slow machine.

    python benchmarks/bench_soak.py [--files 20000] [--format all|jsonl|csv|sqlite|parquet] [--keep DIR] [--no-again]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_export import build  # the same distinct good reports as the export bench

BAD = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 8,
    "truncated.txt": "某区人民政府2021年政府信息公开工作年度报告\n一、总体情况\n".encode(),
    "prose.txt": ("某区政府信息公开工作年度报告\n" + "政府信息公开工作情况。" * 40).encode(),
    "latin1.txt": "caf\xe9 r\xe9sum\xe9 ".encode("latin-1") * 50,
}
"""Files that cannot be reports, each copied many times (they fail or are skipped, never stop the batch)."""

NOTES = {"README.md": b"# Notes\n\nThe reports we collected.\n", "photo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}
"""Files a folder search must skip (by content), listed as skipped."""

HEADLINE = re.compile(
    r"(?:read|interrupted after) (\d+) files .*?: (\d+) reports \((\d+) distinct, (\d+) duplicates\), (\d+) failed"
    r".*?(?:; (\d+) skipped \(not reports\))?; saved to [^:]*: (\d+) files, (\d+) distinct reports"
)


def make_folder(folder: Path, n: int, seed: int = 20) -> dict[str, int]:
    """``n`` files: about 80% distinct good reports, 10% duplicates of them, 8% bad, 2% notes; a GBK name."""
    rng = random.Random(seed)
    good_n = int(n * 0.80)
    (folder / "good").mkdir()
    build(folder / "good", good_n)
    good = sorted((folder / "good").rglob("r*"))
    dup = folder / "dup"
    dup.mkdir()
    for i in range(int(n * 0.10)):
        shutil.copy(rng.choice(good), dup / f"d{i:05d}{rng.choice(good).suffix}")
    bad = folder / "bad"
    bad.mkdir()
    names = sorted(BAD)
    for i in range(int(n * 0.08)):
        name = names[i % len(names)]
        (bad / f"b{i:05d}-{name}").write_bytes(BAD[name] + (b"" if name == "empty.txt" else str(i).encode()))
    notes = folder / "notes"
    notes.mkdir()
    for i in range(n - good_n - len(list(dup.iterdir())) - len(list(bad.iterdir())) - 1):
        name = sorted(NOTES)[i % len(NOTES)]
        (notes / f"n{i:05d}-{name}").write_bytes(NOTES[name])
    # a name that is not UTF-8, as unzipping a Chinese archive leaves it
    shutil.copy(good[0], os.fsdecode(os.fsencode(str(notes)) + b"/" + "鼓楼区报告".encode("gbk") + b".txt"))
    return {"files": sum(1 for p in folder.rglob("*") if p.is_file())}


GNU_TIME = os.path.exists("/usr/bin/time")


def run_export(folder: Path, out: Path, interrupt_at: int | None = None) -> dict[str, Any]:
    """One ``export --jobs 2``: exit code, seconds, peak RSS (MiB) of its process tree, the parsed summary.

    The peak is taken by GNU ``time`` (``%M``) where it is installed: a child's peak RSS counts the
    memory of the process that forked it (Linux keeps the high-water mark across ``exec``), so
    ``os.wait4`` from this process would add this process's own size; ``time`` is small.
    """
    env = dict(os.environ)
    if interrupt_at is not None:
        env["GOVREPORT_INTERRUPT_AT"] = f"write:{interrupt_at}"
    cmd = [sys.executable, "-m", "govreport", "export", str(folder), "-o", str(out), "--jobs", "2"]
    rss_file = out.with_name(out.name + ".rss")
    if GNU_TIME:
        cmd = ["/usr/bin/time", "-o", str(rss_file), "-f", "%M", *cmd]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    rss_kb = usage.ru_maxrss
    if GNU_TIME:
        # time's own exit code is the command's; its last line is %M (earlier lines: "Command exited…")
        rss_kb = int(rss_file.read_text().split()[-1])
        rss_file.unlink()
    m = HEADLINE.search(err)
    if m is None:
        raise SystemExit(f"no summary line (exit {proc.returncode}):\n{err[-2000:]}")
    read, ok, distinct, dups, failed, skipped, saved_files, saved_reports = (int(g or 0) for g in m.groups())
    return {
        "code": proc.returncode,
        "seconds": seconds,
        "rss": rss_kb / 1024,
        "read": read,
        "ok": ok,
        "distinct": distinct,
        "duplicates": dups,
        "failed": failed,
        "skipped": skipped,
        "saved_files": saved_files,
        "saved_reports": saved_reports,
    }


def held(out: Path) -> tuple[int, int]:
    """(files, distinct reports) the output really holds, read back from the file.

    Streamed, so that this process stays small: a child's peak RSS as ``wait4`` reports it starts
    from the size of the process that forked it.
    """
    fmt = out.suffix.lstrip(".")
    if fmt == "jsonl":
        files, hashes = 0, set()
        with out.open(encoding="utf-8") as f:
            for line in f:
                files += 1
                hashes.add(json.loads(line)["sha256"])
        return files, len(hashes)
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            next(rows, None)
            sources = {row[0] for row in rows}
        return len(sources), -1  # the long form has no hash: distinct reports not countable
    if fmt == "sqlite":
        db = sqlite3.connect(out)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return (
                db.execute("SELECT count(*) FROM files").fetchone()[0],
                db.execute("SELECT count(*) FROM reports").fetchone()[0],
            )
        finally:
            db.close()
    import pyarrow.parquet as pq

    t = pq.read_table(out, columns=["source", "sha256"])
    return len(set(t.column("source").to_pylist())), len(set(t.column("sha256").to_pylist()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--format", default="all", choices=("all", "jsonl", "csv", "sqlite", "parquet"))
    ap.add_argument("--keep", type=Path, help="build the folder here and keep it")
    ap.add_argument("--no-again", action="store_true", help="skip the third run (a re-export of the same folder)")
    args = ap.parse_args()
    runs = (("interrupted", "stop"), ("full", None)) + ((("again", None),) if not args.no_again else ())
    formats = ("jsonl", "csv", "sqlite", "parquet") if args.format == "all" else (args.format,)
    work = args.keep or Path(tempfile.mkdtemp(prefix="govreport-soak-"))
    problems: list[str] = []
    try:
        folder = work / "in"
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        total = make_folder(folder, args.files)["files"]
        print(f"setup: {total} files in {time.perf_counter() - t0:.1f} s")
        print("format   run          exit  files/s  peak RSS MiB  read  skipped  failed  saved files/reports  held")
        for fmt in formats:
            out = work / f"out.{fmt}"
            for label, when in runs:
                stop = total // 3 if when else None
                if label != "again" and fmt != "sqlite" and out.exists():
                    out.unlink()  # a stream format is rewritten; SQLite is updated in place
                if label == "again" and fmt != "sqlite":
                    out.unlink()
                r = run_export(folder, out, stop)
                files, reports = held(out)
                rate = (int(r["read"]) + int(r["skipped"])) / float(r["seconds"])
                print(
                    f"{fmt:8s} {label:12s} {r['code']:4d}  {rate:7.0f}  {r['rss']:12.0f}  {r['read']:5d}  "
                    f"{r['skipped']:7d}  {r['failed']:6d}  {r['saved_files']:>8}/{r['saved_reports']:<10}  "
                    f"{files}/{reports}"
                )
                if files != r["saved_files"] or (reports >= 0 and reports != r["saved_reports"]):
                    problems.append(f"{fmt} {label}: the file holds {files}/{reports}, the summary says "
                                    f"{r['saved_files']}/{r['saved_reports']}")  # fmt: skip
                if stop is None and int(r["read"]) + int(r["skipped"]) != total:
                    problems.append(f"{fmt} {label}: read {r['read']} + skipped {r['skipped']} != {total} files")
                if stop is None and int(r["ok"]) + int(r["failed"]) != int(r["read"]):
                    problems.append(f"{fmt} {label}: reports + failed != read")
                if (stop is None) != (r["code"] != 130):
                    problems.append(f"{fmt} {label}: exit {r['code']}")
        print("every file accounted for" if not problems else "PROBLEMS:\n  " + "\n  ".join(problems))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
