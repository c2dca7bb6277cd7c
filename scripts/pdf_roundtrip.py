"""Generated reports printed to PDF by LibreOffice or Chromium, read back by ``govreport.load`` (long check; not in CI).

    apt-get install libreoffice-writer-nogui fonts-noto-cjk     # Debian: the converter and a CJK font
    .venv/bin/python scripts/pdf_roundtrip.py -n 60 [--seed 1] [--keep DIR]
    apt-get install chromium                                     # for the browser's print of the page
    .venv/bin/python scripts/pdf_roundtrip.py --via chromium -n 40

The shared originals' PDFs are their Word files printed by LibreOffice; users send other reports.
This draws ``-n`` reports with ``govreport.testing.report_documents`` (both templates, every quirk:
Table 3 split with or without its header repeated, a contact table, wrapped labels, thousands
separators, four-decimal amounts, full-width digits), writes each as a Word file with merged cells
(``tests/documents.py``'s ``word_file``, headings typed or numbered by Word), converts them all in one
``soffice --headless --convert-to pdf`` call, and reads every PDF. ``--via chromium`` instead
writes each as a web page (``page_html``: ruled cells, merged cells as rowspan/colspan; borders
collapsed as most sites' style sheets have them, or apart as a browser draws them by default; laid
out as a generic page or as Word's own "Save as Web Page" export) and prints
it with headless Chromium's ``--print-to-pdf``, as a user printing the government's page does.
``--via lo-docx`` and ``--via lo-html`` have LibreOffice save the Word files again as its own .docx
or as a web page (two more producers: offices that write with LibreOffice, sites that publish its
HTML export) and read those. Printed: per report the cells
wrong or missing and whether each is flagged; in all, cells exact, wrong, unflagged. Exit 1 when a
cell is wrong without a diagnostic on it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/documents.py: the Word writer and the cell comparison the tests use

from tests.documents import cell_mismatches, page_html, word_file  # noqa: E402

import govreport  # noqa: E402
from govreport.testing import report_documents  # noqa: E402


def draw(n: int, seed_value: int, via: str = "libreoffice") -> list[tuple[bytes, govreport.Report]]:
    """``n`` generated reports as Word files (or web pages, ``via="chromium"``), drawn reproducibly
    from ``seed_value``."""
    out: list[tuple[bytes, govreport.Report]] = []

    @seed(seed_value)
    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(report_documents(), st.sampled_from([None, "numPr", "style"]), st.booleans(), st.booleans())
    def collect(pair: tuple[object, govreport.Report], numbered: str | None, collapse: bool, word_export: bool) -> None:
        document, report = pair
        if via == "chromium":
            page = page_html(document, word_export=word_export)  # type: ignore[arg-type]
            if collapse:  # most sites' style sheets; a browser's default draws every cell's border apart
                page = page.replace("</title>", "</title><style>table{border-collapse:collapse}</style>", 1)
            out.append((page.encode("utf-8"), report))
        else:
            out.append((word_file(document, numbered=numbered), report))  # type: ignore[arg-type]

    collect()
    return out[:n]


OUTPUT = {"libreoffice": "pdf", "lo-docx": "docx", "lo-html": "html"}
"""The file each LibreOffice conversion writes, by ``--via``."""

# headless, as root, on a machine with no network: the flags the environment's notes give
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
]  # fmt: skip


def flagged(report: govreport.Report, table: str, row: str, column: str) -> bool:
    """Whether a diagnostic names the cell (a reader's doubt on it, or a rule it takes part in)."""
    for d in report.diagnostics:
        for ref in d.cells:
            if (ref.table, ref.row, ref.column) == (table, row, column) or (ref.table, ref.row) == (table, row):
                return True
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--via", choices=["libreoffice", "chromium", "lo-docx", "lo-html"], default="libreoffice")
    ap.add_argument("--keep", type=Path, help="keep the Word files, PDFs and expected reports (JSON) in this folder")
    args = ap.parse_args()
    if args.via == "chromium":
        converter = shutil.which("chromium") or shutil.which("chromium-browser")
        need = "Chromium: apt-get install chromium fonts-noto-cjk"
    else:
        converter = shutil.which("soffice") or shutil.which("libreoffice")
        need = "LibreOffice: apt-get install libreoffice-writer-nogui fonts-noto-cjk"
    if converter is None:
        print(f"needs {need}", file=sys.stderr)
        return 2
    cases = draw(args.n, args.seed, args.via)
    work = Path(tempfile.mkdtemp(prefix="pdf_roundtrip_")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    names = []
    suffix = ".html" if args.via == "chromium" else ".docx"
    for i, (data, expected) in enumerate(cases):
        (work / f"r{i:03d}{suffix}").write_bytes(data)
        (work / f"r{i:03d}.json").write_text(govreport.to_json(expected), encoding="utf-8")  # what it must read
        names.append(f"r{i:03d}")
    if args.via == "chromium":
        for name in names:
            subprocess.run(
                [converter, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}",
                 f"--print-to-pdf={work / f'{name}.pdf'}", (work / f"{name}.html").as_uri()],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
    else:
        # LibreOffice: print to PDF, or save again as its own Word file or web page (other producers)
        target = {"libreoffice": "pdf", "lo-docx": "docx:MS Word 2007 XML", "lo-html": "html"}[args.via]
        subprocess.run(
            [converter, "--headless", "--convert-to", target, "--outdir", str(work / "out"),
             *(str(work / f"{n}.docx") for n in names)],
            check=True, capture_output=True, timeout=60 + 10 * len(names),
        )  # fmt: skip
    total = exact = wrong_flagged = unflagged = failed = 0
    for name, (_, expected) in zip(names, cases, strict=True):
        read = work / f"{name}.pdf" if args.via == "chromium" else work / "out" / f"{name}.{OUTPUT[args.via]}"
        cells = sum(1 for t in (expected.table2, expected.table3, expected.table4) for _ in t.cells())
        total += cells
        try:
            report = govreport.load(read)
        except govreport.GovReportError as e:
            failed += 1
            print(f"{name}: FAILED {e}"[:300])
            continue
        bad = cell_mismatches(report, expected)
        quiet = [b for b in bad if not flagged(report, *b)]
        exact += cells - len(bad)
        wrong_flagged += len(bad) - len(quiet)
        unflagged += len(quiet)
        status = "exact" if not bad else f"{len(bad)} not exact ({len(quiet)} without a diagnostic)"
        print(f"{name}: template {expected.template.value}, parser {report.source.parser}: {status}")
        for b in quiet[:5]:
            print(f"    unflagged {b}")
    print(
        f"{len(cases)} reports, {failed} failed; cells {exact}/{total} exact, "
        f"{wrong_flagged} not exact but flagged, {unflagged} wrong without a diagnostic"
    )
    if args.keep is None:
        shutil.rmtree(work)
    return 1 if unflagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
