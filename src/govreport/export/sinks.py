"""Where ``govreport export`` writes: JSON Lines, CSV, SQLite and Parquet.

Every sink works from the export-contract dict (:func:`govreport.to_dict`), never from a live
:class:`~govreport.Report`, so a worker process can do the costly part (``encode``) and the parent
only appends bytes or rows. Each sink writes a report whole or not at all, and is closed normally
after an interrupt too (the batch only interrupts between reports), so :attr:`Sink.saved` is what
the file holds.

Every file is kept, duplicates included: JSONL and Parquet hold one entry per file with its
``sha256`` and ``duplicate_of`` (the first file of the run with the same bytes); SQLite holds one
``reports`` row per content and one ``files`` row per path. A name that is not UTF-8 is stored as
:func:`display_path` (bad bytes as ``\\xNN``) with the raw bytes beside it (:func:`path_bytes`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs

from ..errors import OutputError
from .convert import TIDY_COLUMNS

__all__ = [
    "FORMATS",
    "LONG_COLUMNS",
    "PARQUET_COLUMNS",
    "REPORT_COLUMNS",
    "CsvSink",
    "FileRef",
    "JsonlSink",
    "ParquetSink",
    "Saved",
    "Sink",
    "SqliteSink",
    "check_output",
    "display_path",
    "format_for",
    "long_records",
    "missing_extra",
    "open_sink",
    "path_bytes",
    "report_record",
]

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".sqlite": "sqlite", ".db": "sqlite", ".parquet": "parquet"}
"""Output file extension -> sink format."""

LONG_COLUMNS = (*TIDY_COLUMNS, "money")
"""Typed long form (Parquet, pandas): ``value`` holds counts as integers, ``money`` exact amounts.

One column cannot be both an integer and an exact decimal, so money cells (万元, four decimals) move
to ``money`` and leave ``value`` null; CSV keeps the plain :data:`~govreport.TIDY_COLUMNS` text.
"""


def missing_extra(package: str, extra: str) -> str:
    """The message shown when an optional dependency is not installed."""
    return f"{package} is not installed; install it with: pip install 'govreport[{extra}]'"


def format_for(path: str | Path) -> str | None:
    """The sink format for an output path, by extension (``None`` when unknown)."""
    return FORMATS.get(Path(path).suffix.lower())


def tidy_from_doc(doc: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The :data:`TIDY_COLUMNS` rows of an export dict, equal to :func:`govreport.tidy_rows`."""
    base = (doc["path"], doc["organ"], doc["year"], doc["template"])
    for c in doc["cells"]:
        yield (*base, c["table"], c["row"], c["column"], c["value"], c["raw"], c["status"])
    for sub in doc.get("subtotals", ()):
        for c in sub["cells"]:
            yield (*base, "table3", sub["row"], c["column"], c["value"], c["raw"], c["status"])


