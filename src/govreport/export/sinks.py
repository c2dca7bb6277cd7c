"""Where ``govreport export`` writes: JSON Lines, CSV, SQLite and Parquet.

Every sink works from the export-contract dict (:func:`govreport.to_dict`), never from a live
:class:`~govreport.Report`, so a worker process can do the costly part (``encode``) and the parent
only appends bytes or rows. Each sink writes a report whole or not at all: an interrupted export
leaves complete JSON lines, complete CSV rows and a SQLite file consistent as of its last commit.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .convert import TIDY_COLUMNS

__all__ = [
    "FORMATS",
    "LONG_COLUMNS",
    "CsvSink",
    "JsonlSink",
    "ParquetSink",
    "Sink",
    "SqliteSink",
    "format_for",
    "long_records",
    "missing_extra",
    "open_sink",
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


class Sink:
    """Base class: ``encode`` runs in a worker process, ``write`` in the parent, in input order."""

    format = ""

    @staticmethod
    def encode(doc: dict[str, Any]) -> Any:
        return doc

    def write(self, payload: Any) -> None:
        raise NotImplementedError

    def failure(self, path: str, kind: str, reason: str) -> None:
        """Record a file that could not be read (only SQLite keeps them; the summary lists all)."""

    def close(self) -> None:
        """Flush and finish; safe to call after an interruption."""


class JsonlSink(Sink):
    format = "jsonl"

    def __init__(self, path: Path) -> None:
        self._f: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    @staticmethod
    def encode(doc: dict[str, Any]) -> str:
        return json.dumps(doc, ensure_ascii=False) + "\n"

    def write(self, payload: str) -> None:
        # one write per report: an interrupt falls between lines, never inside one
        self._f.write(payload)

    def close(self) -> None:
        self._f.close()


class CsvSink(Sink):
    format = "csv"

    def __init__(self, path: Path, *, bom: bool = False) -> None:
        # Excel only detects UTF-8 with the BOM; everything else is better off without it
        self._f: IO[str] = path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        csv.writer(self._f, lineterminator="\r\n").writerow(TIDY_COLUMNS)

    @staticmethod
    def encode(doc: dict[str, Any]) -> str:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(tidy_from_doc(doc))
        return buf.getvalue()

    def write(self, payload: str) -> None:
        self._f.write(payload)

    def close(self) -> None:
        self._f.close()


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
    path TEXT PRIMARY KEY, kind TEXT NOT NULL, reason TEXT NOT NULL, exported_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_year_organ ON reports(year, organ);
CREATE INDEX IF NOT EXISTS reports_path ON reports(path);
{_CELLS_INDEX};
CREATE INDEX IF NOT EXISTS diagnostics_code ON diagnostics(code);
CREATE VIEW IF NOT EXISTS report_cells AS
    SELECT r.id AS report_id, r.organ, r.year, r.template, r.path,
           c.table_id, c.row_id, c.column_id, c.value, c.raw, c.status
    FROM cells c JOIN reports r ON r.id = c.report_id;
"""


