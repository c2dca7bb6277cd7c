"""``load``, ``loads`` and ``explain``: read, decode or read the document, normalise, segment, parse, rank, assemble."""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import IO, Any

import attrs

from .assemble.table import assemble_table
from .checks.arithmetic import filled_cells, run_checks
from .diagnostics import Diagnostic, Severity, caret_context
from .errors import GovReportError, InputError, InternalError, NoParserMatched, StrictModeError
from .model import LazyRows, Report, Section, Source, Subtotal, Table, UnplacedRow, with_origin
from .registry import LayoutParser, get_parser, list_parsers
from .sources import Document, read_document, sniff
from .sources.text import decode
from .template import TemplateVersion
from .text.document import DocumentText, document_text
from .text.normalise import NormText, normalise
from .text.repeats import repeated_tables
from .text.sections import (
    Layout,
    complete_organ,
    detect_template,
    find_sections,
    find_title,
    sections_inline,
    table_regions,
    year_from_text,
)

__all__ = ["Candidate", "Explanation", "explain", "explain_text", "load", "loads", "with_origins"]

_LONG_LINE = 300  # a line this long holds more than one paragraph: the page was kept on one line

SHORTLIST = 3
"""How many parsers, by detect score, actually parse a text."""


@attrs.frozen
class Candidate:
    """One parser's attempt at a text, with everything the ranking looked at."""

    parser: str
    priority: int
    detect: float
    report: Report | None
    filled: int = 0
    cells: int = 0
    coverage: float = 0.0
    checks_passed: int = 0
    checks_failed: int = 0
    fatal: str | None = None
    seconds: float = 0.0

    @property
    def filled_share(self) -> float:
        return self.filled / self.cells if self.cells else 0.0

    def key(self) -> tuple[object, ...]:
        """Larger is better: no fatal problem, cells filled, lines covered, checks, detect, priority."""
        return (
            self.fatal is None,
            round(self.filled_share, 6),
            -self.checks_failed,
            self.checks_passed,
            round(self.coverage, 6),
            round(self.detect, 6),
            self.priority,
            [-ord(ch) for ch in self.parser],  # name ascending breaks the last tie
        )

    def summary(self) -> str:
        if self.report is None:
            return f"{self.parser:<11} detect {self.detect:.2f}  skipped: {self.fatal}"
        return (
            f"{self.parser:<11} detect {self.detect:.2f}  cells {self.filled}/{self.cells}"
            f"  checks {self.checks_passed} passed, {self.checks_failed} failed"
            f"  coverage {self.coverage:.2f}" + (f"  fatal: {self.fatal}" if self.fatal else "")
        )


@attrs.frozen
class Explanation:
    """Every candidate parser for a text, best first, and why."""

    path: str | None
    encoding: str | None
    template: str
    template_reason: str
    candidates: tuple[Candidate, ...]
    format: str = "text"
    reader: str = "text"

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def __str__(self) -> str:
        read = f"format {self.format} ({self.reader}), " if self.format != "text" else ""
        lines = [
            f"{self.path or '<text>'}: {read}encoding {self.encoding}, "
            f"template {self.template} ({self.template_reason})",
            "candidates, best first:",
        ]
        for n, c in enumerate(self.candidates, 1):
            lines.append(f"  {n}. {c.summary()}")
        return "\n".join(lines)


@attrs.frozen
class _Prepared:
    doc: NormText
    layout: Layout
    organ: str | None
    year: int | None
    title: str | None
    template: TemplateVersion
    template_reason: str
    sections: tuple[Section, ...]
    path: str | None
    sha256: str
    format: str = "text"
    reader: str = "text"


Opener = Callable[[Any, str], AbstractContextManager[IO[bytes]]]
"""``open``, or ``functools.partial(fsspec.open, **options)``: what :func:`_read` opens a file with."""


def _read(path: str | bytes | os.PathLike[str] | os.PathLike[bytes], opener: Opener = open) -> bytes:
    """A file's bytes, or an :class:`InputError` naming the file and why it cannot be read.

    The one place a report file is read: :func:`load`, :func:`explain`, the batch export's workers,
    and — through ``opener`` (``fsspec.open`` with its options) — the Dask workers' URLs. Anything
    else that goes wrong is an :class:`InternalError` naming the file: only ``GovReportError`` leaves.
    """
    name = os.fsdecode(path)  # bytes names too: a GBK name arrives as surrogate escapes, read as given
    try:
        with opener(path, "rb") as f:
            data: bytes = f.read()
        return data
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a report file", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", path=name) from None
    except ValueError as e:  # "embedded null byte"
        raise InputError(f"not a usable file name: {e}", path=name) from None
    except Exception as e:
        raise InternalError(e, path=name) from e


