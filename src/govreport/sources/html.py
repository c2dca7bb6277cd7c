"""Web pages (HTML) read into a :class:`~govreport.sources.document.Document`.

The bytes are decoded here, not by the HTML library (:func:`decode_html`): a BOM, else the page's own
``<meta charset>`` / ``http-equiv`` / XML declaration, with every GB2312/GBK label read as GB18030
(its superset: a GBK page labelled ``gb2312`` would otherwise stop at the first 镕 or 珺). The text is
then parsed by lxml (extra ``govreport[html]``) or, without it, by the standard library's
``html.parser`` through :mod:`._htmltree`; both trees are read by the same walk below and every
table goes through the one grid expansion of :mod:`._grid`.

What the walk keeps:

- **Prose**: the article body's blocks, one :class:`Paragraph` per block element or ``<br>`` line,
  so a heading such as ``二、主动公开政府信息情况`` is its own paragraph. The body is the first of the
  usual content containers of Chinese government sites (``#zoom``, ``.TRS_Editor``, ``.xxgk-content``,
  ``article``, ``main`` …) holding at least :data:`ROOT_MIN_CHARS` characters, else the element whose
  own paragraphs hold the most text, else ``<body>``; it is widened to take in every table of the page
  that lies outside it. Site chrome (navigation, breadcrumbs, share bars, footers, scripts, styles,
  forms' controls, ``hidden`` elements) is dropped. The page ``<title>`` is the first paragraph, and
  headings before the body (the report's title often sits just above the article container) follow
  it.
- **Tables**: every table outside the chrome as a :class:`Grid`, in document order; a nested table
  is its own grid right after its parent and its text is not part of the parent's cell. A table that
  only lays the page out (it holds the article body, or a cell of over :data:`LAYOUT_CELL_CHARS`
  characters) is read as prose instead.
- **Where**: every paragraph and cell carries its 1-based source line; cells also their table, row
  and column in the expanded grid.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..diagnostics import make_origin
from ..errors import InputError
from ._grid import GridBudget, SpanCell, expand_grid, html_span
from ._htmltree import Node, TooDeep, parse_html, words
from .document import Block, Document, Grid, Paragraph, make_paragraph
from .text import _control_share, decode

__all__ = [
    "LAYOUT_CELL_CHARS",
    "MAX_DEPTH",
    "MAX_HTML_BYTES",
    "ROOT_MIN_CHARS",
    "decode_html",
    "html_backend",
    "read_html",
    "read_html_tables",
]

MAX_HTML_BYTES = 50 << 20
"""A report page is tens of kilobytes; a larger file is refused before it is parsed."""
MAX_DEPTH = 256
"""Elements nested deeper than this are refused (libxml2's own limit; html.parser is held to it too)."""
ROOT_MIN_CHARS = 200
"""A content container must hold this much text (not counting white space) to be the article body."""
DENSE_SHARE = 0.8
"""The densest block grows to its parent while it holds this share of the parent's text."""
TITLE_MAX_CHARS = 200
"""A heading before the article body longer than this is not a title line."""
LAYOUT_CELL_CHARS = 500
"""A table cell holding more text than this is page layout (a report's cells are labels and numbers)."""
LAYOUT_CELL_LINES = 4
"""… or more lines than this (paragraphs, ``<br>`` lines) …"""
LAYOUT_NESTED_CHARS = 100
"""… or a nested table and more of its own text than this: the table frames the article."""

El = Any
"""An element of either tree: lxml's ``_Element`` or :class:`._htmltree.Node` (the same shape)."""

# -- decoding ---------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([-\w.:]+)""", re.IGNORECASE)
_GB_LABELS = words(
    "gb2312 gb_2312 gb_2312-80 gbk x-gbk cp936 ms936 windows-936 csgb2312 chinese iso-ir-58 "
    "csiso58gb231280 gb18030 euc-cn x-euc-cn"
)
_BIG5_LABELS = words("big5 big5-hkscs cn-big5 csbig5 x-x-big5")


def _label_codec(label: bytes) -> str | None:
    """The Python codec for an encoding label, the way browsers widen it (WHATWG Encoding)."""
    name = label.decode("ascii", "replace").strip().lower()
    if name in _GB_LABELS:
        return "gb18030"
    if name in _BIG5_LABELS:
        return "big5hkscs"
    if name.startswith(("utf-16", "utf16", "ucs-2", "unicode")):
        return "utf-8"  # a <meta> inside the page can only be read if the page is ASCII-compatible
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding the page declares in its first 4 KB (XML declaration or ``<meta>``), as a codec."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _label_codec(m[1]) if m else None


def decode_html(data: bytes, *, path: str | None = None, charset: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes: ``(text, encoding)``.

    A BOM decides; else UTF-8 if the bytes are valid UTF-8 (a page mislabelled ``gb2312`` but saved
    as UTF-8 is common, while GBK text is almost never valid UTF-8); else the declared encoding (GBK
    labels as GB18030): ``charset`` when given (what an HTTP ``Content-Type`` or an MHTML part's
    header says outranks the page's own declaration, as in a browser), else the page's; else UTF-8 if
    only a few bytes fail (:data:`REPLACED_SHARE`); else GB18030; else the declared encoding with
    U+FFFD for what fails. ``encoding`` says which, and whether bytes were replaced.
    """
    head = data[:4096]
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head.count(0) > len(head) // 4:
        return decode(data, path=path)  # BOMs, BOM-less UTF-16 and binary files: as for text
    declared = _label_codec(charset.encode("ascii", "replace")) if charset else None
    text, encoding = _decode_page(data, declared or declared_encoding(data))
    if _control_share(text) > 0.05:  # control bytes are valid UTF-8 and GB18030 alike
        raise InputError("this looks like a binary file, not a web page (control bytes)", path=path)
    return text, encoding


def _decode_page(data: bytes, declared: str | None) -> tuple[str, str]:
    for encoding in ("utf-8", declared):
        if encoding is not None:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                pass
    # UTF-8 with a few bad bytes (a download cut in a character) stays UTF-8; GBK read as UTF-8 fails
    # on nearly every ideograph instead. GB18030 is tried after that, because it decodes almost any
    # bytes without an error, right or wrong.
    utf8 = data.decode("utf-8", errors="replace")
    if utf8.count("\ufffd") <= REPLACED_SHARE * sum(1 for ch in utf8 if ch > "\x7f"):
        return utf8, "utf-8 (undecodable bytes replaced)"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    fallback = declared or "gb18030"
    return data.decode(fallback, errors="replace"), f"{fallback} (undecodable bytes replaced)"


REPLACED_SHARE = 0.01
"""At most this share of a page's non-ASCII characters may be undecodable for it to count as UTF-8."""


# -- back-ends ---------------------------------------------------------------------------------------


def html_backend() -> str:
    """``"lxml"`` when lxml is installed (the extra ``govreport[html]``), else ``"html.parser"``."""
    try:
        import lxml.etree  # noqa: F401
    except ImportError:
        return "html.parser"
    return "lxml"


def _parse_lxml(text: str, path: str | None) -> El:
    from lxml import etree

    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, collect_ids=False
    )
    # bytes with the encoding named: lxml then ignores the page's own <meta charset> (already decoded)
    root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(
                f"the page nests elements deeper than {MAX_DEPTH} levels (line {entry.line}): not a report page",
                path=path,
            )
    if root is None:
        raise InputError("the page holds no HTML elements", path=path)
    return root


def _parse_stdlib(text: str, path: str | None, first_line: int = 1) -> Node:
    try:
        return parse_html(text, first_line=first_line, max_depth=MAX_DEPTH)
    except TooDeep as e:
        raise InputError(f"the page nests {e}: not a report page", path=path) from None


# -- public API -------------------------------------------------------------------------------------


def read_html(
    data: bytes | str,
    *,
    path: str | None = None,
    backend: str | None = None,
    charset: str | None = None,
    first_table: int = 1,
) -> Document:
    """Read a web page into a :class:`Document` (prose paragraphs and expanded table grids).

    ``data`` is the page's bytes (decoded by :func:`decode_html`, ``charset`` being the encoding its
    transport declared, if any) or already decoded text. Tables are numbered from ``first_table`` (a
    page inside a Word file continues its numbering).
    ``backend`` is ``"lxml"`` or ``"html.parser"``; by default lxml when installed, else the standard
    library (see :func:`html_backend`). Raises :class:`InputError` for a file over
    :data:`MAX_HTML_BYTES`, undecodable or binary bytes, or elements nested past :data:`MAX_DEPTH`.
    A page without any table is a Document without a Grid.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_HTML_BYTES:
        raise InputError(f"the page is larger than {MAX_HTML_BYTES >> 20} MB: not a report page", path=path)
    if isinstance(data, bytes):
        text, encoding = decode_html(data, path=path, charset=charset)
    else:
        text, encoding = data, None
    backend = backend or html_backend()
    if backend == "lxml":
        root = _parse_lxml(text, path)
    elif backend == "html.parser":
        root = _parse_stdlib(text, path)
    else:
        raise ValueError(f"unknown HTML backend {backend!r} (lxml or html.parser)")
    blocks = _Reader(path, first_table=first_table).read(root)
    return Document("html", backend, blocks, encoding)


def read_html_tables(
    fragment: str, *, first_line: int = 1, first_table: int = 1, path: str | None = None
) -> list[Grid]:
    """The tables of an HTML fragment (a raw ``<table>`` block inside markdown) as expanded grids.

    Always read with the standard library's ``html.parser`` (no extra needed), through the same walk
    and grid expansion as whole pages. ``first_line`` is the line of the fragment's first character
    in the file it comes from, so every cell's ``origin.line`` is a line of that file; tables are
    numbered from ``first_table``.
    """
    root = _parse_stdlib(fragment, path, first_line)
    blocks = _Reader(path, first_table=first_table, whole_page=False).read(root)
    return [b for b in blocks if isinstance(b, Grid)]


# -- the walk ---------------------------------------------------------------------------------------

# elements that end a line of prose where they start and where they end
BLOCK = words(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul xmp"
)
HEADING = words("h1 h2 h3 h4 h5 h6")
# never text a reader sees on the page (or a second copy of it: <noscript>)
SKIP = words(
    "head script style noscript template iframe object embed svg math canvas select option button input "
    "textarea map audio video frameset frame noframes"
)
CHROME_TAGS = frozenset(("nav", "footer", "aside", "dialog"))
CHROME_ROLES = frozenset(("navigation", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar"))
# a class/id word that marks site chrome wherever it appears in the name ("top-nav", "shareBar" …)
CHROME_PARTS = words(
    "nav navbar navigation menu menubar breadcrumb breadcrumbs crumb crumbs share sharebar bdshare "
    "bdsharebuttonbox footer copyright sidebar toolbar pagination pager"
)
# a class/id that is site chrome only as the whole name (the parts are too common: "position-relative")
CHROME_NAMES = words("position location dqwz weizhi foot bottom links friendlink")
HIDDEN_CLASSES = frozenset(("hidden", "d-none", "sr-only", "visually-hidden"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# the article containers of common Chinese government CMSs, most specific first (id or class, any case)
ROOT_NAMES = (
    "zoom",
    "trs_editor",
    "trs_ueditor",
    "trs_editor_view",
    "custom_unionstyle",
    "ucap-content",
    "vsb_content",
    "wp_articlecontent",
    "js_content",
    "xxgk-content",
    "xxgk_content",
    "article-content",
    "article_content",
    "pages_content",
    "printarea",
    "content",
    "article",
)
ROOT_TAGS = ("article", "main")
TITLE_NAMES = frozenset(("title", "article-title", "article_title", "xxgk-title", "xxgk_title", "bt", "headline"))
_SPACE = re.compile(r"[ \t\n\r\f\xa0\u200b\ufeff]+")
_STRIP = " \t\n\r\f\xa0\u3000\u200b\ufeff"


def _tag(el: El) -> str:
    tag = el.tag
    # both trees lower-case tag names; lxml's comments and PIs have no name (only a tail)
    return tag if isinstance(tag, str) else ""


def _names(attrib: Any) -> list[str]:
    out = (attrib.get("class") or "").split()
    ident = attrib.get("id")
    if ident:
        out.append(ident)
    return out


VISIBLE, HIDDEN, CHROME = 0, 1, 2
_TABLE_PARTS = frozenset(("table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col"))


_SEEN_KEYS = frozenset(("hidden", "aria-hidden", "style", "class", "id", "role"))
# a table cell with no attributes but these is hidden only by its style (``id`` and ``role`` name
# chrome, which is not looked for inside tables)
_PLAIN_CELL_KEYS = frozenset(("style", "colspan", "rowspan", "width", "height", "align", "valign", "id", "role"))


def _visibility(el: El, tag: str, *, chrome: bool) -> int:
    """Whether ``el`` is :data:`HIDDEN` (never drawn), site :data:`CHROME` (only when ``chrome``) or
    :data:`VISIBLE`. Only attributes that exist are read: most elements have none that matter, and
    each look-up is a call into lxml."""
    if tag in SKIP:
        return HIDDEN
    keys = el.keys()
    if not keys or _SEEN_KEYS.isdisjoint(keys):
        return CHROME if chrome and tag in CHROME_TAGS else VISIBLE
    if "hidden" in keys or ("aria-hidden" in keys and (el.get("aria-hidden") or "").lower() == "true"):
        return HIDDEN
    if "style" in keys:
        style = el.get("style") or ""
        if ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style):
            return HIDDEN
    classes = (el.get("class") or "").split() if "class" in keys else []
    if classes and any(n.lower() in HIDDEN_CLASSES for n in classes):
        return HIDDEN
    if not chrome or tag in _TABLE_PARTS:  # a cell's class names its look ("bottom" border), not chrome
        return VISIBLE
    if tag in CHROME_TAGS or ("role" in keys and (el.get("role") or "").lower() in CHROME_ROLES):
        return CHROME
    names = [*classes, el.get("id")] if "id" in keys else classes
    for name in names:
        low = name.lower()
        if low in CHROME_NAMES or low in CHROME_PARTS or any(w.lower() in CHROME_PARTS for w in _WORDS.findall(name)):
            return CHROME
    return VISIBLE


def _body(root: El) -> El:
    for child in root:
        if _tag(child) == "body":
            return child
    return root


def _named(body: El) -> list[El]:
    """The elements under ``body`` that have an id or a class (lxml finds them without a Python loop)."""
    if hasattr(body, "xpath"):
        # the same elements, in document order, as ``.//*[@id or @class]``, found from the attributes
        # (libxml2 then tests no predicate on every element: a third of the time)
        return list(body.xpath("descendant::*/@id/.. | descendant::*/@class/.."))
    return [n for n in body.iter() if "id" in n.attrib or "class" in n.attrib]


def _chars(el: El, reader: _Reader, enough: int) -> int:
    """Visible characters (not white space) under ``el``, counted until there are ``enough``."""
    n = 0
    stack = [el]
    while stack and n < enough:
        node = stack.pop()
        n += _count(node.text)
        for child in node:
            n += _count(child.tail)  # a child's tail is its parent's text, drawn even if the child is not
            if reader._visible(child, _tag(child)):
                stack.append(child)
    return n


def _ancestors(el: El) -> Iterator[El]:
    node = el.getparent()
    while node is not None:
        yield node
        node = node.getparent()


def _clean(text: str) -> str:
    if text.isalnum():  # a number or a word: nothing to fold (most cells)
        return text
    return _SPACE.sub(" ", text).strip(_STRIP)


class _Lines:
    """Collects text into lines: a break ends the current line; blank lines are dropped."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, int | None]] = []
        self.parts: list[str] = []
        self.line: int | None = None

    def text(self, s: str, line: int | None) -> None:
        if not self.parts:
            self.line = line
        self.parts.append(s)

    def pre(self, s: str, line: int | None) -> None:
        """Preformatted text: its line breaks are breaks."""
        first, *rest = s.split("\n")
        self.text(first, line)
        for i, piece in enumerate(rest, start=1):
            self.brk()
            self.text(piece, None if line is None else line + i)

    def brk(self) -> None:
        if self.parts:
            text = _clean("".join(self.parts))
            if text:
                self.lines.append((text, self.line))
            self.parts = []
        self.line = None


class _Reader:
    """One page (or fragment) read into blocks: paragraphs from the article body, grids from tables.

    The article body is found by attribute look-ups on the few elements that have an id or a class;
    only then is the text walked, once, deciding each element's visibility as it goes (a full pass
    over every element, which costs far more than lxml's parse, happens only when no known container
    holds the article and the densest block has to be found)."""

    def __init__(self, path: str | None, *, first_table: int = 1, whole_page: bool = True) -> None:
        self.path = path
        self.whole_page = whole_page
        self.first_table = first_table
        self.show_hidden = False
        self._reset()

    def _reset(self) -> None:
        self.next_table = self.first_table
        self.budget = GridBudget(self.path)
        self.blocks: list[Block] = []
        self.prose = _Lines()
        # tables read as page layout, and what _shown() decided, by id(); the tuples keep the elements
        # alive, so that no id is reused by another lxml proxy meanwhile
        self.layout: dict[int, El] = {}
        self.seen: dict[int, tuple[El, bool]] = {}
        self.hidden_table = False
        self.has_title = False

    def _visible(self, el: El, tag: str) -> bool:
        """Whether ``el`` is drawn and not site chrome; notes a hidden element holding a table."""
        seen = _visibility(el, tag, chrome=self.whole_page)
        if seen == HIDDEN and tag not in SKIP:
            if self.show_hidden:
                return True
            if not self.hidden_table:
                self.hidden_table = next(iter(el.iter("table")), None) is not None
        return seen == VISIBLE

    def _shown(self, el: El) -> bool:
        """Whether ``el`` and every element round it are visible (memoised: tables share ancestors)."""
        chain = []
        node = el
        verdict = True
        while node is not None:
            known = self.seen.get(id(node))
            if known is not None:
                verdict = known[1]
                break
            chain.append(node)
            node = node.getparent()
        for n in reversed(chain):  # from the outermost unknown ancestor inwards
            verdict = verdict and (_tag(n) in ("html", "body") or self._visible(n, _tag(n)))
            self.seen[id(n)] = (n, verdict)
        return verdict

    # -- choosing what to read --------------------------------------------------------------------
    def read(self, root: El) -> tuple[Block, ...]:
        body = _body(root)
        result = self._read(root, body)
        if self.hidden_table and not any(isinstance(b, Grid) for b in result):
            # the report may sit in a container a script would show: a hidden table beats no table
            self.show_hidden = True
            self._reset()
            result = self._read(root, body)
        return result

    def _read(self, root: El, body: El) -> tuple[Block, ...]:
        article = self._article(body) if self.whole_page else body
        if article is not body:
            self.layout.update((id(a), a) for a in _ancestors(article) if _tag(a) == "table")
            for table in body.iter("table"):
                if id(table) not in self.layout and not _within(table, article) and self._shown(table):
                    article = _common_ancestor(article, table)  # a table outside the body widens it
        if self.whole_page:
            self._title(root)
            if article is not body:
                self._preamble(body, article)
        self._walk(article)
        self.prose.brk()
        self._flush_prose()
        blocks = self.blocks
        first, second = ([*blocks, None, None])[:2] if self.has_title else (None, None)
        if isinstance(first, Paragraph) and isinstance(second, Paragraph) and first.text == second.text:
            del blocks[0]  # the page <title> repeats the body's title line: keep the one in the body
        return tuple(blocks)

    def _article(self, body: El) -> El:
        """The article body: a known content container, else the densest text block, else ``<body>``."""
        found: dict[str, list[El]] = {}
        for el in _named(body):
            for name in _names(el.attrib):
                found.setdefault(name.lower(), []).append(el)
        for tag in ROOT_TAGS:
            found[f"<{tag}>"] = list(body.iter(tag))
        for key in (*ROOT_NAMES, *(f"<{tag}>" for tag in ROOT_TAGS)):
            for el in found.get(key, ()):
                if self._shown(el) and _chars(el, self, ROOT_MIN_CHARS) >= ROOT_MIN_CHARS:
                    return el
        return self._densest(body)

    def _densest(self, body: El) -> El:
        """The element whose own paragraphs (not its sub-containers) hold the most text, grown to its
        parent while it holds most of the parent's text: what it leaves out is then little (unmarked
        chrome), not a part of the article kept in a sibling container. ``body`` if nothing is dense."""
        order: list[El] = []
        own: dict[int, int] = {}  # visible characters directly in the element (its text, its children's tails)
        stack: list[El] = [body]
        while stack:
            el = stack.pop()
            if el is not body and not self._visible(el, _tag(el)):
                continue
            order.append(el)
            children = list(el)
            own[id(el)] = _count(el.text) + sum(_count(c.tail) for c in children)
            stack.extend(reversed(children))
        total = dict(own)
        for el in reversed(order):
            parent = el.getparent()
            if el is not body and parent is not None and id(parent) in total:
                total[id(parent)] += total[id(el)]
        best, best_score = body, 0
        for el in order:
            if _tag(el) not in _DENSE:
                continue
            score = own[id(el)] + sum(total.get(id(c), 0) for c in el if _tag(c) not in _CONTAINERS)
            if score > best_score:
                best, best_score = el, score
        if best_score < ROOT_MIN_CHARS:
            return body
        while best is not body:
            parent = best.getparent()
            if parent is None or id(parent) not in total or total[id(best)] < DENSE_SHARE * total[id(parent)]:
                break
            best = parent
        return best

    def _title(self, root: El) -> None:
        for el in root.iter("title", "body"):
            if _tag(el) == "title":
                lines = _Lines()
                self._text_into(el, lines, nested=None)
                lines.brk()
                self.blocks.extend(make_paragraph(t, make_origin(None, None, None, ln)) for t, ln in lines.lines[:1])
                self.has_title = bool(lines.lines)
            return

    def _preamble(self, body: El, article: El) -> None:
        """Headings before the article body (a report's title often sits just above its container)."""
        used: list[El] = []
        for el in body.iter():
            if el is article:
                return
            tag = _tag(el)
            if not (tag in HEADING or (tag in _TITLED and any(n.lower() in TITLE_NAMES for n in _names(el.attrib)))):
                continue
            if _within(article, el) or any(_within(el, u) for u in used) or not self._shown(el):
                continue
            used.append(el)
            lines = _Lines()
            self._text_into(el, lines, nested=None)
            lines.brk()
            self.blocks.extend(
                make_paragraph(t, make_origin(None, None, None, ln))
                for t, ln in lines.lines
                if len(t) <= TITLE_MAX_CHARS
            )

    # -- prose --------------------------------------------------------------------------------
    def _flush_prose(self) -> None:
        self.blocks.extend(make_paragraph(t, make_origin(None, None, None, ln)) for t, ln in self.prose.lines)
        self.prose.lines = []

    def _walk(self, start: El) -> None:
        """The article's prose into paragraphs; its tables into grids as they come."""

        def decide(el: El, tag: str) -> int:
            if not self._visible(el, tag):
                return _SKIP
            if tag == "table" and id(el) not in self.layout:
                self.prose.brk()
                if self._table(el):
                    return _TAKEN
                self.layout[id(el)] = el  # read as layout: its cells are prose
            return _DESCEND

        _walk_text(start, self.prose, decide)

    def _text_into(self, el: El, lines: _Lines, nested: list[El] | None) -> None:
        """The text of ``el`` into ``lines`` (blocks and ``<br>`` break lines); nested tables are
        collected into ``nested`` instead of read (``None``: skipped)."""
        if not len(el):  # a cell holding just text, the usual case
            if el.text:
                lines.text(el.text, el.sourceline)
            return

        def decide(node: El, tag: str) -> int:
            if tag in SKIP or (_visibility(node, tag, chrome=False) == HIDDEN and not self.show_hidden):
                return _SKIP
            if tag == "table":
                if nested is not None:
                    nested.append(node)
                lines.brk()
                return _TAKEN
            return _DESCEND

        _walk_text(el, lines, decide)

    # -- tables -------------------------------------------------------------------------------
    def _table(self, table: El) -> bool:
        """Emit ``table`` (and the tables nested in it, after it) as grids; ``False`` if it is layout."""
        pending = [table]
        first = True
        while pending:
            el = pending.pop(0)
            groups, captions, nested, layout = self._rows(el)
            if first:
                first = False
                if layout:
                    return False
            self._flush_prose()
            self.blocks.extend(make_paragraph(t, make_origin(None, None, None, ln)) for t, ln in captions)
            if any(groups):
                number = self.next_table
                self.next_table += 1
                self.blocks.append(expand_grid(groups, table=number, line=el.sourceline, budget=self.budget))
            pending[0:0] = nested  # preorder: a nested table's own nested tables come before its siblings
        return True

    def _rows(self, table: El) -> tuple[list[list[list[SpanCell]]], list[tuple[str, int | None]], list[El], bool]:
        """Row groups (``tfoot`` last, as drawn), caption lines, nested tables, and whether a cell
        holds prose rather than a label or a number (the table then lays the page out)."""
        heads: list[list[list[SpanCell]]] = []
        feet: list[list[list[SpanCell]]] = []
        captions: list[tuple[str, int | None]] = []
        nested: list[El] = []
        layout = False
        loose: list[list[SpanCell]] | None = None  # rows straight under the table form one group
        flat: list[tuple[list[list[SpanCell]], list[SpanCell]]] = []  # zero-high rows, and their groups
        new_tuple = tuple.__new__  # SpanCell's own __new__ is Python code
        stack: list[tuple[El, list[list[SpanCell]] | None, list[SpanCell] | None]] = [
            (c, None, None) for c in reversed(table)
        ]
        while stack:
            el, group, row = stack.pop()
            tag = _tag(el)
            keys = el.keys()
            if tag in ("colgroup", "col") or (
                (tag in SKIP or (keys and not _SEEN_KEYS.isdisjoint(keys)))
                and _visibility(el, tag, chrome=False) == HIDDEN
                and (tag in SKIP or not self.show_hidden)
            ):
                continue
            if tag == "table":
                nested.append(el)
                continue
            if tag == "caption":
                lines = _Lines()
                self._text_into(el, lines, nested)
                lines.brk()
                captions.extend(lines.lines)
                continue
            if tag in ("td", "th"):
                if row is None:  # a cell outside any row: a row of its own
                    row = []
                    if group is None:
                        loose = _loose_group(heads, loose)
                        group = loose
                    group.append(row)
                if len(el):
                    lines = _Lines()
                    before = len(nested)
                    self._text_into(el, lines, nested)
                    lines.brk()
                    text = "\n".join(t for t, _ in lines.lines)
                    layout = layout or (
                        len(lines.lines) > LAYOUT_CELL_LINES
                        or (len(nested) > before and len(text) > LAYOUT_NESTED_CHARS)
                    )
                else:  # a cell holding just text, the usual case
                    text = _clean(el.text) if el.text else ""
                layout = layout or len(text) > LAYOUT_CELL_CHARS
                colspan = html_span(el.get("colspan"), limit=1000, zero=False) if "colspan" in keys else 1
                rowspan = html_span(el.get("rowspan"), limit=65534, zero=True) if "rowspan" in keys else 1
                row.append(SpanCell(text, colspan, rowspan, el.sourceline))
                continue
            if tag in ("thead", "tbody", "tfoot"):
                new_group: list[list[SpanCell]] = []
                (feet if tag == "tfoot" else heads).append(new_group)
                loose = None
                stack.extend((c, new_group, None) for c in reversed(el))
                continue
            if tag == "tr":
                if group is None:
                    loose = _loose_group(heads, loose)
                    group = loose
                new_row: list[SpanCell] = []
                group.append(new_row)
                if keys and _zero_high(el, keys):
                    flat.append((group, new_row))
                # the usual row, cells holding just text, read here: the same as the loop below would
                # (a cell it leaves out is left out here too); the first other child hands the rest
                # of the row to the loop, in order
                children = list(el)
                for i, cell in enumerate(children):
                    ctag = cell.tag
                    if (ctag != "td" and ctag != "th") or len(cell):
                        stack.extend((c, group, new_row) for c in reversed(children[i:]))
                        break
                    keys = cell.keys()
                    if keys:
                        if not self.show_hidden and not _SEEN_KEYS.isdisjoint(keys):
                            if _PLAIN_CELL_KEYS.issuperset(keys):  # _visibility for a cell with just a style
                                style = cell.get("style") or ""
                                if ("none" in style or "hidden" in style) and _HIDDEN_STYLE.search(style):
                                    continue
                            elif _visibility(cell, ctag, chrome=False) == HIDDEN:
                                continue
                        colspan = html_span(cell.get("colspan"), limit=1000, zero=False) if "colspan" in keys else 1
                        rowspan = html_span(cell.get("rowspan"), limit=65534, zero=True) if "rowspan" in keys else 1
                    else:
                        colspan = rowspan = 1
                    text = cell.text
                    if text:
                        text = _clean(text)
                        if len(text) > LAYOUT_CELL_CHARS:
                            layout = True
                    else:
                        text = ""
                    new_row.append(new_tuple(SpanCell, (text, colspan, rowspan, cell.sourceline, False)))
                continue
            # any other element (a <form> or <div> wrapped round rows): look inside it
            stack.extend((c, group, row) for c in reversed(el))
        for group, flat_row in flat:
            # drawn zero high and holding nothing: not a row anyone sees (Word closes a table whose
            # columns do not line up with one, `<tr height=0>` in `<![if !supportMisalignedColumns]>`)
            if all(not c.text and c.colspan == 1 and c.rowspan == 1 for c in flat_row):
                group[:] = [r for r in group if r is not flat_row]
        return heads + feet, captions, nested, layout


_ZERO_HEIGHT_STYLE = re.compile(r"(?:^|;)\s*height\s*:\s*0(?:\.0*)?\s*(?:[a-z]+)?\s*(?:;|$)", re.IGNORECASE)


def _zero_high(row: El, keys: Any) -> bool:
    """Whether a ``<tr>`` is drawn zero high: ``height="0"`` or a style ``height: 0``."""
    if "height" in keys and html_span(row.get("height"), limit=1, zero=True) == 0:
        return True
    return "style" in keys and _ZERO_HEIGHT_STYLE.search(row.get("style") or "") is not None


_DENSE = frozenset(("div", "td", "section", "article", "main", "center", "form", "span", "font"))
_TITLED = frozenset(("div", "p", "td", "span", "strong", "header"))
_CONTAINERS = frozenset(("div", "table", "section", "article", "main", "ul", "ol", "dl", "form", "aside", "nav"))


_DESCEND, _SKIP, _TAKEN = 0, 1, 2  # what a walk does with an element: read inside, leave out, taken elsewhere


def _walk_text(start: El, lines: _Lines, decide: Callable[[El, str], int]) -> None:
    """The text under ``start`` into ``lines``: blocks and ``<br>`` end lines, ``<pre>`` keeps its line
    breaks, and ``decide`` says for each element below ``start`` whether to read inside it. An
    explicit stack: nesting depth costs no recursion."""
    stack: list[tuple[El, bool]] = [(start, False)]
    pre = 0
    while stack:
        el, closing = stack.pop()
        tag = _tag(el)
        if closing:
            if tag in BLOCK or tag == "br":
                lines.brk()
            if tag == "pre":
                pre -= 1
            if el is not start and el.tail:
                (lines.pre if pre else lines.text)(el.tail, el.sourceline)
            continue
        if el is not start and decide(el, tag) != _DESCEND:
            if el.tail:  # the text after a left-out element is still its parent's
                (lines.pre if pre else lines.text)(el.tail, el.sourceline)
            continue
        if tag in BLOCK or tag == "br":
            lines.brk()
        if tag == "pre":
            pre += 1
        if el.text:
            (lines.pre if pre else lines.text)(el.text, el.sourceline)
        stack.append((el, True))
        stack.extend((c, False) for c in reversed(el))


def _loose_group(groups: list[list[list[SpanCell]]], loose: list[list[SpanCell]] | None) -> list[list[SpanCell]]:
    if loose is None:
        loose = []
        groups.append(loose)
    return loose


def _count(text: str | None) -> int:
    """Characters of ``text`` that are not white space."""
    return len("".join(text.split())) if text else 0


def _within(el: El, container: El) -> bool:
    return el is container or any(a is container for a in _ancestors(el))


def _common_ancestor(a: El, b: El) -> El:
    chain = [a, *_ancestors(a)]
    for node in [b, *_ancestors(b)]:
        for c in chain:
            if c is node:
                return node
    return chain[-1]
