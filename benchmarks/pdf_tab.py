"""Check the PDF reader end to end before the pipeline reads Documents itself.

A Document is rendered as tab-separated text (each Paragraph a line; each grid row a line of its
anchor cells' texts joined by TAB, a covered position an empty field, as a spreadsheet copy gives
it), read with ``govreport.loads(text, parser="tab")`` and compared cell by cell with truth.json,
the way ``shared/tools/eval.py`` compares. ``--docx`` also compares each grid with the same
report's source.docx tables (python-docx repeats a merged cell over its positions).

usage: python benchmarks/pdf_tab.py [--docx] [--show N] [--write DIR] CASE_DIR_OR_PDF...
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import govreport
from govreport.export.convert import to_dict
from govreport.sources.document import Document, Grid, Paragraph
from govreport.sources.pdf import read_pdf

COLS = ["natural_person", "commercial", "research", "social_org", "legal_service", "other", "total"]


def render_tab(doc: Document) -> str:
    lines = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            lines.append(b.text)
        elif isinstance(b, Grid):
            for row in b.rows:
                lines.append("\t".join(c.text.replace("\t", " ") if c.anchor else "" for c in row))
    return "\n".join(lines) + "\n"


def dec(v):
    if v is None:
        return None
    try:
        return Decimal(str(v).replace(",", ""))
    except InvalidOperation:
        return None


def truth_cells(t):
    out = {}
    for item, cols in (t.get("table2") or {}).items():
        for col, v in cols.items():
            out[("table2", item, col)] = dec(v)
    cols = t.get("columns", COLS)
    for row, vals in (t.get("table3") or {}).items():
        for col, v in zip(cols, vals, strict=False):
            out[("table3", row, col)] = dec(v)
    for grp, cols4 in (t.get("table4") or {}).items():
        for col, v in cols4.items():
            out[("table4", grp, col)] = dec(v)
    return {k: v for k, v in out.items() if v is not None}


def got_cell(doc, table, row, col):
    r = (doc.get(table) or {}).get(row)
    if isinstance(r, dict):
        v = r.get(col)
        if isinstance(v, dict):
            v = v.get("value")
        return dec(v)
    return None


def score(text: str, truth: dict) -> tuple[int, int, list[str]]:
    try:
        rep = to_dict(govreport.loads(text, parser="tab"))
    except govreport.GovReportError as e:
        cells = truth_cells(truth)
        return 0, len(cells), [f"error: {e}"]
    cells = truth_cells(truth)
    ok, bad = 0, []
    for (table, row, col), v in cells.items():
        g = got_cell(rep, table, row, col)
        if g == v:
            ok += 1
        else:
            bad.append(f"{table}.{row}.{col}: got {g} truth {v}")
    return ok, len(cells), bad


def docx_grids(path: Path) -> list[list[list[str]]]:
    import docx  # python-docx: only this check needs it

    d = docx.Document(str(path))
    return [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]


def _norm(s: str) -> str:
    return "".join(s.split())


def compare_docx(doc: Document, path: Path) -> list[str]:
    """Differences between the PDF's grids and the DOCX tables (white space ignored)."""
    want = docx_grids(path)
    got = [[[c.text for c in row] for row in g.rows] for g in doc.grids()]
    out = []
    if len(want) != len(got):
        out.append(f"{len(got)} grids, docx has {len(want)}")
    for n, (w, g) in enumerate(zip(want, got, strict=False), 1):
        if len(w) != len(g):
            out.append(f"table {n}: {len(g)} rows, docx {len(w)}")
        for r, (wr, gr) in enumerate(zip(w, g, strict=False), 1):
            if [_norm(x) for x in wr] != [_norm(x) for x in gr]:
                out.append(f"table {n} row {r}: {gr} != docx {wr}")
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docx", action="store_true")
    ap.add_argument("--show", type=int, default=3)
    ap.add_argument("--write", type=Path, default=None, help="write each rendering as DIR/<case>.txt")
    ap.add_argument("paths", nargs="+", type=Path)
    a = ap.parse_args()
    pdfs = []
    for p in a.paths:
        pdfs += [p] if p.suffix == ".pdf" else sorted(p.glob("*/source.pdf")) or [p / "source.pdf"]
    tot = good = exact = 0
    docx_bad = 0
    for pdf in pdfs:
        case = pdf.parent.name
        doc = read_pdf(pdf.read_bytes(), path=str(pdf))
        text = render_tab(doc)
        if a.write:
            a.write.mkdir(parents=True, exist_ok=True)
            (a.write / f"{case}.txt").write_text(text)
        truth_path = pdf.parent / "truth.json"
        if truth_path.exists():
            ok, n, bad = score(text, json.loads(truth_path.read_text()))
            tot += n
            good += ok
            exact += not bad
            if bad:
                print(f"{case}: {ok}/{n}", *bad[: a.show], sep="\n  ")
        docx_path = pdf.parent / "source.docx"
        if a.docx and docx_path.exists():
            diffs = compare_docx(doc, docx_path)
            docx_bad += bool(diffs)
            if diffs:
                print(f"{case} docx:", *diffs[: a.show], sep="\n  ")
    print(
        f"cases {len(pdfs)}, exact {exact}; cells {good}/{tot}"
        + (f"; docx grids differ in {docx_bad}" if a.docx else "")
    )
    return 0 if good == tot else 1


if __name__ == "__main__":
    sys.exit(main())