def _prepare(data: str | bytes | Document, path: str | None) -> _Prepared:
    document: Document | None = None
    if isinstance(data, Document):
        document = data
        doc: NormText = document_text(document)
        sha = hashlib.sha256("\n".join(doc.original_lines).encode("utf-8", "surrogatepass")).hexdigest()
    elif isinstance(data, bytes):
        sha = hashlib.sha256(data).hexdigest()
        fmt = sniff(data)
        if fmt != "text":
            document = read_document(data, fmt, path=path)
            doc = document_text(document)
        else:
            text, encoding = decode(data, path=path)
            doc = normalise(text, encoding=encoding)
    else:
        # surrogatepass: a lone surrogate (surrogateescape decoding, some crawlers) hashes like any other text
        sha = hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
        if not data.strip():
            raise InputError("the text is empty", path=path)
        doc = normalise(data, encoding=None)
    layout = find_sections(doc)
    _, title, organ, year = find_title(doc)
    body = doc.text
    organ = complete_organ(organ, body)
    if year is None:
        year = year_from_text(body[:5000])
    tables_text = _tables_text(doc, layout)
    template, reason = detect_template(tables_text, year)
    sections = tuple(
        Section(
            r.key,
            r.number,
            r.heading,
            "\n".join(doc.lines[r.start : r.end]).strip("\n"),
            doc.span(r.heading_line, 0, len(doc.lines[r.heading_line])),
        )
        for r in layout.sections
    )
    if len(sections) < 3 and max(map(len, doc.lines), default=0) > _LONG_LINE:
        sections = sections_inline(doc) or sections  # a page on one line: its headings are inline
    if document is None:
        return _Prepared(doc, layout, organ, year, title, template, reason, sections, path, sha)
    return _Prepared(
        doc, layout, organ, year, title, template, reason, sections, path, sha, document.format, document.reader
    )


def _tables_text(doc: NormText, layout: Layout) -> str:
    keys = ("proactive", "requests")
    parts = ["\n".join(doc.lines[r.start : r.end]) for r in layout.sections if r.key in keys]
    return "\n".join(parts) if parts else doc.text


def _attempt(prep: _Prepared, parser: LayoutParser, detect: float) -> Candidate:
    t0 = time.perf_counter()
    name = parser.name
    try:
        result = parser.parse(prep.doc, prep.layout)
    except Exception as e:  # a plugin's bug must not take the whole load down
        return Candidate(name, parser.priority, detect, None, fatal=f"{type(e).__name__}: {e}")
    diags: list[Diagnostic] = [d for d in result.diagnostics if isinstance(d, Diagnostic)]
    unplaced: list[UnplacedRow] = []
    subtotals: list[Subtotal] = []
    tables = {}
    filled = 0
    for table_id in ("table2", "table3", "table4"):
        rows = result.rows.get(table_id, ())
        supplied = result.tables.get(table_id) if result.tables is not None else None
        if supplied is not None and supplied.table.template is not prep.template:
            return Candidate(name, parser.priority, detect, None, fatal="parser read a different template")
        tr = supplied or assemble_table(table_id, prep.template, rows, prep.doc, parser=name)
        tables[table_id] = tr.table
        diags.extend(tr.diagnostics)
        unplaced.extend(tr.unplaced)
        subtotals.extend(tr.subtotals)
        filled += tr.filled
    outcome = run_checks(
        tables["table3"],
        tables["table4"],
        table2=tables["table2"],
        sections=prep.sections,
        subtotals=subtotals,
        year=prep.year,
    )
    diags.extend(outcome.diagnostics)
    got, total = filled_cells(tables.values())
    region_lines = max(1, result.region_lines)
    data_lines = {it.line for rows in result.rows.values() for row in rows for it in row.items}
    coverage = min(1.0, (len(data_lines) + len(result.noise)) / region_lines)
    report = Report(
        organ=prep.organ,
        year=prep.year,
        template=prep.template,
        title=prep.title,
        table2=tables["table2"],
        table3=tables["table3"],
        table4=tables["table4"],
        sections=prep.sections,
        diagnostics=tuple(diags),
        source=Source(prep.path, parser.layout, name, 0.0, prep.doc.encoding, prep.sha256, prep.format, prep.reader),
        unplaced=tuple(unplaced),
        subtotals=tuple(subtotals),
    )
    fatal = None if got else "no table cell could be read"
    return Candidate(
        name,
        parser.priority,
        detect,
        report,
        got,
        total,
        coverage,
        outcome.passed,
        outcome.failed,
        fatal,
        time.perf_counter() - t0,
    )


