"""An element tree from the standard library's ``html.parser``, shaped like lxml's (tag, attributes,
``text``/``tail``, children, ``sourceline``), so that one walk reads both.

``html.parser`` only tokenises; the tree is built here with the HTML parsing rules that decide where
a report page's text and cells end up: void elements, a ``<p>`` closed by the next block, a cell closed
by the next cell or row, a row by the next row or row group, a table directly inside a table closing
it, end tags that match nothing ignored, and an end tag never closing anything past the table or
cell it is inside. What it leaves out (the adoption agency for misnested ``<b><p></b>``, foster
parenting of text inside a table) changes at most where a paragraph ends, never a cell's text.

It is iterative throughout (a tag stack, never recursion) and refuses elements nested deeper than
``max_depth``, like libxml2's limit of 256, so a hostile page cannot exhaust the Python stack or
memory through nesting.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

__all__ = ["Node", "TooDeep", "parse_html", "words"]


def words(names: str) -> frozenset[str]:
    """A set of tag or class names written as one space-separated string."""
    return frozenset(names.split())


VOID = words("area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr")
# start tags that end an open <p> (the spec's "close a p element" list)
CLOSES_P = words(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li listing main menu nav ol p pre section summary table ul dd dt xmp"
)
HEADINGS = words("h1 h2 h3 h4 h5 h6")
ROW_GROUPS = frozenset(("thead", "tbody", "tfoot"))
CELLS = frozenset(("td", "th"))
# an end tag never closes an element past one of these (the spec's "special" scope boundaries, simplified)
SCOPE = frozenset(("table", "td", "th", "caption", "html", "body", "template"))
# elements whose content is text, not markup (html.parser already does this for script and style)
RAW_TEXT = frozenset(("textarea", "xmp", "iframe", "noembed", "noframes"))
HEAD_CONTENT = frozenset(("title", "meta", "link", "style", "script", "base", "noscript", "template", "head"))


class Node:
    """One element: lxml's shape (``tag``, ``attrib``, ``text``, ``tail``, children, ``sourceline``)."""

    __slots__ = ("attrib", "children", "parent", "sourceline", "tag", "tail", "text")

    def __init__(self, tag: str, attrib: dict[str, str], sourceline: int | None, parent: Node | None) -> None:
        self.tag = tag
        self.attrib = attrib
        self.sourceline = sourceline
        self.parent = parent
        self.text: str | None = None
        self.tail: str | None = None
        self.children: list[Node] = []

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attrib.get(key, default)

    def keys(self) -> list[str]:
        return list(self.attrib)

    def getparent(self) -> Node | None:
        return self.parent

    def __iter__(self) -> Iterator[Node]:
        return iter(self.children)

    def __reversed__(self) -> Iterator[Node]:
        return reversed(self.children)

    def iter(self, *tags: str) -> Iterator[Node]:
        """This element and its descendants in document order (only ``tags`` if given), as lxml's."""
        stack = [self]
        while stack:
            node = stack.pop()
            if not tags or node.tag in tags:
                yield node
            stack.extend(reversed(node.children))

    def __len__(self) -> int:
        return len(self.children)

    def __repr__(self) -> str:
        return f"<{self.tag} line {self.sourceline}>"


class TooDeep(Exception):
    """The page nests elements deeper than the builder's limit."""


