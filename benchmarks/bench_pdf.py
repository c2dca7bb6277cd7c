"""PDF reader speed against the floor of PDFium itself.

    .venv/bin/python benchmarks/bench_pdf.py [--reps 7] [PDF_OR_DIR ...]      (default: shared/originals)

For every PDF, interleaved in each repetition (so that a busy machine slows all three alike):

* ``floor``: pypdfium2 opens the file and reads every character with its box — the page's text in
  one ``FPDFText_GetText`` call and ``FPDFText_GetCharBox`` per character, through ``pypdfium2.raw``
  with the ctypes arguments made once (the cheapest way to have both);
* ``read_pdf``: :func:`govreport.sources.pdf.read_pdf`, bytes to Document;
* ``load``: ``govreport.loads(pdf_bytes)`` — the whole load a user runs: sniffing, ``read_pdf``,
  the Document through the shared assemble step, the checks.

Prints per-PDF medians (ms) and ratios, then the totals and pages per second. No assertion: a
benchmark measures, tests check.

``--export N`` also runs ``govreport export`` over N PDFs (copies of the inputs, in a temporary
folder) with ``--jobs 1`` and ``--jobs 2``, and over N/10 of them: files/s, and each run's peak RSS
(the largest process of its tree, by GNU ``time``) to show that memory stays flat.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

import govreport
from govreport.sources.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]


def floor(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    box = raw.FPDFText_GetCharBox
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            count = tp.count_chars()
            tp.get_text_range()
            h = tp.raw
            for j in range(count):
                box(h, j, *refs)
            n += count
            tp.close()
            page.close()
    finally:
        pdf.close()
    return n


def load(data: bytes) -> object:
    return govreport.loads(data)


def export_rows(files: list[Path], n: int) -> None:
    """``govreport export`` of ``n`` PDFs (copies) with 1 and 2 jobs, and of n/10 with 2: files/s, peak RSS."""
    import os
    import shutil
    import subprocess
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="govreport-pdf-export-"))
    try:
        for size in (max(1, n // 10), n):
            folder = work / f"in{size}"
            folder.mkdir()
            for i in range(size):
                shutil.copy(files[i % len(files)], folder / f"{i:05d}.pdf")
        for size, jobs in ((max(1, n // 10), 2), (n, 1), (n, 2)):
            out = work / f"out-{size}-{jobs}.jsonl"
            rss = work / "rss"
            cmd = [sys.executable, "-m", "govreport", "export", str(work / f"in{size}"), "-o", str(out)]
            cmd += ["--jobs", str(jobs), "--quiet"]
            if os.path.exists("/usr/bin/time"):
                cmd = ["/usr/bin/time", "-o", str(rss), "-f", "%M", *cmd]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - t0
            peak = f"{int(rss.read_text().split()[-1]) / 1024:.0f} MiB" if rss.exists() else "n/a"
            print(f"export {size:5d} PDFs --jobs {jobs}: {seconds:.1f} s = {size / seconds:.1f} files/s,"
                  f" exit {proc.returncode}, peak RSS {peak}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pages_of(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--export", type=int, default=0, metavar="N", help="also export N PDFs with 1 and 2 jobs")
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT.parent / "shared" / "originals"])
    a = ap.parse_args()
    files: list[Path] = []
    for p in a.paths:
        files += sorted(p.glob("*/source.pdf")) + sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    datas = [(f, f.read_bytes()) for f in files]
    kinds = {"floor": floor, "read_pdf": read_pdf, "load": load}
    times: dict[str, list[list[float]]] = {k: [[] for _ in datas] for k in kinds}
    for fn in kinds.values():  # warm up: imports, grammar caches, bytecode
        fn(datas[0][1])
    for _ in range(a.reps):
        for i, (_, data) in enumerate(datas):
            for k, fn in kinds.items():
                t0 = time.perf_counter()
                fn(data)
                times[k][i].append(time.perf_counter() - t0)
    med = {k: [statistics.median(ts) * 1000 for ts in v] for k, v in times.items()}
    pages = [pages_of(d) for _, d in datas]
    print(f"{'pdf':<28} {'pages':>5} {'floor':>8} {'read_pdf':>9} {'load':>8} {'read/floor':>10} {'load/floor':>10}")
    for i, (f, _) in enumerate(datas):
        name = f.parent.name if f.name == "source.pdf" else f.stem
        fl, rd, ld = med["floor"][i], med["read_pdf"][i], med["load"][i]
        print(f"{name:<28} {pages[i]:>5} {fl:>8.1f} {rd:>9.1f} {ld:>8.1f} {rd / fl:>10.2f} {ld / fl:>10.2f}")
    tot = {k: sum(v) for k, v in med.items()}
    npages = sum(pages)
    rates = ", ".join(f"{k} {tot[k]:.0f} ms ({npages / tot[k] * 1000:.0f} pages/s)" for k in kinds)
    print(f"total {len(datas)} PDFs, {npages} pages: {rates}")
    ratios_r = [r / f for r, f in zip(med["read_pdf"], med["floor"], strict=False)]
    ratios_l = [r / f for r, f in zip(med["load"], med["floor"], strict=False)]
    print(
        f"read_pdf/floor: median {statistics.median(ratios_r):.2f}, max {max(ratios_r):.2f};"
        f" load/floor: median {statistics.median(ratios_l):.2f}, max {max(ratios_l):.2f}"
    )
    if a.export:
        export_rows(files, a.export)
    return 0


if __name__ == "__main__":
    sys.exit(main())
