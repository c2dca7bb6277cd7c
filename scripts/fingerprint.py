"""Fingerprint the reader's output over every input in ../shared, to prove a refactor changed nothing.

    python scripts/fingerprint.py > before.json            # on the old tree
    python scripts/fingerprint.py --compare before.json    # on the new tree: lists what differs

Each input's fingerprint is the SHA-256 of its ``to_dict`` JSON, its ``explain`` text and every field
of every cell (or of the error message when it does not load). Only public API is used, so the same
script runs against any earlier tree (``PYTHONPATH=/path/to/old/src``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import attrs

import govreport

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def inputs(shared: Path, sources: list[str]) -> list[Path]:
    out = sorted((shared / "seeds").glob("*.txt"))
    for case in sorted(p for p in (shared / "corpus").glob("*/*") if p.is_dir()):
        out += sorted(f for f in case.iterdir() if f.name.startswith("input."))
    for ext in sources:
        out += sorted((shared / "originals").glob(f"*/source.{ext}"))
    return out


def fingerprint(path: Path) -> str:
    h = hashlib.sha256()
    try:
        report = govreport.load(path)
    except govreport.GovReportError as e:
        h.update(f"{type(e).__name__}: {e}".encode())
        return h.hexdigest()
    h.update(json.dumps(govreport.to_dict(report), ensure_ascii=False, sort_keys=True).encode())
    h.update(str(govreport.explain(path)).encode())
    for table in (report.table2, report.table3, report.table4):
        for r, c, cell in table.cells():
            h.update(f"{r}.{c}={fields(cell)}".encode())
    return h.hexdigest()


def fields(cell: object) -> str:
    """``Cell(value=…, raw=…, status=…, span=…, candidates=…)``: every field, spelt as attrs' generated
    repr spelt it before cells got a short one, so fingerprints of older trees still compare."""
    shown = ", ".join(f"{a.name}={getattr(cell, a.name)!r}" for a in attrs.fields(type(cell)) if a.repr)
    return f"{type(cell).__name__}({shown})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", type=Path, help="a fingerprint file to compare against")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--source", action="append", default=[], help="also originals/*/source.EXT (html, docx, pdf)")
    args = ap.parse_args()
    prints = {str(p.relative_to(args.shared)): fingerprint(p) for p in inputs(args.shared, args.source)}
    if args.compare is None:
        json.dump(prints, sys.stdout, indent=0, sort_keys=True)
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = sorted(k for k in before.keys() | prints.keys() if before.get(k) != prints.get(k))
    for k in differ:
        print(f"differs: {k}")
    print(f"{len(prints)} inputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
