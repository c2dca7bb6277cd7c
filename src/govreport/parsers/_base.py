"""The base of the built-in layout parsers: a packaged Lark grammar run over the table regions.

The only module besides ``parsers/*`` that touches Lark. Lark types never leave it: the transformer
turns every token into :class:`~govreport.parsers.rows.Row` s straight away, and a Lark error becomes a
diagnostic.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Any, ClassVar, cast

import attrs
from lark import Lark, Token, Transformer
from lark.exceptions import LarkError

from ..diagnostics import Diagnostic, Severity
from ..text.normalise import NormText
from ..text.sections import TABLE_SECTIONS, Layout, table_regions
from ._scanner import LineScanner, ScanError
from .rows import _NUMBER, BLANK, CELL, PLACEHOLDER, PLACEHOLDERS, TEXT, Item, ParseResult, Row, classify, split_items

__all__ = ["TABLE_SECTIONS", "GrammarParser", "RowBuilder", "field_items", "table_regions", "token_position"]

_BASE_LINE: contextvars.ContextVar[int] = contextvars.ContextVar("govreport_base_line", default=0)
_tuple_new = tuple.__new__


@attrs.frozen(slots=True)
class Noise:
    """A line of a table region that is accounted for but holds no data (0-based line)."""

    line: int
    reason: str


def token_position(children: list[Token]) -> tuple[str, int, int]:
    """The text, 1-based line and 1-based column of a rule's single token."""
    tok = children[0]
    return str(tok), tok.line or 1, tok.column or 1


class RowBuilder(Transformer[Token, Any]):
    """Turns the row tokens of a layout grammar into :class:`Row` s (one method per row shape).

    Each rule method taking Lark's children has a ``<rule>_text(text, line, column)`` twin (1-based
    line and column, as a token carries them) that does the work; the scanner calls the twin
    directly (:meth:`direct`) and so builds no token for a row (a ``Token`` costs about 1 µs).
    """

    def start(self, children: list[Any]) -> list[Row | Noise]:
        return [c for c in children if isinstance(c, (Row, Noise))]

    def direct(self, rule: str) -> Callable[[str, int, int], Any] | None:
        """``<rule>_text`` when the class that defines the rule's token method defines it too.

        A subclass that overrides only the token method must still be called through it.
        """
        for klass in type(self).__mro__:
            has_rule, has_text = rule in vars(klass), f"{rule}_text" in vars(klass)
            if has_rule or has_text:
                return (
                    cast(Callable[[str, int, int], Any], getattr(self, f"{rule}_text"))
                    if has_rule and has_text
                    else None
                )
        return None

    def rule(self, children: list[Token]) -> Noise:
        return self.rule_text(*token_position(children))

    def rule_text(self, text: str, line: int, column: int) -> Noise:
        """A table rule ("|---|---|", "├───┼───┤") holds no data: it is counted as noise."""
        return Noise(_BASE_LINE.get() + line - 1, "table rule")

    @staticmethod
    def _doc_line(line: int) -> int:
        """The 0-based document line of a 1-based line of the region's text."""
        return _BASE_LINE.get() + line - 1

    def text_row(self, children: list[Token]) -> Row:
        return self.text_row_text(*token_position(children))

    def text_row_text(self, text: str, line: int, column: int) -> Row:
        stripped = text.strip()
        start = column - 1 + text.index(stripped[:1]) if stripped else column - 1
        line = _BASE_LINE.get() + line - 1
        return _tuple_new(Row, ((_tuple_new(Item, (TEXT, stripped, line, start, start + len(stripped))),), line))

    def cells_row(self, children: list[Token]) -> Row:
        return self.cells_row_text(*token_position(children))

    def cells_row_text(self, text: str, line: int, column: int) -> Row:
        line = _BASE_LINE.get() + line - 1
        stripped = text.strip()
        if stripped.isdigit() and stripped.isascii():  # a lone number ("  58"), as one-cell-a-line exports give
            start = column - 1 + text.index(stripped[0])
            return _tuple_new(Row, ((_tuple_new(Item, (CELL, stripped, line, start, start + len(stripped))),), line))
        return _tuple_new(Row, (tuple(split_items(text, line, column - 1)), line))

    def fields_text(self, text: str, line: int, column: int, sep: str) -> Row:
        """A row whose cells are separated by ``sep`` (1-based line and column of its token's text);
        each field is one item, blank fields count."""
        line = _BASE_LINE.get() + line - 1
        return _tuple_new(Row, (tuple(field_items(text.split(sep), line, column - 1, len(sep))), line))


# the last characters of the placeholders: a label whose last character is none of these or a digit
# cannot end in a cell token, so it needs no split
_CELL_TAILS = frozenset(p[-1] for p in PLACEHOLDERS)


def field_items(fields: list[str], line: int, col: int, seplen: int) -> list[Item]:
    """The items of a row's ``fields`` (cut at a separator ``seplen`` long) that starts at column ``col``.

    Each field is one item (a blank field too), but a field holding label and numbers ("行政许可 0")
    is split like space text. The hot loop of the tab, pipe and box rows: the common field (a
    bare number or a label) costs no Python call.
    """
    items: list[Item] = []
    append = items.append
    pos = col
    for field in fields:
        stripped = field.strip()
        if not stripped:
            append(_tuple_new(Item, (BLANK, "", line, pos, pos)))
        else:
            # strip() hands back the very string when there was nothing to strip
            start = pos if stripped is field else pos + field.index(stripped[0])
            if stripped.isdigit() and stripped.isascii():
                kind = CELL
            elif stripped in PLACEHOLDERS:
                kind = PLACEHOLDER
            else:
                # classify() from here on, but only a token ending in a digit can be a number
                last = stripped[-1]
                kind = CELL if last.isdecimal() and _NUMBER.fullmatch(stripped) else TEXT
                if (
                    kind is TEXT
                    and (last.isdecimal() or last in _CELL_TAILS)
                    and classify(stripped.rsplit(None, 1)[-1]) != TEXT
                ):
                    items.extend(split_items(field, line, pos))
                    pos += len(field) + seplen
                    continue
            append(_tuple_new(Item, (kind, stripped, line, start, start + len(stripped))))
        pos += len(field) + seplen
    return items