class _Builder(HTMLParser):
    def __init__(self, first_line: int, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.line_shift = first_line - 1  # not "offset": HTMLParser keeps its column there
        self.max_depth = max_depth
        self.root = Node("html", {}, first_line, None)
        self.stack: list[Node] = [self.root]

    # -- text ---------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        top = self.stack[-1]
        if top.children:
            last = top.children[-1]
            last.tail = data if last.tail is None else last.tail + data
        else:
            top.text = data if top.text is None else top.text + data

    # -- tags ---------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.root.attrib.update((k, v or "") for k, v in attrs)
            return
        if tag not in HEAD_CONTENT and any(n.tag == "head" for n in self.stack):
            self._close_through("head")  # the body's first element (or <body>) ends the head
        if tag in CELLS:
            self._close_in_table(CELLS, stop=frozenset(("tr", "table")))
            if self._open_in_table("table") and not self._open_in_table("tr"):
                self._push("tr", [])  # a cell without a row gets one, as browsers do
        elif tag == "tr":
            self._close_in_table(frozenset(("tr",)), stop=ROW_GROUPS | {"table"})
        elif tag in ROW_GROUPS:
            self._close_in_table(ROW_GROUPS, stop=frozenset(("table",)))
        elif tag == "table" and self._in_table_body():
            self._close_through("table")  # <table> straight inside a table (not in a cell) ends it
        if tag in CLOSES_P:
            self._close_p()
        if tag == "li":
            self._close_list_item(frozenset(("li",)), frozenset(("ul", "ol")))
        elif tag in ("dd", "dt"):
            self._close_list_item(frozenset(("dd", "dt")), frozenset(("dl",)))
        elif tag in HEADINGS and self.stack[-1].tag in HEADINGS:
            self.stack.pop()
        if tag in VOID:
            self._append(tag, attrs)
        else:
            self._push(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<div/>" is a start tag in HTML: the slash means nothing, only void elements end there
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # "</br>" is a line break to every browser
            self._append("br", [])
            return
        if tag in VOID or tag == "html":
            return
        if tag == "table":
            limit = frozenset(("html", "body", "template"))  # closes its open cells and rows with it
        elif tag in CELLS or tag in ROW_GROUPS or tag == "tr":
            limit = frozenset(("table",))
        else:
            limit = SCOPE
        for i in range(len(self.stack) - 1, 0, -1):
            node = self.stack[i]
            if node.tag == tag:
                del self.stack[i:]
                return
            if node.tag in limit:
                return  # matches nothing open in this scope: ignored, as browsers do

    # -- helpers --------------------------------------------------------------------------------
    def _line(self) -> int:
        return self.getpos()[0] + self.line_shift

    def _node(self, tag: str, attrs: list[tuple[str, str | None]]) -> Node:
        parent = self.stack[-1]
        node = Node(tag, {k: v or "" for k, v in attrs}, self._line(), parent)
        parent.children.append(node)
        return node

    def _append(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._node(tag, attrs)

    def _push(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.stack) > self.max_depth:
            raise TooDeep(f"elements nested deeper than {self.max_depth} levels at line {self._line()}")
        self.stack.append(self._node(tag, attrs))
        if tag in RAW_TEXT:
            self.set_cdata_mode(tag)

    def _open_in_table(self, tag: str) -> bool:
        for node in reversed(self.stack):
            if node.tag == tag:
                return True
            if node.tag == "table":
                return False
        return False

    def _in_table_body(self) -> bool:
        """Whether the insertion point is a table's own structure (table/row group/row), not a cell."""
        for node in reversed(self.stack):
            if node.tag in ("table", "thead", "tbody", "tfoot", "tr"):
                return True
            if node.tag in CELLS or node.tag == "caption":
                return False
        return False

    def _close_in_table(self, tags: frozenset[str], *, stop: frozenset[str]) -> None:
        """Close the innermost open element of ``tags`` unless a ``stop`` element (or the table) comes first."""
        for i in range(len(self.stack) - 1, 0, -1):
            node = self.stack[i]
            if node.tag in tags:
                del self.stack[i:]
                return
            if node.tag in stop or node.tag == "table":
                return

    def _close_through(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def _close_p(self) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            node = self.stack[i]
            if node.tag == "p":
                del self.stack[i:]
                return
            if node.tag in SCOPE or node.tag == "button":
                return

    def _close_list_item(self, items: frozenset[str], lists: frozenset[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            node = self.stack[i]
            if node.tag in items:
                del self.stack[i:]
                return
            if node.tag in lists or node.tag in SCOPE:
                return


def parse_html(text: str, *, first_line: int = 1, max_depth: int = 256) -> Node:
    """The element tree of ``text`` (a whole page or a fragment), rooted at an ``html`` node.

    Raises :class:`TooDeep` when elements nest deeper than ``max_depth``.
    """
    builder = _Builder(first_line, max_depth)
    builder.feed(text)
    builder.close()
    return builder.root
