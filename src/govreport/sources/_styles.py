"""Word's paragraph styles (``word/styles.xml``), each parsed from the part's bytes when first asked for.

A paragraph's automatic number may come from its style (``w:pStyle`` → ``w:style`` → ``w:pPr/w:numPr``,
through ``w:basedOn``), so the numbering needs a few styles of a part that holds ~160 of them and is
often several times the size of the document itself (python-docx's template: 350 KB, ≈4 ms of lxml,
more than parsing ``document.xml``). :class:`StyleIndex` finds every ``<w:style>`` start tag in the
bytes with one regular expression and parses one style's element, with the root's namespace
declarations, when a paragraph first names it. Whenever the bytes are not plainly that shape — not
UTF-8, the WordprocessingML namespace under no prefix of the root, a comment, CDATA or processing
instruction that could hide a tag, an entity in a style id, a fragment that does not parse as the
style it was found as — it parses the whole part instead, which gives the same elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import InputError

__all__ = ["StyleIndex"]

El = Any

_NAME = rb"[A-Za-z_][\w.\-]*"
_ATTRIBUTES = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*"
_ROOT = re.compile(rb"<(" + _NAME + rb")(?::(" + _NAME + rb"))?(" + _ATTRIBUTES + rb")\s*/?>")
_XML_DECLARATION = re.compile(rb"<\?xml[^>]*?(?:encoding\s*=\s*[\"']([^\"']*)[\"'])?[^>]*\?>")
_DECLARATION = re.compile(rb"\sxmlns(?::(" + _NAME + rb"))?\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


class StyleIndex(Mapping[str, El]):
    """The ``w:style`` elements of a styles part by ``w:styleId`` (the last of a repeated id, as the
    whole part's elements in a dict built in document order would keep it).

    ``parse`` turns bytes into an lxml element (the reader's safe XML parser, raising its
    :class:`~govreport.errors.InputError` for malformed XML); ``raw`` is the whole part.
    """

    def __init__(self, raw: bytes, ns: str, parse: Callable[[bytes], El]) -> None:
        # without a UTF-8 BOM the scan's offsets and the parser see the same bytes (lxml reads both)
        self._raw = raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        self._w = f"{{{ns}}}"
        self._parse = parse
        self._parsed: dict[str, El] = {}
        self._whole: dict[str, El] | None = None
        found = _scan(raw, ns)
        if found is None:
            self._whole = self._all()
            self._spans: dict[str, tuple[int, int]] = {}
        else:
            self._spans, self._declarations, self._prefix = found

    def _all(self) -> dict[str, El]:
        root = self._parse(self._raw)
        style_id = self._w + "styleId"
        return {str(style.get(style_id)): style for style in root.iter(self._w + "style")}

    def _element(self, style_id: str) -> El:
        start, end = self._spans[style_id]
        prefix = self._prefix
        fragment = self._raw[start:end]
        opening = b"<" + prefix + b":style"
        try:
            el = self._parse(opening + self._declarations + fragment[len(opening) :])
        except InputError:  # a declaration the style repeats, a prefix it declares itself: read it all
            el = None
        if el is None or el.tag != self._w + "style" or el.get(self._w + "styleId") != style_id:
            self._whole = self._all()
            return self._whole[style_id]
        return el

    def __getitem__(self, style_id: str) -> El:
        if self._whole is not None:
            return self._whole[style_id]
        el = self._parsed.get(style_id)
        if el is None:
            el = self._parsed[style_id] = self._element(style_id)
        return el

    def __contains__(self, style_id: object) -> bool:
        return style_id in (self._whole if self._whole is not None else self._spans)

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole if self._whole is not None else self._spans)

    def __len__(self) -> int:
        return len(self._whole if self._whole is not None else self._spans)


def _scan(raw: bytes, ns: str) -> tuple[dict[str, tuple[int, int]], bytes, bytes] | None:
    """Each style id's ``(start, end)`` in ``raw``, the root's namespace declarations and the
    prefix of ``ns``; None where the bytes are not plainly that shape."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:256]:
        return None  # UTF-16 (or worse): the byte patterns below would not see its tags
    declared = _XML_DECLARATION.match(raw)
    if declared is not None and (declared.group(1) or b"utf-8").lower() not in (b"utf-8", b"utf8"):
        return None  # another declared encoding: the ids' bytes would not be UTF-8
    # past the XML declaration, nothing that can hold text looking like a tag: no comment, CDATA or
    # DTD (each starts "<!") and no processing instruction ("<?"); found by memchr for the rare byte,
    # since a search for "<…" stops at every tag
    after = declared.end() if declared is not None else 0
    if raw.find(b"!", after) >= 0 and b"<!" in raw:
        return None
    if raw.find(b"?", after) >= 0 and raw.find(b"<?", after) >= 0:
        return None
    root = _ROOT.search(raw, after)
    if root is None:
        return None
    attributes = root.group(3)
    bound = [m.group(1) for m in _DECLARATION.finditer(attributes) if (m.group(2) or m.group(3) or "") == ns.encode()]
    if len(bound) != 1 or not bound[0]:
        return None  # the namespace as the default one, twice, or not at all: parse it whole
    prefix = bound[0]
    declarations = b"".join(m.group(0) for m in _DECLARATION.finditer(attributes))
    opening = b"<" + prefix + b":style"
    tag = re.compile(re.escape(opening) + b"(" + _ATTRIBUTES + rb")\s*(/?)>")
    style_id = re.compile(rb"\s" + re.escape(prefix) + rb":styleId\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
    closing = b"</" + prefix + b":style>"
    starts = []
    i = raw.find(opening)
    while i >= 0:
        if raw[i + len(opening) : i + len(opening) + 1] in (b" ", b"\t", b"\r", b"\n", b"/", b">"):
            starts.append(i)  # not <w:styles> or <w:styleX>
        i = raw.find(opening, i + len(opening))
    spans: dict[str, tuple[int, int]] = {}
    for k, start in enumerate(starts):
        m = tag.match(raw, start)
        if m is None:
            return None  # a start tag this pattern does not read: the parser will
        if m.group(2):
            end = m.end()
        else:
            # styles do not nest and every start tag is in `starts`: the style's end tag is the last
            # one before the next style begins (searched backwards from there: a few bytes away)
            limit = starts[k + 1] if k + 1 < len(starts) else len(raw)
            close = raw.rfind(closing, m.end(), limit)
            if close < 0:
                return None  # "</w:style >" or no end: the parser decides
            end = close + len(closing)
        ident = style_id.search(m.group(1))
        # a style without an id is keyed "None", as str(None) keyed it in the whole part's dict
        value = b"None" if ident is None else ident.group(1) if ident.group(1) is not None else ident.group(2)
        if b"&" in value:
            return None  # an entity in the id: let the parser decode it
        try:
            spans[value.decode("utf-8")] = (start, end)
        except UnicodeDecodeError:
            return None
    return spans, declarations, prefix