class GrammarParser:
    """A layout parser driven by ``grammars/<grammar>.lark`` and a :class:`RowBuilder`.

    Subclasses set the metadata, ``grammar``, ``builder`` and ``detect``. A plugin that ships its own
    grammar sets ``grammar_package`` to its package: ``grammars/<grammar>.lark`` is then read from there
    (a grammar may ``%import`` from its own folder; the built-ins' ``common.lark`` lives in govreport's).
    """

    name: ClassVar[str] = ""
    layout: ClassVar[str] = ""
    priority: ClassVar[int] = 0
    version_added: ClassVar[str] = "0.1"
    description: ClassVar[str] = ""
    grammar: ClassVar[str] = ""
    grammar_package: ClassVar[str] = "govreport"
    builder: ClassVar[Callable[[], RowBuilder]] = RowBuilder

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _lark: ClassVar[dict[str, Lark]] = {}
    _scanners: ClassVar[dict[str, LineScanner | None]] = {}

    @classmethod
    def lark(cls) -> Lark:
        """The grammar's LALR parser, built once per process (thread-safe)."""
        key = f"{cls.__module__}.{cls.__qualname__}"
        parser = cls._lark.get(key)
        if parser is None:
            with cls._lock:
                parser = cls._lark.get(key)
                if parser is None:
                    parser = Lark.open_from_package(
                        cls.grammar_package,
                        f"{cls.grammar}.lark",
                        ("grammars",),
                        parser="lalr",
                        lexer="contextual",
                        transformer=cls.builder(),
                        maybe_placeholders=False,
                        cache=True,  # the LALR tables, pickled in the temp dir: first parse of a process ~4x faster
                    )
                    cls._lark[key] = parser
        return parser

    @classmethod
    def scanner(cls) -> LineScanner | None:
        """The grammar compiled into a :class:`LineScanner`, or ``None`` when its shape does not allow it."""
        key = f"{cls.__module__}.{cls.__qualname__}"
        if key not in cls._scanners:
            parser = cls.lark()
            with cls._lock:
                if key not in cls._scanners:
                    cls._scanners[key] = LineScanner.from_lark(parser, parser.options.transformer)
        return cls._scanners[key]

    def detect(self, doc: NormText, layout: Layout) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def parse(self, doc: NormText, layout: Layout, *, lalr: bool = False) -> ParseResult:
        """Run the grammar over each table region; a region it cannot read becomes a diagnostic.

        The grammar's :meth:`scanner` does the work when there is one; ``lalr=True`` forces Lark's own
        LALR parser (the reference the scanner is tested against).
        """
        scanner = None if lalr else self.scanner()
        run = scanner.scan if scanner is not None else self.lark().parse
        rows: dict[str, tuple[Row, ...]] = {}
        diags: list[Diagnostic] = []
        noise: list[tuple[int, str]] = []
        count = 0
        for table_id, (start, end) in table_regions(layout, len(doc.lines)).items():
            lines = doc.lines[start:end]
            text = "\n".join(lines) + "\n"
            # blank lines carry nothing: a line strips to nothing when it is empty or all white space
            count += len(lines) - lines.count("") - sum(map(str.isspace, lines))
            token = _BASE_LINE.set(start)
            try:
                parsed = cast(list[Row | Noise], run(text))
                kept = [r for r in parsed if isinstance(r, Row)]
                rows[table_id] = tuple(kept)
                if len(kept) != len(parsed):
                    noise.extend((n.line, n.reason) for n in parsed if isinstance(n, Noise))
            except (LarkError, ScanError) as e:
                line = start + getattr(e, "line", 1) - 1 if isinstance(getattr(e, "line", None), int) else start
                diags.append(
                    Diagnostic(
                        "PARSE.GRAMMAR",
                        Severity.ERROR,
                        f"{table_id}: the {self.name} grammar cannot read line {line + 1}: {type(e).__name__}",
                        f"{table_id}：{self.name} 版式无法解析第 {line + 1} 行",
                        table=table_id,
                        span=doc.span(line, 0, len(doc.lines[line]) if line < len(doc.lines) else 0),
                        parser=self.name,
                    )
                )
                rows[table_id] = ()
            finally:
                _BASE_LINE.reset(token)
        return ParseResult(rows, tuple(noise), tuple(diags), count)


_tree_parsers: dict[str, Lark] = {}
_tree_lock = threading.Lock()


def tree_parser(grammar: str) -> Lark:
    """``grammars/<grammar>.lark`` as an LALR parser that returns Lark trees (built once per process).

    For parsers that read the tree themselves rather than through a :class:`RowBuilder`.
    """
    parser = _tree_parsers.get(grammar)
    if parser is None:
        with _tree_lock:
            parser = _tree_parsers.get(grammar)
            if parser is None:
                parser = Lark.open_from_package(
                    "govreport", f"{grammar}.lark", ("grammars",), parser="lalr", lexer="contextual"
                )
                _tree_parsers[grammar] = parser
    return parser
