"""Benchmark ``govreport.loads`` against the floor of merely reading the same bytes (issue #8).

Run from the repository root::

    .venv/bin/python benchmarks/bench_load.py            # full run, about a minute
    .venv/bin/python benchmarks/bench_load.py --quick    # fewer repetitions, no 10 MB case

The floor is what any reader of the file must pay: decode + NFKC normalise + split lines, measured in
the same process on the same bytes. Floor and ``loads`` are interleaved repetition by repetition and
medians are reported, because this 2-core machine is noisy and a slow spell must hit both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path

import govreport

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# One corpus case per layout, chosen by the converter chain that produces that layout.
LAYOUT_CHAINS = {
    "space": "docx>lo-pdf>pdftotext-layout",
    "tab": "html>tsv-copy",
    "markdown": "docx>pandoc>markdown-pipe",
    "word_cells": "docx>docx2python",
    "box": "html>w3m-dump",
    "flat": "html>lxml-text-content",
}

FILLER = (
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "进一步推进决策、执行、管理、服务、结果公开，不断提升政务公开工作质量和实效。"
)


def floor(data: bytes) -> list[str]:
    """The least any reader pays: decode, NFKC, split into lines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return unicodedata.normalize("NFKC", text).split("\n")


def load(data: bytes) -> object:
    return govreport.loads(data)


def cases(shared: Path) -> list[tuple[str, str, bytes]]:
    """``(name, layout it stands for, bytes)`` for every seed and one corpus case per layout."""
    out = [(p.stem[:3], "seed", p.read_bytes()) for p in sorted((shared / "seeds").glob("*.txt"))]
    metas = []
    for meta_path in sorted((shared / "corpus" / "generated").glob("s*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        metas.append((meta_path.parent, meta))
    for layout, chain in LAYOUT_CHAINS.items():
        matching = [(d, m) for d, m in metas if m["chain"] == chain]
        if not matching:
            continue
        # prefer a case the layout's own parser wins, so the row measures that parser
        chosen = matching[0]
        for d, m in matching:
            try:
                if govreport.loads((d / m["input_file"]).read_bytes()).source.parser == layout:
                    chosen = (d, m)
                    break
            except govreport.GovReportError:
                continue
        d, m = chosen
        out.append((d.name, layout, (d / m["input_file"]).read_bytes()))
    return out


def interleaved(data: bytes, reps: int, fns: list[Callable[[bytes], object]]) -> list[float]:
    """Median seconds of each function, calls alternating so noise hits all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(reps):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn(data)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def parser_of(data: bytes) -> str:
    try:
        return govreport.loads(data).source.parser
    except govreport.GovReportError as e:
        return type(e).__name__


CHILD = r"""
import json, time
t0 = time.perf_counter()
import govreport
t1 = time.perf_counter()
if {parse}:
    govreport.loads(open({path!r}, "rb").read())
t2 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t0]))
"""


def fresh_process(path: Path, runs: int) -> tuple[float, float, float]:
    """Median (import, import + first loads, whole child wall time) in seconds over fresh processes.

    The children may write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped from their environment)
    and one unmeasured child runs first: an installed package has its ``.pyc`` files (pip compiles
    them at install), and compiling every module from source would add ≈70 ms that no user pays twice.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = CHILD.format(parse=True, path=str(path))
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    imports, firsts, walls = [], [], []
    for i in range(runs):
        for parse in (False, True):
            code = CHILD.format(parse=parse, path=str(path))
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
            wall = time.perf_counter() - t0
            imp, first = json.loads(out.stdout)
            if parse:
                firsts.append(first)
                walls.append(wall)
            else:
                imports.append(imp)
        del i
    return statistics.median(imports), statistics.median(firsts), statistics.median(walls)


