"""Benchmark the document readers against the floor of merely parsing the same bytes (issue #17).

Run from the repository root (needs lxml; python-docx, if installed, gets a comparison row)::

    .venv/bin/python benchmarks/bench_documents.py            # every original, 7 interleaved reps
    .venv/bin/python benchmarks/bench_documents.py --quick    # 12 originals, 3 reps
    .venv/bin/python benchmarks/bench_documents.py --per-file

Floors, measured on the same bytes in the same process:

- HTML: ``lxml.etree.fromstring`` of the page with an HTML parser (what any lxml reader pays), and
  for the standard-library back-end ``html.parser`` tokenising the page with no handlers;
- DOCX: unzip ``word/document.xml`` and parse it with lxml.

Readers: ``read_html`` on each back-end, ``read_docx``, and the whole ``govreport.loads`` of the
file's bytes (read, lay out, parse, assemble, check: what ``govreport.load`` costs once the file is
read, the figure issue #17's ≤ 3× target is about); for reference python-docx opening the file
and walking every table cell (``row.cells``, which is what a python-docx reader would start from),
and the text pipeline ``govreport.loads(text, parser="tab")`` on the reader's output written as tab
text, and ``govreport.loads(document)`` on the reader's own :class:`Document` — the shared core
(lay out, normalise, parse, assemble, check, finish) with no reader at all. The core row says what
a 3× load would leave the reader past its parse: when that is negative, no reader can meet the
target, however fast. Calls alternate rep
by rep and medians are reported, because this 2-core machine is shared and noisy; each call is
timed in CPU time of this process (``time.process_time``), which a neighbour's load inflates far less
than wall time (all of it is single-threaded CPU work, nothing waits on I/O).
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import govreport
from govreport.sources.document import Document, Grid, Paragraph
from govreport.sources.docx import read_docx
from govreport.sources.html import read_html

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def lxml_page(data: bytes) -> object:
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    return etree.fromstring(data, parser)


def tokenise_page(data: bytes) -> object:
    p = HTMLParser()
    p.feed(data.decode("utf-8"))
    p.close()
    return p


def lxml_docx(data: bytes) -> object:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def python_docx(data: bytes) -> object:
    import docx  # python-docx

    document = docx.Document(io.BytesIO(data))
    return [[c.text for row in t.rows for c in row.cells] for t in document.tables]


def as_tab_text(doc: Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Grid):
            lines.append("")
            lines.extend("\t".join(c.text.replace("\n", "") if c.anchor else "" for c in r) for r in block.rows)
            lines.append("")
    return "\n".join(lines)


def interleaved(data: bytes, reps: int, fns: list[Callable[[bytes], object]]) -> list[float]:
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(reps):
        for i, fn in enumerate(fns):
            gc.collect()  # no function pays for the garbage of the one before (python-docx leaves much)
            t0 = time.process_time()
            fn(data)
            times[i].append(time.process_time() - t0)
    return [statistics.median(t) for t in times]


def budget(floor: float, core: float) -> str:
    """What a 3× target leaves a reader once the shared core (everything after the reader) is paid."""
    left = 3 * floor - floor - core  # the reader must also parse: the floor is inside its cost
    return f"(a 3x load leaves {left * 1e3:+.2f} ms past the parse for the reader's own walk)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--per-file", action="store_true")
    args = ap.parse_args()
    reps = 3 if args.quick else 7
    cases = sorted(p for p in (SHARED / "originals").iterdir() if (p / "source.html").exists())
    if args.quick:
        cases = cases[:12]
    try:
        import docx  # noqa: F401

        have_python_docx = True
    except ImportError:
        have_python_docx = False

    html_rows = []
    docx_rows = []
    for case in cases:
        page = (case / "source.html").read_bytes()
        page_doc = read_html(page)
        text = as_tab_text(page_doc)
        fns: list[Callable[[bytes], object]] = [
            lxml_page,
            lambda d: read_html(d, backend="lxml"),
            tokenise_page,
            lambda d: read_html(d, backend="html.parser"),
            lambda d, text=text: govreport.loads(text, parser="tab"),
            govreport.loads,
            lambda d, doc=page_doc: govreport.loads(doc),
        ]
        html_rows.append((case.name, *interleaved(page, reps, fns)))
        word = (case / "source.docx").read_bytes()
        word_doc = read_docx(word)
        wtext = as_tab_text(word_doc)
        fns = [
            lxml_docx,
            read_docx,
            lambda d, wtext=wtext: govreport.loads(wtext, parser="tab"),
            govreport.loads,
            lambda d, doc=word_doc: govreport.loads(doc),
        ]
        if have_python_docx:
            fns.append(python_docx)
        docx_rows.append((case.name, *interleaved(word, reps, fns)))

    def med(rows: list[tuple[object, ...]], i: int) -> float:
        return statistics.median(float(r[i]) for r in rows)  # type: ignore[arg-type]

    print(f"{len(cases)} originals, {reps} interleaved reps each; medians over files, ms")
    print()
    print("HTML                          ms    × floor")
    h_floor, h_lxml, h_tok, h_std, h_text = (med(html_rows, i) for i in range(1, 6))
    print(f"  floor: lxml parse        {h_floor * 1e3:7.2f}     1.0")
    print(f"  read_html (lxml)         {h_lxml * 1e3:7.2f}  {h_lxml / h_floor:6.1f}")
    print(f"  floor: html.parser feed  {h_tok * 1e3:7.2f}  {h_tok / h_floor:6.1f}")
    own = f"({h_std / h_tok:.1f} × its own floor)"
    print(f"  read_html (html.parser)  {h_std * 1e3:7.2f}  {h_std / h_floor:6.1f}   {own}")
    print(f"  loads(tab text) after it {h_text * 1e3:7.2f}  {h_text / h_floor:6.1f}")
    h_load, h_core = med(html_rows, 6), med(html_rows, 7)
    print(f"  loads(page bytes)        {h_load * 1e3:7.2f}  {h_load / h_floor:6.1f}")
    print(f"  loads(Document) = core   {h_core * 1e3:7.2f}  {h_core / h_floor:6.1f}   {budget(h_floor, h_core)}")
    print()
    print("DOCX                          ms    × floor")
    d_floor, d_read, d_text = (med(docx_rows, i) for i in range(1, 4))
    print(f"  floor: unzip + lxml XML  {d_floor * 1e3:7.2f}     1.0")
    print(f"  read_docx (lxml)         {d_read * 1e3:7.2f}  {d_read / d_floor:6.1f}")
    if have_python_docx:
        d_py = med(docx_rows, 6)
        print(f"  python-docx, cells only  {d_py * 1e3:7.2f}  {d_py / d_floor:6.1f}")
    print(f"  loads(tab text) after it {d_text * 1e3:7.2f}  {d_text / d_floor:6.1f}")
    d_load, d_core = med(docx_rows, 4), med(docx_rows, 5)
    print(f"  loads(file bytes)        {d_load * 1e3:7.2f}  {d_load / d_floor:6.1f}")
    print(f"  loads(Document) = core   {d_core * 1e3:7.2f}  {d_core / d_floor:6.1f}   {budget(d_floor, d_core)}")
    if args.per_file:
        print()
        print("case   html floor  lxml   stdlib   loads | docx floor  read   loads")
        for h, d in zip(html_rows, docx_rows, strict=True):
            html = f"{h[1] * 1e3:9.2f} {h[2] * 1e3:6.2f} {h[4] * 1e3:7.2f} {h[6] * 1e3:7.2f}"
            print(f"{h[0]}  {html}  | {d[1] * 1e3:9.2f} {d[2] * 1e3:6.2f} {d[4] * 1e3:7.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