def _confidence(c: Candidate) -> float:
    """A report's confidence in [0, 1]: the share of cells read, discounted by failing checks."""
    if c.report is None or c.cells == 0:
        return 0.0
    checks = c.checks_passed + c.checks_failed
    arithmetic = c.checks_passed / checks if checks else 0.5
    return round(c.filled_share * (0.7 + 0.3 * arithmetic), 4)


def _candidates(prep: _Prepared, parser: str | None, *, exhaustive: bool = False) -> list[Candidate]:
    """Parse with the shortlisted parsers, best detect score first, and rank the attempts.

    Unless ``exhaustive``, the first attempt that reads every template cell with no failing check
    and no fatal problem ends the search: later attempts could at best tie it on those terms. So
    does a parser that detects with full confidence before any other has: detection goes in
    priority order, which is the shortlist's order among equal scores, so no parser detected later
    could be tried before it, and when it reads everything the others need not be detected at all.
    """
    if parser is not None:
        chosen = get_parser(parser)
        return [_attempt(prep, chosen, _safe_detect(chosen, prep))]
    parsers = list_parsers()  # priority order, then name
    detected: list[tuple[LayoutParser, float]] = []
    tried: dict[str, Candidate] = {}
    for p in parsers:
        score = _safe_detect(p, prep)
        detected.append((p, score))
        if score >= 1.0 and not exhaustive:
            first = _attempt(prep, p, score)
            if _complete(first) or _document_read_whole(prep, p, first):
                return [first]
            tried[p.name] = first
            break
    detected += [(p, _safe_detect(p, prep)) for p in parsers[len(detected) :]]
    scored = sorted(detected, key=lambda x: (-x[1], -x[0].priority, x[0].name))
    shortlist = [(p, s) for p, s in scored if s > 0][:SHORTLIST] or scored[:SHORTLIST]
    out: list[Candidate] = []
    for p, s in shortlist:
        if not exhaustive and any(_complete(c) for c in out):
            out.append(Candidate(p.name, p.priority, s, None, fatal="not tried: an earlier parser read everything"))
            continue
        out.append(tried.get(p.name) or _attempt(prep, p, s))
    # when no shortlisted parser read a single cell, detect misjudged the text (a whole page on one
    # line scores 0 everywhere): every other parser is tried too, so a readable table never goes
    # unread. It only costs anything on a text that would otherwise fail.
    rest = all(c.fatal is not None for c in out)
    out += [
        (tried.get(p.name) or _attempt(prep, p, s))
        if rest
        else Candidate(p.name, p.priority, s, None, fatal="not shortlisted by detect")
        for p, s in scored
        if (p, s) not in shortlist
    ]
    return sorted(out, key=lambda c: c.key(), reverse=True)


def _complete(c: Candidate) -> bool:
    return c.fatal is None and c.cells > 0 and c.filled == c.cells and c.checks_failed == 0


_DOCUMENT_GRID = "grid"
"""The parser of the cells a web page, Word file or PDF separates itself (``parsers/grid.py``)."""


def _document_read_whole(prep: _Prepared, parser: LayoutParser, c: Candidate) -> bool:
    """A document's own table grids, every template cell read: the search ends even if a check fails.

    In text, a failing check may be a misreading that another parser's reading of the layout avoids,
    so the others are tried. In a web page, Word file or PDF the document itself separates the cells
    and every text parser would read the same cells from its laid-out text: when the report does not
    add up, that is the report's (the 9 originals whose truth lists inconsistencies each cost two more
    attempts for the same reading before this).
    """
    return (
        parser.name == _DOCUMENT_GRID
        and isinstance(prep.doc, DocumentText)
        and c.fatal is None
        and c.cells > 0
        and c.filled == c.cells
    )


