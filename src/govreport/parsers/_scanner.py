"""A layout grammar compiled into a token scanner, for the hot path.

Every built-in layout grammar has the shape ``start: _line*`` where each alternative of ``_line``
is a rule of exactly one terminal (``cells_row: CELLS_LINE``) or a filtered terminal (``_NL``). Such
a language is regular: the parse tree is the token sequence, and the LALR parser only adds
per-token bookkeeping (about 10 µs a token, the largest single cost of a load). For these grammars
:class:`LineScanner` takes the terminals from the very :class:`lark.Lark` instance, orders them
exactly as Lark's lexer does, and calls the rule callbacks of the same transformer token by token.

The grammar stays the specification: a grammar of any other shape gets no scanner (the caller uses
Lark's parser), and the test suite checks that scanner and LALR parser give identical rows on every
seed and corpus text and on generated input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lark import Lark, Token

__all__ = ["LineScanner", "ScanError"]

_NO_TERMINAL = "GOVREPORT_NO_TERMINAL"


class ScanError(Exception):
    """No terminal matches at ``pos`` (Lark would raise ``UnexpectedCharacters`` there)."""

    def __init__(self, pos: int, line: int) -> None:
        super().__init__(f"no terminal matches at line {line}")
        self.pos = pos
        self.line = line


class LineScanner:
    """Tokens of a regular (``start: _line*``) grammar, turned into rows by its transformer."""

    def __init__(self, pattern: re.Pattern[str], rules: dict[str, str | None], builder: Any) -> None:
        self._pattern = pattern
        self._rules = rules  # terminal name -> rule name, None for a filtered (``_NAME``) terminal
        self._builder = builder
        direct = getattr(builder, "direct", None)
        # by the group index of the terminal's match (``Match.lastindex``: no name to hash), the
        # callback taking text/line/column, or the one taking a token list; None for a filtered terminal
        size = pattern.groups + 1
        self._direct: list[Callable[[str, int, int], Any] | None] = [None] * size
        self._by_token: list[tuple[str, Callable[[list[Token]], Any]] | None] = [None] * size
        for t, r in rules.items():
            if r is None:
                continue
            index = pattern.groupindex[t]
            fast = direct(r) if callable(direct) else None
            if fast is not None:
                self._direct[index] = fast
            else:
                self._by_token[index] = (t, getattr(builder, r))

    @classmethod
    def from_lark(cls, parser: Lark, builder: Any) -> LineScanner | None:
        """The scanner for ``parser``'s grammar, or ``None`` when the grammar is not of that shape."""
        if parser.options.lexer not in ("contextual", "basic") or parser.lexer_conf.ignore:
            return None
        if parser.options.postlex is not None or parser.lexer_conf.callbacks:
            return None
        rules_by_origin: dict[str, list[list[str]]] = {}
        for rule in parser.rules:
            rules_by_origin.setdefault(rule.origin.name, []).append([s.name for s in rule.expansion])
        terminal_names = {t.name for t in parser.terminals}
        # start -> (empty | a star of one inlined rule)
        start = rules_by_origin.get("start", [])
        stars = [e[0] for e in start if e]
        if len(stars) != 1 or any(e and e != stars for e in start) or not stars[0].startswith("__start_star"):
            return None
        star = rules_by_origin.get(stars[0], [])
        items = {e[-1] for e in star}
        if len(items) != 1 or sorted(map(len, star)) != [1, 2]:
            return None
        (line_rule,) = items
        if not line_rule.startswith("_"):
            return None
        mapping: dict[str, str | None] = {}
        for expansion in rules_by_origin.get(line_rule, []):
            if len(expansion) != 1:
                return None
            (symbol,) = expansion
            if symbol in terminal_names:
                if not symbol.startswith("_"):
                    return None  # a kept bare terminal would reach ``start`` as a Token
                mapping[symbol] = None
                continue
            inner = rules_by_origin.get(symbol, [])
            if len(inner) != 1 or len(inner[0]) != 1 or inner[0][0] not in terminal_names:
                return None
            if symbol.startswith("_") or not callable(getattr(builder, symbol, None)):
                return None
            if inner[0][0] in mapping:
                return None
            mapping[inner[0][0]] = symbol
        if set(mapping) != terminal_names or not callable(getattr(builder, "start", None)):
            return None
        # Lark's basic lexer orders terminals this way and takes the first alternative that matches.
        terminals = sorted(
            parser.terminals, key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name)
        )
        if any(t.pattern.type != "re" for t in terminals):
            return None
        # the empty alternative, last, matches where no terminal does: finditer then stops there at
        # once (scan raises) instead of searching on for the next match, which on a long line that
        # almost matches is quadratic or worse (a fuzzed markdown line took 45 s)
        alternatives = [f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals]
        pattern = re.compile("|".join([*alternatives, f"(?P<{_NO_TERMINAL}>)"]), parser.lexer_conf.g_regex_flags)
        return cls(pattern, mapping, builder)

    def scan(self, text: str) -> Any:
        """What the transformer's ``start`` makes of the tokens of ``text`` (1-based lines as Lark)."""
        direct = self._direct
        by_token = self._by_token
        out: list[Any] = []
        append = out.append
        pos = 0
        line = 1
        end = len(text)
        count = text.count
        rfind = text.rfind
        # finditer rather than a match() per token: one C call a token; a match that does not start
        # where the last one stopped is where match() would have failed
        for m in self._pattern.finditer(text):
            start, stop = m.span()
            if start != pos or stop == pos:
                if pos == end:
                    break  # an empty match at the very end: match() would not have been tried
                raise ScanError(pos, line)
            index = m.lastindex
            call = direct[index]  # type: ignore[index]
            # the 1-based column, as Lark counts: rfind stops at once for a token that starts a line,
            # as every token of the line-oriented grammars does (and gives -1 on the first line)
            if call is not None:
                append(call(m.group(), line, pos - rfind("\n", 0, pos)))
            else:
                named = by_token[index]  # type: ignore[index]
                if named is not None:
                    append(named[1]([Token(named[0], m.group(), pos, line, pos - rfind("\n", 0, pos))]))
            line += count("\n", pos, stop)
            pos = stop
        if pos < end:
            raise ScanError(pos, line)
        return self._builder.start(out)
