"""Each stage of a job's work on one file as a share of ``loads``, timed file by file next to it.

In one process, for every file of the folder: the folder search's sniff (``not_a_report`` and the
hash), ``loads``, ``to_dict``, the sink's ``encode`` (a worker's part), the payload's pickle round
trip (what ``--jobs 2`` adds) and the sink's ``write`` (the writer's part; its close counted at the
end). Each stage is timed right next to ``loads`` on the same file, so a neighbour's load on a
shared machine weighs on both alike, where the wall-clock rates of ``bench_export.py`` swing with it.
The last figure, ``loads`` over the sum of the stages (pickling aside), is ``bench_export``'s
``jobs1/loads`` without start-up.

    python benchmarks/bench_export_stages.py [--files 2000] [--format jsonl|csv|sqlite|parquet] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_export  # the same folder of reports


def main() -> None:
    import govreport
    from govreport.export import sinks
    from govreport.export.batch import Outcome
    from govreport.sources.sniff import not_a_report

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--format", default="jsonl", choices=("jsonl", "csv", "sqlite", "parquet"))
    ap.add_argument("--keep", type=Path, help="build the folder here and keep it (reused when it exists)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="govreport-stages-"))
    try:
        folder = work / "reports"
        if not folder.is_dir():
            folder.mkdir(parents=True)
            bench_export.build(folder, args.files)
        files = [(str(p), p.read_bytes()) for p in sorted(folder.rglob("r*"))]
        for path, data in files[:50]:  # warm-up: grammars built, caches filled
            govreport.loads(data, path=path)
        out = work / f"stages.{args.format}"
        out.unlink(missing_ok=True)
        sink = sinks.open_sink(out)
        t: collections.Counter[str] = collections.Counter()
        first: dict[str, str] = {}
        clock = time.perf_counter
        for path, data in files:
            t0 = clock()
            not_a_report(data)
            sha = hashlib.sha256(data).hexdigest()
            t1 = clock()
            report = govreport.loads(data, path=path)
            t2 = clock()
            doc = govreport.to_dict(report)
            doc["path_bytes"], doc["duplicate_of"] = None, None
            t3 = clock()
            payload = sink.encode(doc)
            t4 = clock()
            outcome = Outcome(path, payload, layout=doc["layout"], template=doc["template"], sha256=sha)
            pickle.loads(pickle.dumps(outcome))
            t5 = clock()
            dup = first.setdefault(sha, path)
            sink.write(payload, sinks.FileRef(path, None, sha, None if dup == path else dup))
            t6 = clock()
            for stage, s in zip(("sniff", "loads", "to_dict", "encode", "pickle", "write"),
                                (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True):  # fmt: skip
                t[stage] += s
        t0 = clock()
        sink.close()
        t["write"] += clock() - t0
        base = t["loads"]
        work_s = sum(s for stage, s in t.items() if stage != "pickle")
        shares = "  ".join(f"{stage} {s / base:.3f}" for stage, s in t.items())
        print(f"{args.format}: {len(files)} files, loads {base:.1f} s; share of loads: {shares}")
        print(f"loads / a job's work (no start-up, no pickling): {base / work_s:.3f}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