def _safe_detect(parser: LayoutParser, prep: _Prepared) -> float:
    try:
        score = float(parser.detect(prep.doc, prep.layout))
    except Exception:  # a broken detect scores 0; the parser can still be forced by name
        return 0.0
    return min(1.0, max(0.0, score)) if score == score else 0.0


def _finish(prep: _Prepared, cands: Sequence[Candidate], strict: bool) -> Report:
    best = cands[0] if cands else None
    if best is None or best.report is None or best.fatal is not None:
        raise _no_parser(prep, cands)
    report = attrs.evolve(best.report, source=attrs.evolve(best.report.source, confidence=_confidence(best)))
    if isinstance(prep.doc, DocumentText):
        report = with_origins(report, prep.doc)
    hints = (_column_blocks_hint(prep, report), repeated_tables(prep.doc, prep.layout))
    if any(hints):
        report = attrs.evolve(report, diagnostics=(*report.diagnostics, *(h for h in hints if h is not None)))
    if strict and report.errors:
        raise StrictModeError(prep.path, report.errors)
    return report


_LONE_NUMBER = re.compile(r"^ *[+-]?[\d,]+(?:\.\d+)? *$")


def _column_blocks_hint(prep: _Prepared, report: Report) -> Diagnostic | None:
    """Say why, and what to do, when the text looks like ``pdftotext`` without ``-layout``.

    That mode prints each table column (or group of columns) as a block of its own; the ``columns``
    parser recovers what the template's arithmetic pins down and flags the rest (``COLUMNS.*``), a
    row parser fails with ``PARSE.*``. One number per line is the mode's mark. LibreOffice's text export and
    docx2python print one number per line too but keep the order, so the hint only comes when the
    reading also fell short, or rests on pdftotext's usual print order (``COLUMNS.ORDER``).
    """
    if not any(
        (d.code.startswith(("PARSE.", "COLUMNS.")) and d.severity is Severity.ERROR) or d.code == "COLUMNS.ORDER"
        for d in report.diagnostics
    ):
        return None
    regions = table_regions(prep.layout, len(prep.doc.lines))
    lone = sum(1 for s, e in regions.values() for line in prep.doc.lines[s:e] if _LONE_NUMBER.match(line))
    if lone < 20:
        return None
    return Diagnostic(
        "INPUT.COLUMN_BLOCKS",
        Severity.WARNING,
        f"{lone} table lines hold a single number and some cells could not be placed for certain: this looks like text "
        "from pdftotext without -layout, which prints table columns as separate blocks. Re-extract the PDF "
        "with `pdftotext -layout` (or pdfplumber) and read that text; govreport reads it exactly.",
        f"表格中有 {lone} 行只有一个数字且部分数值无法定位：疑为未加 -layout 参数的 pdftotext 输出（按列成块输出）。"
        "请用 `pdftotext -layout`（或 pdfplumber）重新提取 PDF 文本后再读取。",
        detail=str(lone),
    )


def _no_parser(prep: _Prepared, cands: Sequence[Candidate]) -> NoParserMatched:
    where = prep.path or "<text>"
    tried = "; ".join(c.summary() for c in cands[:3]) or "no parser is registered"
    if isinstance(prep.doc, DocumentText) and not prep.doc.grid_lines:
        kinds = {"html": "web page", "mhtml": "saved web page", "docx": "Word file", "pdf": "PDF"}
        kind = kinds.get(prep.format, prep.format)
        msg = (
            f"{where}: this {kind} holds no table that govreport can read (read with {prep.reader}); the report's "
            "tables may be pictures (scanned, or pasted as images), which need OCR first. Tried: " + tried
        )
        return NoParserMatched(msg, path=prep.path, candidates=cands)
    lines = prep.doc.original_lines
    first_table = next(
        (r for r in prep.layout.sections if r.key in ("proactive", "requests", "review_litigation")), None
    )
    if first_table is None:
        msg = (
            f"{where}: no report tables found — expected the section headings "
            f"'二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、…行政复议、行政诉讼情况' "
            f"followed by their tables. Tried: {tried}"
        )
        return NoParserMatched(msg, path=prep.path, candidates=cands)
    span = prep.doc.span(first_table.heading_line, 0, 1)
    context = caret_context(lines, span)
    msg = (
        f"{where}:{span.line}: no parser could read the tables that start here "
        f"(expected rows of numbers under '{first_table.heading}'). Tried: {tried}\n{context}"
    )
    return NoParserMatched(msg, path=prep.path, candidates=cands)