def padded(seed: bytes, size: int, single_line: bool) -> bytes:
    """The seed with narrative inserted before its tables until it is ``size`` bytes long."""
    text = seed.decode("utf-8")
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if "主动公开政府信息情况" in line), 1)
    need = max(0, size - len(seed))
    unit = FILLER.encode("utf-8")
    count = need // (len(unit) + (0 if single_line else 1)) + 1
    block = FILLER * count if single_line else "\n".join([FILLER] * count)
    return "\n".join([*lines[:at], block, *lines[at:]]).encode("utf-8")


def scale(seed: bytes, quick: bool) -> list[tuple[str, float, float, float, str]]:
    """``(case, MB, seconds, seconds per MB, outcome)`` for padded inputs."""
    specs = [("1 MB narrative", 1 << 20, False, 3), ("1 MB single line", 1 << 20, True, 3)]
    if not quick:
        specs.append(("10 MB narrative", 10 << 20, False, 1))
    out = []
    for name, size, single, reps in specs:
        data = padded(seed, size, single)
        secs = []
        outcome = ""
        for _ in range(reps):
            t0 = time.perf_counter()
            try:
                report = govreport.loads(data)
                outcome = f"{report.source.parser}, confidence {report.source.confidence:.2f}"
            except govreport.GovReportError as e:
                outcome = type(e).__name__
            secs.append(time.perf_counter() - t0)
        mb = len(data) / (1 << 20)
        sec = statistics.median(secs)
        out.append((name, mb, sec, sec / mb, outcome))
    return out


def peak_memory(data: bytes) -> float:
    """tracemalloc peak, in MB, of one ``loads`` of ``data``."""
    tracemalloc.start()
    with contextlib.suppress(govreport.GovReportError):
        govreport.loads(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (1 << 20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared material (seeds/, corpus/)")
    ap.add_argument("--reps", type=int, default=41, help="interleaved repetitions per case")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and no 10 MB case")
    args = ap.parse_args()
    reps = 11 if args.quick else args.reps

    all_cases = cases(args.shared)
    for _, _, data in all_cases:  # warm the grammar caches; first-parse cost is measured separately
        parser_of(data)

    print(f"govreport {govreport.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {reps} reps")
    print()
    head = f"{'case':<6} {'layout':<10} {'parser':<15} {'KB':>6} {'loads ms':>9} {'floor ms':>9} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    total = 0.0
    worst = 0.0
    for name, layout, data in all_cases:
        t_floor, t_load = interleaved(data, reps, [floor, load])
        total += t_load
        worst = max(worst, t_load / t_floor)
        print(
            f"{name:<6} {layout:<10} {parser_of(data):<15} {len(data) / 1024:>6.1f} "
            f"{t_load * 1e3:>9.2f} {t_floor * 1e3:>9.3f} {t_load / t_floor:>6.1f}"
        )
    print("-" * len(head))
    print(f"reports/s on one core (mean over these cases): {len(all_cases) / total:.0f}; worst ratio {worst:.1f}")

    seed_path = sorted((args.shared / "seeds").glob("*.txt"))[0]
    imp, first, wall = fresh_process(seed_path, 3 if args.quick else 7)
    print(
        f"fresh process: import {imp * 1e3:.0f} ms, import + first loads {first * 1e3:.0f} ms "
        f"(child wall incl. interpreter start {wall * 1e3:.0f} ms)"
    )

    seed = seed_path.read_bytes()
    print()
    print(f"{'scale (' + seed_path.stem[:3] + ' padded)':<22} {'MB':>6} {'seconds':>8} {'s/MB':>7}  outcome")
    for name, mb, sec, per_mb, outcome in scale(seed, args.quick):
        print(f"{name:<22} {mb:>6.2f} {sec:>8.2f} {per_mb:>7.2f}  {outcome}")

    largest = max(all_cases, key=lambda c: len(c[2]))
    print()
    print(
        f"peak memory: tracemalloc {peak_memory(largest[2]):.1f} MB for one loads of {largest[0]}, "
        f"{peak_memory(padded(seed, 1 << 20, False)):.1f} MB for the 1 MB narrative; "
        f"process ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