def long_records(doc: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The :data:`LONG_COLUMNS` rows of an export dict (money as :class:`~decimal.Decimal`)."""
    for row in tidy_from_doc(doc):
        v = row[7]
        # the contract writes money, and only money, as a decimal string
        if isinstance(v, str):
            yield (*row[:7], None, *row[8:], Decimal(v))
        else:
            yield (*row, None)


REPORT_COLUMNS = (
    "sha256", "organ", "year", "template", "title", "path", "layout", "parser", "confidence", "encoding",
    "errors", "warnings", "infos",
)  # fmt: skip
"""One row per report: the SQLite ``reports`` table (less its id and time stamp) and the Dask engine's."""


def report_record(doc: Mapping[str, Any]) -> tuple[Any, ...]:
    """The :data:`REPORT_COLUMNS` row of an export dict (diagnostics counted by severity)."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for diag in doc["diagnostics"]:
        counts[diag["severity"]] = counts.get(diag["severity"], 0) + 1
    return (
        *(doc[k] for k in REPORT_COLUMNS[:10]),
        counts["error"],
        counts["warning"],
        counts["info"],
    )


def path_bytes(path: str) -> bytes | None:
    """The raw bytes of a name that is not valid UTF-8 (``os.fsencode``), else ``None``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return None
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate that is no surrogateescape escape
        return path.encode("utf-8", "surrogatepass")


def display_path(path: str) -> str:
    """``path`` as valid UTF-8 text: bytes that are not UTF-8 shown as ``\\xNN`` (unchanged when it is UTF-8)."""
    raw = path_bytes(path)
    return path if raw is None else raw.decode("utf-8", "backslashreplace")


@attrs.frozen
class FileRef:
    """Which file a payload came from, as the sinks store it."""

    path: str
    """:func:`display_path` of the name."""
    path_bytes: bytes | None = None
    """The raw name when it is not UTF-8."""
    sha256: str | None = None
    duplicate_of: str | None = None
    """The first file of this run with the same bytes (``None`` for the first)."""


@attrs.define
class Saved:
    """What a sink has made durable: files, distinct reports, failures, and rows where it counts them."""

    files: int = 0
    reports: int = 0
    failures: int = 0
    rows: int | None = None

    def describe(self) -> str:
        parts = [f"{self.files} files", f"{self.reports} distinct reports"]
        if self.failures:
            parts.append(f"{self.failures} failures")
        if self.rows is not None:
            parts.append(f"{self.rows} rows")
        return ", ".join(parts)


def _no_checkpoint(stage: str) -> None:
    """The default :attr:`Sink.checkpoint`: nothing."""


class Sink:
    """Base class: ``encode`` runs in a worker process, ``write`` in the parent, in input order."""

    format = ""
    BATCH = 100
    """Reports per commit (SQLite) or flush (JSONL, CSV)."""

    checkpoint: Callable[[str], None] = staticmethod(_no_checkpoint)
    """Called with ``"commit"``, ``"index"``, ``"close"`` just before each (the batch's interrupt hook)."""

    def __init__(self) -> None:
        self.saved = Saved()
        self._pending = Saved()
        self._seen: set[str] = set()

    @staticmethod
    def encode(doc: dict[str, Any]) -> Any:
        return doc

    def write(self, payload: Any, ref: FileRef) -> None:
        raise NotImplementedError

    def warm(self) -> None:
        """Any slow set-up ``write`` would do on first use, done now: called once the worker processes
        have started, so that it overlaps their first files (a no-op by default)."""

    def failure(self, ref: FileRef, kind: str, reason: str) -> None:
        """Record a file that could not be read (only SQLite keeps them; the summary lists all)."""

    _closed = False

    def close(self) -> None:
        """Flush and finish, once (also after an interruption: what was written is whole).

        :meth:`_finish` makes the rest durable; :meth:`_release` lets go of the file even when
        finishing fails, so a sink never leaves a handle open.
        """
        if self._closed:
            return
        self._closed = True
        try:
            self._finish()
        finally:
            self._release()

    def _finish(self) -> None:
        """Make what is pending durable (flush, commit, build the index) and say so in :attr:`saved`."""

    def _release(self) -> None:
        """Close the file or connection."""

    def abort(self) -> None:
        """The same as :meth:`close`: every report handed to a sink is whole, so all of it is kept."""
        self.close()

    def _count(self, ref: FileRef) -> None:
        self._pending.files += 1
        if ref.sha256 is None or ref.sha256 not in self._seen:
            self._pending.reports += 1
            if ref.sha256 is not None:
                self._seen.add(ref.sha256)

    def _made_durable(self) -> None:
        self.saved.files += self._pending.files
        self.saved.reports += self._pending.reports
        self.saved.failures += self._pending.failures
        if self._pending.rows is not None:
            self.saved.rows = (self.saved.rows or 0) + self._pending.rows
        self._pending = Saved(rows=0 if self._pending.rows is not None else None)


_LINE_BREAKS_JSON_KEEPS = ("\x85", "\u2028", "\u2029")
"""Characters ``str.splitlines`` breaks at that ``json.dumps`` does not escape (it escapes the rest)."""


def _json(value: Any) -> str:
    """``value`` as JSON on one line whatever line splitter reads it.

    JSON leaves U+0085, U+2028 and U+2029 raw, and ``str.splitlines`` (and many JSONL readers) break
    a line there: a file name or a report's text holding one would tear its line in two.
    """
    text = json.dumps(value, ensure_ascii=False)
    for ch in _LINE_BREAKS_JSON_KEEPS:
        if ch in text:
            text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


_DUP_TAIL = '"duplicate_of": null}\n'


class _TextSink(Sink):
    """JSONL and CSV: text appended one report at a time, flushed every :attr:`BATCH` reports."""

    def __init__(self, path: Path, encoding: str = "utf-8") -> None:
        super().__init__()
        # backslashreplace: a stray surrogate becomes a \\uXXXX escape (valid JSON) instead of an error
        self._f: IO[str] = path.open("w", encoding=encoding, errors="backslashreplace", newline="")
        self._n = 0

    def _append(self, text: str, ref: FileRef) -> None:
        # one write per report: an interrupt falls between reports, never inside one
        self._f.write(text)
        self._count(ref)
        self._n += 1
        if self._n % self.BATCH == 0:
            self.checkpoint("commit")
            self._f.flush()
            self._made_durable()

    def _finish(self) -> None:
        self.checkpoint("close")
        self._f.close()
        self._made_durable()

    def _release(self) -> None:
        self._f.close()


class JsonlSink(_TextSink):
    """One line per file: the export contract plus ``path_bytes`` and ``duplicate_of``."""

    format = "jsonl"

    @staticmethod
    def encode(doc: dict[str, Any]) -> str:
        return _json(doc) + "\n"

    def write(self, payload: str, ref: FileRef) -> None:
        if ref.duplicate_of is not None and payload.endswith(_DUP_TAIL):
            # the worker encoded ``duplicate_of: null`` last; only the parent knows the first file
            link = _json(ref.duplicate_of)
            payload = f'{payload[: -len(_DUP_TAIL)]}"duplicate_of": {link}}}\n'
        self._append(payload, ref)


class CsvSink(_TextSink):
    """The long form of :data:`~govreport.TIDY_COLUMNS`, every file's cells (duplicates too)."""

    format = "csv"

    def __init__(self, path: Path, *, bom: bool = False) -> None:
        # Excel only detects UTF-8 with the BOM; everything else is better off without it
        super().__init__(path, "utf-8-sig" if bom else "utf-8")
        csv.writer(self._f, lineterminator="\r\n").writerow(TIDY_COLUMNS)

    @staticmethod
    def encode(doc: dict[str, Any]) -> str:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(tidy_from_doc(doc))
        return buf.getvalue()

    def write(self, payload: str, ref: FileRef) -> None:
        self._append(payload, ref)


_CELLS_INDEX = "CREATE INDEX IF NOT EXISTS cells_by_cell ON cells(table_id, row_id, column_id)"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    organ TEXT, year INTEGER, template TEXT, title TEXT, path TEXT,
    layout TEXT, parser TEXT, confidence REAL, encoding TEXT,
    errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL,
    exported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cells (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    table_id TEXT NOT NULL, row_id TEXT NOT NULL, column_id TEXT NOT NULL,
    value, raw TEXT, status TEXT NOT NULL,
    PRIMARY KEY (report_id, table_id, row_id, column_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sections (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, key TEXT, number TEXT, heading TEXT, text TEXT, line INTEGER,
    PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS diagnostics (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT, message_zh TEXT,
    table_id TEXT, row_id TEXT, column_id TEXT, line INTEGER,
    expected, actual, difference, detail TEXT, parser TEXT,
    PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS failures (
    path TEXT PRIMARY KEY, kind TEXT NOT NULL, reason TEXT NOT NULL, exported_at TEXT NOT NULL,
    path_bytes BLOB
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, path_bytes BLOB, sha256 TEXT NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    duplicate_of TEXT, exported_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_report ON files(report_id);
CREATE INDEX IF NOT EXISTS reports_year_organ ON reports(year, organ);
CREATE INDEX IF NOT EXISTS reports_path ON reports(path);
{_CELLS_INDEX};
CREATE INDEX IF NOT EXISTS diagnostics_code ON diagnostics(code);
CREATE VIEW IF NOT EXISTS report_cells AS
    SELECT r.id AS report_id, r.organ, r.year, r.template, r.path,
           c.table_id, c.row_id, c.column_id, c.value, c.raw, c.status
    FROM cells c JOIN reports r ON r.id = c.report_id;
"""


_SQLITE_MAGIC = b"SQLite format 3\x00"


SqliteRows = tuple[str, tuple[Any, ...], list[Any], list[tuple[Any, ...]], list[tuple[Any, ...]]]
""":meth:`SqliteSink.encode`'s payload: sha256, the ``reports`` row, the ``cells`` rows without their
``report_id`` (known only to the writer) one after the other in one flat list (:data:`_CELL_FIELDS`
values each), and the ``sections`` and ``diagnostics`` rows without their ``report_id``."""

_CELL_FIELDS = 6
"""Values of a ``cells`` row after its ``report_id``: table, row, column, value, raw, status."""

_CELL_ROWS = 128
"""``cells`` rows per INSERT statement (:func:`_cells_insert`)."""


@functools.lru_cache(maxsize=_CELL_ROWS)
def _cells_insert(n: int) -> str:
    """``INSERT INTO cells VALUES`` for ``n`` rows, all with the report id ``?1``, then each row's values.

    One statement of many rows binds the same values as ``executemany`` of one row each at half the
    cost a row (SQLite steps once, the module binds a flat list): the writer inserts a few hundred
    cells a report, and is the one process every report passes through. Numbered parameters stay
    far below SQLite's limit (32,766) at :data:`_CELL_ROWS` rows.
    """
    k = _CELL_FIELDS
    rows = ("(?1," + ",".join(f"?{2 + k * i + j}" for j in range(k)) + ")" for i in range(n))
    return "INSERT INTO cells VALUES " + ",".join(rows)


class SqliteSink(Sink):
    """One ``reports`` row per content (upserted by hash), one ``files`` row per path: re-runs never duplicate."""

    format = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._db = sqlite3.connect(path, isolation_level="DEFERRED")
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            _check_foreign(self._db, path)
            self._db.executescript(_SCHEMA)
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(failures)")}
            if "path_bytes" not in columns:  # a file from before names were kept as bytes
                self._db.execute("ALTER TABLE failures ADD COLUMN path_bytes BLOB")
            # A fresh export builds the cell index once at the end: kept up per insert it costs the
            # single writer a third of its time. A run that dies before close leaves the index
            # missing; the next open re-creates it (the schema says IF NOT EXISTS).
            self._defer_index = self._db.execute("SELECT 1 FROM cells LIMIT 1").fetchone() is None
            if self._defer_index:
                self._db.execute("DROP INDEX IF EXISTS cells_by_cell")
            self._db.commit()
        except BaseException:
            self._db.close()
            raise
        self._ids: dict[str, int] = {}  # sha256 -> reports.id written in this run
        self._n = 0
        self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S")

    @staticmethod
    def encode(doc: dict[str, Any]) -> SqliteRows:
        """The rows of every table for one report, built in the worker: the parent (the one writer)
        only inserts them, and a few hundred tuples cross the process boundary instead of the whole
        export dict (its ``cells`` alone are a few hundred dicts)."""
        return (
            doc["sha256"],
            report_record(doc),
            # the same rows as the CSV/Parquet long form, subtotal rows (table3 subtotal.<block>) included
            [v for row in tidy_from_doc(doc) for v in row[4:]],
            [
                (n, s["key"], s["number"], s["heading"], s["text"], _line(s.get("span")))
                for n, s in enumerate(doc["sections"])
            ],
            [
                (
                    n,
                    g["code"],
                    g["severity"],
                    g["message"],
                    g.get("message_zh"),
                    g.get("table"),
                    g.get("row"),
                    g.get("column"),
                    _line(g.get("span")),
                    g.get("expected"),
                    g.get("actual"),
                    g.get("difference"),
                    g.get("detail"),
                    g.get("parser"),
                )
                for n, g in enumerate(doc["diagnostics"])
            ],
        )

    def write(self, payload: SqliteRows, ref: FileRef) -> None:
        sha256 = payload[0]
        db = self._db
        report_id = self._ids.get(sha256)
        if report_id is None:
            report_id = self._write_report(payload)
            self._ids[sha256] = report_id
        db.execute(
            "INSERT INTO files VALUES (?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET path_bytes=excluded.path_bytes,"
            " sha256=excluded.sha256, report_id=excluded.report_id, duplicate_of=excluded.duplicate_of,"
            " exported_at=excluded.exported_at",
            (ref.path, ref.path_bytes, sha256, report_id, ref.duplicate_of, self._stamp),
        )
        db.execute("DELETE FROM failures WHERE path = ?", (ref.path,))
        self._count(attrs.evolve(ref, sha256=sha256))
        self._tick()

    def _write_report(self, payload: SqliteRows) -> int:
        _, record, cells, sections, diagnostics = payload
        db = self._db
        row = (*record, self._stamp)
        (report_id,) = db.execute(
            "INSERT INTO reports (sha256, organ, year, template, title, path, layout, parser, confidence,"
            " encoding, errors, warnings, infos, exported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(sha256) DO UPDATE SET organ=excluded.organ, year=excluded.year,"
            " template=excluded.template, title=excluded.title, path=excluded.path, layout=excluded.layout,"
            " parser=excluded.parser, confidence=excluded.confidence, encoding=excluded.encoding,"
            " errors=excluded.errors, warnings=excluded.warnings, infos=excluded.infos,"
            " exported_at=excluded.exported_at RETURNING id",
            row,
        ).fetchone()
        for table in ("cells", "sections", "diagnostics"):
            db.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        step = _CELL_FIELDS * _CELL_ROWS
        for i in range(0, len(cells), step):
            chunk = cells[i : i + step]
            db.execute(_cells_insert(len(chunk) // _CELL_FIELDS), [report_id, *chunk])
        db.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?,?)", ((report_id, *r) for r in sections))
        db.executemany(
            "INSERT INTO diagnostics VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ((report_id, *r) for r in diagnostics)
        )
        return int(report_id)

    def failure(self, ref: FileRef, kind: str, reason: str) -> None:
        self._db.execute(
            "INSERT INTO failures (path, kind, reason, exported_at, path_bytes) VALUES (?,?,?,?,?)"
            " ON CONFLICT(path) DO UPDATE SET kind=excluded.kind, reason=excluded.reason,"
            " exported_at=excluded.exported_at, path_bytes=excluded.path_bytes",
            (ref.path, kind, reason, self._stamp, ref.path_bytes),
        )
        self._pending.failures += 1
        self._tick()

    def _tick(self) -> None:
        self._n += 1
        if self._n % self.BATCH == 0:
            self._commit()

    def _commit(self) -> None:
        self.checkpoint("commit")
        self._db.commit()
        self._made_durable()

    def _finish(self) -> None:
        self._commit()
        if self._defer_index:
            self.checkpoint("index")
            self._db.execute(_CELLS_INDEX)
            self._db.commit()
        self.checkpoint("close")

    def _release(self) -> None:
        self._db.close()


def _check_foreign(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a SQLite file that holds tables of something else (a file of ours, or an empty one, is fine)."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "reports" not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise OutputError(f"is a SQLite database of something else (tables {shown}); not written", path=str(path))
    if "reports" in tables:
        columns = {r[1] for r in db.execute("PRAGMA table_info(reports)")}
        if "sha256" not in columns:
            raise OutputError("holds a 'reports' table that govreport did not write; not written", path=str(path))


def _line(span: Sequence[int] | None) -> int | None:
    return span[0] if span else None


PARQUET_COLUMNS = (*LONG_COLUMNS, "sha256", "duplicate_of", "source_bytes")
"""Parquet's columns: :data:`LONG_COLUMNS` plus, for every row, its file's hash, first copy and raw name."""

_CELL_COLUMNS = LONG_COLUMNS[4:]
"""The :data:`LONG_COLUMNS` that differ from row to row of one file (table … money)."""

ParquetColumns = tuple[tuple[Any, ...], list[list[Any]]]
""":meth:`ParquetSink.encode`'s payload: the values every row of the file shares (source, organ, year,
template), and the :data:`_CELL_COLUMNS`, one list of the rows' values each."""


class ParquetSink(Sink):
    """Long form through pyarrow, one row group per :attr:`ROWS` cells so memory stays bounded.

    ``value`` is int64 and pandas reads it as nullable ``Int64`` (the file carries pandas metadata
    saying so; ``year`` likewise), ``money`` is ``decimal128(20, 4)`` (pandas: ``Decimal`` objects):
    never a float.
    """

    format = "parquet"
    ROWS = 50_000
    """Cells per row group: about 200 reports held as columns of values at most (200,000 rows as tuples held 270 MB)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError(missing_extra("pyarrow", "parquet")) from None
        self._pa = pa
        self._schema = arrow_schema(pa)
        self._writer = pq.ParquetWriter(str(path), self._schema)
        self._empty_columns()
        self._pending.rows = 0

    def _empty_columns(self) -> None:
        self._columns: list[list[Any]] = [[] for _ in PARQUET_COLUMNS]
        shared = len(LONG_COLUMNS) - len(_CELL_COLUMNS)
        self._by_cell = self._columns[shared : len(LONG_COLUMNS)]
        """The columns of :data:`_CELL_COLUMNS`, whose values differ from row to row of one file."""
        self._by_file = self._columns[:shared] + self._columns[len(LONG_COLUMNS) :]
        """The others (source … template, sha256, duplicate_of, source_bytes): one value a file."""

    @staticmethod
    def encode(doc: dict[str, Any]) -> ParquetColumns:
        """The file's rows column by column, built in the worker: the parent (the one writer) extends its
        columns by them, instead of building and transposing a tuple per row."""
        columns = [list(col) for col in zip(*(row[4:] for row in long_records(doc)), strict=True)]
        return (doc["path"], doc["organ"], doc["year"], doc["template"]), columns or [[] for _ in _CELL_COLUMNS]

    def write(self, payload: ParquetColumns, ref: FileRef) -> None:
        shared, columns = payload
        for col, values in zip(self._by_cell, columns, strict=True):
            col.extend(values)
        n = len(columns[0])
        for col, value in zip(self._by_file, (*shared, ref.sha256, ref.duplicate_of, ref.path_bytes), strict=True):
            col.extend([value] * n)
        self._count(ref)
        if self._pending.rows is not None:
            self._pending.rows += n
        if len(self._columns[0]) >= self.ROWS:
            self._flush()

    def warm(self) -> None:
        # pyarrow imports pandas (when installed) on its first pa.array of a list: ≈0.35–0.7 s, which
        # the writer otherwise pays at its first flush, mid-run, while the workers wait on it
        self._pa.array([0], type=self._pa.int64())

    def _flush(self) -> None:
        if self._columns[0]:
            self.checkpoint("commit")
            table = self._pa.Table.from_arrays(
                [self._pa.array(col, type=f.type) for col, f in zip(self._columns, self._schema, strict=True)],
                schema=self._schema,
            )
            self._writer.write_table(table)
            self._empty_columns()
        self._made_durable()

    def _finish(self) -> None:
        self._flush()
        self.checkpoint("close")

    def _release(self) -> None:
        self._writer.close()


def _pandas_metadata(names: Sequence[str]) -> bytes:
    """Pandas' schema metadata: the dtype of each column, so ``value`` reads back as ``Int64``."""
    dtypes = {"year": "Int32", "value": "Int64"}
    columns = [
        {"name": n, "field_name": n, "pandas_type": "object", "numpy_type": dtypes.get(n, "object"), "metadata": None}
        for n in names
    ]
    for c in columns:
        if c["name"] in dtypes:
            c["pandas_type"] = str(dtypes[str(c["name"])]).lower()
    meta = {"index_columns": [], "column_indexes": [], "columns": columns, "pandas_version": "2.0.0"}
    return json.dumps(meta).encode("utf-8")


def arrow_schema(pa: Any) -> Any:
    """The Arrow schema of :data:`PARQUET_COLUMNS` (with pandas metadata for nullable integers)."""
    s = pa.string()
    fields = [
        ("source", s),
        ("organ", s),
        ("year", pa.int32()),
        ("template", s),
        ("table", s),
        ("row", s),
        ("column", s),
        ("value", pa.int64()),
        ("raw", s),
        ("status", s),
        ("money", pa.decimal128(20, 4)),
        ("sha256", s),
        ("duplicate_of", s),
        ("source_bytes", pa.binary()),
    ]
    return pa.schema(fields, metadata={b"pandas": _pandas_metadata([n for n, _ in fields])})


def check_output(path: Path) -> str | None:
    """Why ``path`` cannot be an export's output, or ``None``; looks only, writes nothing.

    Catches what can be known without writing: a missing folder, a folder in the way, a file that
    is not SQLite where SQLite is asked for. Whether the folder can really be written to is
    :func:`open_sink`'s to find out (permissions are not what ``os.access`` says for root).
    """
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return "is a folder, not a file"
    if not parent.exists():
        return f"the folder {display_path(str(parent))} does not exist"
    if not parent.is_dir():
        return f"{display_path(str(parent))} is not a folder"
    if path.exists() and not os.access(path, os.W_OK):
        return "is not writable"
    if format_for(path) == "sqlite" and path.is_file() and path.stat().st_size:
        try:
            with path.open("rb") as f:
                head = f.read(len(_SQLITE_MAGIC))
        except OSError as e:
            return f"cannot be read: {e.strerror or e}"
        if head != _SQLITE_MAGIC:
            return "exists and is not a SQLite database; not overwritten (choose another name or delete it)"
    return None


def open_sink(path: Path, *, bom: bool = False) -> Sink:
    """The sink for ``path`` by its extension, its file created (or, SQLite, opened).

    Raises ``ValueError`` for an unknown extension, ``ImportError`` (naming the extra to install)
    when Parquet's pyarrow is missing, and :class:`~govreport.errors.OutputError` naming the path
    when it cannot be written.
    """
    fmt = format_for(path)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"cannot tell the output format of {str(path)!r}: use one of the extensions {known}")
    name = display_path(str(path))
    why = check_output(path)
    if why is not None:
        raise OutputError(why, path=name)
    try:
        if fmt == "jsonl":
            return JsonlSink(path)
        if fmt == "csv":
            return CsvSink(path, bom=bom)
        if fmt == "sqlite":
            return SqliteSink(path)
        return ParquetSink(path)
    except OSError as e:
        raise OutputError(f"cannot write: {e.strerror or e}", path=name) from None
    except sqlite3.Error as e:
        raise OutputError(f"cannot write as SQLite: {e}", path=name) from None