def with_origins(report: Report, doc: DocumentText) -> Report:
    """``report`` with every cell, cell reference and diagnostic given its place in the document.

    A lazily assembled table's cells get theirs when they are built (:meth:`LazyRows.located`), like
    the cells themselves; an eager table's at once.
    """
    origin_of = doc.origin_of
    tables = {}
    for table in (report.table2, report.table3, report.table4):
        lazy = table.rows
        if isinstance(lazy, LazyRows):
            tables[table.id] = Table.located(table, lazy.located(origin_of))
            continue
        rows = {
            r: {c: with_origin(cell, origin_of(cell.span)) if cell.span else cell for c, cell in cols.items()}
            for r, cols in lazy.items()
        }
        tables[table.id] = Table.unchecked(table.id, table.template, rows)
    diagnostics = tuple(
        attrs.evolve(
            d,
            origin=origin_of(d.span),
            cells=tuple(attrs.evolve(c, origin=origin_of(c.span)) for c in d.cells),
        )
        for d in report.diagnostics
    )
    return attrs.evolve(
        report, table2=tables["table2"], table3=tables["table3"], table4=tables["table4"], diagnostics=diagnostics
    )


def loads(
    data: str | bytes | Document, *, parser: str | None = None, strict: bool = False, path: str | None = None
) -> Report:
    """Read a report from text, from the bytes of a file, or from a :class:`~govreport.sources.Document`.

    Args:
        data: the report's text; or the bytes of a report file — text in UTF-8, UTF-16 or GB18030/GBK,
            a web page (HTML), a Word file (DOCX) or a PDF, told apart by their content; or a
            ``Document`` built by another tool (its grids are read cell by cell).
        parser: force one registered parser by name (``"space"``, ``"tab"`` …) instead of ranking.
        strict: raise :class:`~govreport.errors.StrictModeError` when any error-level diagnostic
            (a rule that does not add up, a cell that could not be read) is present.
        path: a name for the source, used in messages and in ``report.source.path``.

    Raises:
        InputError: empty, binary or undecodable input.
        NoParserMatched: no parser could read any table.
        ParserNotFound: ``parser`` names no registered parser.
    """
    _check_input(data)
    with _only_govreport_errors(path, data):
        prep = _prepare(data, path)
        return _finish(prep, _candidates(prep, parser), strict)


def _check_input(data: object) -> None:
    if not isinstance(data, str | bytes | Document):
        raise TypeError(f"loads() takes str, bytes or a Document, not {type(data).__name__}")


@contextmanager
def _only_govreport_errors(path: str | None, data: object) -> Iterator[None]:
    """Only ``GovReportError`` leaves a public entry point: anything else is an :class:`InternalError`
    naming the input (its path, or ``<bytes>`` / ``<text>``)."""
    try:
        yield
    except GovReportError:
        raise
    except Exception as e:
        where = path if path is not None else "<bytes>" if isinstance(data, bytes) else "<text>"
        raise InternalError(e, path=where) from e


def load(
    path: str | bytes | os.PathLike[str] | os.PathLike[bytes], *, parser: str | None = None, strict: bool = False
) -> Report:
    """Read a report file: text in any layout govreport knows, a web page, a Word file or a PDF. See :func:`loads`."""
    return loads(_read(path), parser=parser, strict=strict, path=os.fsdecode(path))


def explain_text(data: str | bytes | Document, *, path: str | None = None, parser: str | None = None) -> Explanation:
    """Every candidate parser for a text (or document), ranked, with the numbers the ranking used."""
    _check_input(data)
    with _only_govreport_errors(path, data):
        prep = _prepare(data, path)
        cands = _candidates(prep, parser, exhaustive=True)
    return Explanation(
        path, prep.doc.encoding, prep.template.value, prep.template_reason, tuple(cands), prep.format, prep.reader
    )


def explain(path: str | bytes | os.PathLike[str] | os.PathLike[bytes], *, parser: str | None = None) -> Explanation:
    """:func:`explain_text` for a file."""
    return explain_text(_read(path), path=os.fsdecode(path), parser=parser)


def severity_counts(report: Report) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for d in report.diagnostics:
        out[d.severity.value] += 1
    return out
