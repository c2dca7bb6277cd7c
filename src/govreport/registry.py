"""The parser registry: discovery through entry points, validation and ranking.

Built-in parsers are declared in govreport's own ``pyproject.toml`` under the ``govreport.parsers``
entry-point group, the same way a third-party package adds one. Discovery happens on first use,
never at ``import govreport``. A plugin that fails to import or is malformed is skipped with a
warning and recorded (:func:`plugin_errors`); ``GOVREPORT_NO_PLUGINS=1`` keeps only govreport's own.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from .errors import ParserNotFound, PluginLoadError
from .parsers.rows import ParseResult
from .text.normalise import NormText
from .text.sections import Layout

__all__ = ["ENTRY_POINT_GROUP", "LayoutParser", "get_parser", "list_parsers", "plugin_errors", "register", "reset"]

ENTRY_POINT_GROUP = "govreport.parsers"

_BUILTINS = {
    "grid": "govreport.parsers.grid:GridParser",
    "space": "govreport.parsers.space:SpaceParser",
    "tab": "govreport.parsers.tab:TabParser",
    "markdown": "govreport.parsers.markdown:MarkdownParser",
    "word_cells": "govreport.parsers.word_cells:WordCellsParser",
    "box": "govreport.parsers.box:BoxParser",
    "flat": "govreport.parsers.flat:FlatParser",
    "columns": "govreport.parsers.column_blocks:ColumnBlocksParser",
}


@runtime_checkable
class LayoutParser(Protocol):
    """What a parser plugin provides (class attributes plus two methods).

    - ``name``: unique, lowercase; ``parser="name"`` selects it.
    - ``layout``: the layout it reads (shown in the report's ``source.layout``).
    - ``priority``: breaks ties only (built-ins use 100, 90 … 50).
    - ``detect(doc, layout) -> float``: cheap, pure, in [0, 1].
    - ``parse(doc, layout) -> ParseResult``: rows of each table region, for the shared assembler.
    """

    name: str
    layout: str
    priority: int
    version_added: str
    description: str

    def detect(self, doc: NormText, layout: Layout) -> float: ...

    def parse(self, doc: NormText, layout: Layout) -> ParseResult: ...


_lock = threading.Lock()
_parsers: dict[str, LayoutParser] | None = None
_errors: list[PluginLoadError] = []
_extra: dict[str, LayoutParser] = {}


def _validate(obj: Any, where: str) -> LayoutParser:
    parser = obj() if isinstance(obj, type) else obj
    for attr in ("name", "layout", "priority", "detect", "parse"):
        if not hasattr(parser, attr):
            raise PluginLoadError(where, f"has no {attr!r}")
    name = parser.name
    if not isinstance(name, str) or not name or name != name.lower() or not name.replace("_", "").isalnum():
        raise PluginLoadError(where, f"name {name!r} must be a non-empty lowercase identifier")
    if not isinstance(parser.priority, int):
        raise PluginLoadError(where, "priority must be an int")
    if not callable(parser.detect) or not callable(parser.parse):
        raise PluginLoadError(where, "detect and parse must be callable")
    return parser  # type: ignore[no-any-return]


def _discover() -> dict[str, LayoutParser]:
    found: dict[str, LayoutParser] = {}
    no_plugins = os.environ.get("GOVREPORT_NO_PLUGINS", "").strip() not in ("", "0", "false", "no")
    from importlib import metadata  # ~25 ms: paid on first use, never at ``import govreport``

    try:
        eps: Iterable[metadata.EntryPoint] = metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception as e:  # pragma: no cover - a broken environment
        warnings.warn(f"govreport: cannot list entry points: {e}", RuntimeWarning, stacklevel=3)
        eps = ()
    seen_builtin = set()
    for ep in sorted(eps, key=lambda e: (e.dist.name if e.dist else "", e.name)):
        dist = ep.dist.name if ep.dist else ""
        builtin = dist.lower() == "govreport"
        if no_plugins and not builtin:
            continue
        try:
            parser = _validate(ep.load(), ep.name)
        except PluginLoadError as e:
            _errors.append(e)
            warnings.warn(str(e), RuntimeWarning, stacklevel=3)
            continue
        except Exception as e:
            err = PluginLoadError(ep.name, f"{type(e).__name__}: {e}")
            _errors.append(err)
            warnings.warn(str(err), RuntimeWarning, stacklevel=3)
            continue
        if parser.name in found:
            err = PluginLoadError(ep.name, f"a parser named {parser.name!r} is already registered")
            _errors.append(err)
            warnings.warn(str(err), RuntimeWarning, stacklevel=3)
            continue
        found[parser.name] = parser
        if builtin:
            seen_builtin.add(parser.name)
    # running from a source tree without installed metadata: the built-ins are still there
    for name, target in _BUILTINS.items():
        if name not in found:
            module, _, attr = target.partition(":")
            try:
                found[name] = _validate(getattr(importlib.import_module(module), attr), name)
            except ModuleNotFoundError:
                continue
    return found


def _registry() -> dict[str, LayoutParser]:
    global _parsers
    if _parsers is None:
        with _lock:
            if _parsers is None:
                _parsers = _discover()
    return {**_parsers, **_extra}


def list_parsers() -> list[LayoutParser]:
    """Every registered parser, highest priority first."""
    return sorted(_registry().values(), key=lambda p: (-p.priority, p.name))


def get_parser(name: str) -> LayoutParser:
    """The parser registered as ``name``; :class:`ParserNotFound` lists the known names."""
    reg = _registry()
    if name not in reg:
        raise ParserNotFound(f"no parser named {name!r}; known parsers: {', '.join(sorted(reg))}")
    return reg[name]


def register(parser: Any) -> LayoutParser:
    """Register a parser at run time (tests, notebooks). Entry points are the normal way."""
    p = _validate(parser, getattr(parser, "name", repr(parser)))
    _extra[p.name] = p
    return p


def plugin_errors() -> list[PluginLoadError]:
    """Plugins that failed to load in this process, with the reason."""
    _registry()
    return list(_errors)


def reset() -> None:
    """Forget discovered and registered parsers (tests)."""
    global _parsers
    with _lock:
        _parsers = None
        _errors.clear()
        _extra.clear()