class SqliteSink(Sink):
    """Upserts each report by content hash; child rows are replaced, so re-runs never duplicate."""

    format = "sqlite"
    BATCH = 100
    """Reports per transaction: few enough that an interrupt loses little, many enough to be fast."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level="DEFERRED")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(_SCHEMA)
        # A fresh export builds the cell index once at the end: kept up per insert it costs the
        # single writer a third of its time. A run that dies before close leaves the index missing;
        # the next open re-creates it (the schema says IF NOT EXISTS).
        self._defer_index = self._db.execute("SELECT 1 FROM cells LIMIT 1").fetchone() is None
        if self._defer_index:
            self._db.execute("DROP INDEX IF EXISTS cells_by_cell")
        self._db.commit()
        self._pending = 0
        self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S")

    def write(self, payload: dict[str, Any]) -> None:
        d = payload
        counts = {"error": 0, "warning": 0, "info": 0}
        for diag in d["diagnostics"]:
            counts[diag["severity"]] = counts.get(diag["severity"], 0) + 1
        db = self._db
        row = (
            d["sha256"],
            d["organ"],
            d["year"],
            d["template"],
            d["title"],
            d["path"],
            d["layout"],
            d["parser"],
            d["confidence"],
            d["encoding"],
            counts["error"],
            counts["warning"],
            counts["info"],
            self._stamp,
        )
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
        db.executemany(
            "INSERT INTO cells VALUES (?,?,?,?,?,?,?)",
            # the same rows as the CSV/Parquet long form, subtotal rows (table3 subtotal.<block>) included
            ((report_id, *row[4:]) for row in tidy_from_doc(d)),
        )
        db.executemany(
            "INSERT INTO sections VALUES (?,?,?,?,?,?,?)",
            (
                (report_id, n, s["key"], s["number"], s["heading"], s["text"], _line(s.get("span")))
                for n, s in enumerate(d["sections"])
            ),
        )
        db.executemany(
            "INSERT INTO diagnostics VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    report_id,
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
                for n, g in enumerate(d["diagnostics"])
            ),
        )
        if d["path"] is not None:
            db.execute("DELETE FROM failures WHERE path = ?", (d["path"],))
        self._tick()

    def failure(self, path: str, kind: str, reason: str) -> None:
        self._db.execute(
            "INSERT INTO failures VALUES (?,?,?,?) ON CONFLICT(path) DO UPDATE SET kind=excluded.kind,"
            " reason=excluded.reason, exported_at=excluded.exported_at",
            (path, kind, reason, self._stamp),
        )
        self._tick()

    def _tick(self) -> None:
        self._pending += 1
        if self._pending >= self.BATCH:
            self._db.commit()
            self._pending = 0

    def close(self) -> None:
        self._db.commit()
        self._finish()

    def abort(self) -> None:
        """After an interrupt: drop the half-written batch (a report may be incomplete), keep the rest."""
        self._db.rollback()
        self._finish()

    def _finish(self) -> None:
        if self._defer_index:
            self._db.execute(_CELLS_INDEX)
            self._db.commit()
        self._db.close()


def _line(span: Sequence[int] | None) -> int | None:
    return span[0] if span else None


class ParquetSink(Sink):
    """Long form through pyarrow, one row group per :attr:`ROWS` cells so memory stays bounded."""

    format = "parquet"
    ROWS = 200_000

    def __init__(self, path: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError(missing_extra("pyarrow", "parquet")) from None
        self._pa = pa
        self._schema = arrow_schema(pa)
        self._writer = pq.ParquetWriter(str(path), self._schema)
        self._rows: list[tuple[Any, ...]] = []

    @staticmethod
    def encode(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
        return list(long_records(doc))

    def write(self, payload: list[tuple[Any, ...]]) -> None:
        self._rows.extend(payload)
        if len(self._rows) >= self.ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        cols = list(zip(*self._rows, strict=True))
        table = self._pa.Table.from_arrays(
            [self._pa.array(col, type=f.type) for col, f in zip(cols, self._schema, strict=True)],
            schema=self._schema,
        )
        self._writer.write_table(table)
        self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def arrow_schema(pa: Any) -> Any:
    """The Arrow schema of :data:`LONG_COLUMNS`."""
    s = pa.string()
    return pa.schema(
        [
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
        ]
    )


def open_sink(path: Path, *, bom: bool = False) -> Sink:
    """The sink for ``path`` by its extension. Raises ``ValueError`` for an unknown extension."""
    fmt = format_for(path)
    if fmt == "jsonl":
        return JsonlSink(path)
    if fmt == "csv":
        return CsvSink(path, bom=bom)
    if fmt == "sqlite":
        return SqliteSink(path)
    if fmt == "parquet":
        return ParquetSink(path)
    known = ", ".join(sorted(FORMATS))
    raise ValueError(f"cannot tell the output format of {str(path)!r}: use one of the extensions {known}")
