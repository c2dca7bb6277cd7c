"""What the PDF reader takes from PDFium: every character with its box, and every ruling line.

Only this module touches ``pypdfium2``; :mod:`._pdflayout` does the geometry on plain tuples, so it
can be tested without a PDF. Everything here is in PDF points with the origin at the page's top-left
corner (PDF's own origin is the bottom-left, and a page may be rotated or cropped).

Speed matters (the reader's budget is twice the cost of PDFium reading the characters and their
boxes), so the loops call the raw ``FPDF*`` functions through ctypes with the argument objects made
once, rather than the per-call wrappers of the helper classes.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["Char", "PageContent", "Seg", "read_page"]

Char = tuple[str, float, float, float, float]
"""``(text, x0, top, x1, bottom)``: one character and its loose box (the font's full height)."""

Seg = tuple[float, float, float]
"""A ruling line: ``(y, x0, x1)`` when horizontal, ``(x, top, bottom)`` when vertical."""

# White space carries no position worth keeping: PDFium generates spaces and line breaks from the
# gaps it sees, and the layout decides spacing from the boxes itself (a real space glyph leaves the
# same gap). Skipping them also saves a box call for every generated character.
_SKIP = frozenset(" \t\r\n\x00\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff")

# A filled shape no wider than this (points) is drawn as a line: Word, WPS and browsers paint cell
# borders as thin filled rectangles rather than stroked paths.
_THIN = 3.0
# Bounded work on hostile content: form XObjects nest at most this deep, and a page with more
# drawing objects than this keeps the rulings found so far (the text is still read in full).
_MAX_FORM_DEPTH = 8
_MAX_OBJECTS = 100_000


class PageContent(NamedTuple):
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    hsegs: list[Seg]
    vsegs: list[Seg]
    images: int  # image objects drawn on the page (tells a scan from an empty page)


Transform = Callable[[float, float], tuple[float, float]]


def page_transform(page: Any, raw: Any) -> tuple[float, float, Transform]:
    """The page's displayed size and the map from PDF user space to top-left display points."""
    x0, y0, x1, y1 = page.get_bbox()  # crop box clipped to the media box
    rotation = raw.FPDFPage_GetRotation(page.raw) % 4
    w, h = x1 - x0, y1 - y0
    if rotation == 0:
        return w, h, lambda x, y: (x - x0, y1 - y)
    if rotation == 1:  # 90° clockwise: the left edge becomes the top
        return h, w, lambda x, y: (y - y0, x - x0)
    if rotation == 2:
        return w, h, lambda x, y: (x1 - x, y - y0)
    return h, w, lambda x, y: (y1 - y, x1 - x)


_V, _I = ctypes.c_void_p, ctypes.c_int
# The functions called once per character or per page object, declared again with plain pointers:
# pypdfium2's bindings return a typed pointer object from every handle-returning call and check
# every argument's type, which costs more than the call itself. Same library, same functions.
_FAST = {
    "FPDFText_GetLooseCharBox": (_I, _V, _I, _V),
    "FPDFPage_CountObjects": (_I, _V),
    "FPDFPage_GetObject": (_V, _V, _I),
    "FPDFPageObj_GetType": (_I, _V),
    "FPDFFormObj_CountObjects": (_I, _V),
    "FPDFFormObj_GetObject": (_V, _V, ctypes.c_ulong),
    "FPDFPageObj_GetMatrix": (_I, _V, _V),
    "FPDFPageObj_GetStrokeColor": (_I, _V, _V, _V, _V, _V),
    "FPDFPageObj_GetFillColor": (_I, _V, _V, _V, _V, _V),
    "FPDFPath_GetDrawMode": (_I, _V, _V, _V),
    "FPDFPageObj_GetBounds": (_I, _V, _V, _V, _V, _V),
    "FPDFPath_CountSegments": (_I, _V),
    "FPDFPath_GetPathSegment": (_V, _V, _I),
    "FPDFPathSegment_GetPoint": (_I, _V, _V, _V),
    "FPDFPathSegment_GetType": (_I, _V),
    "FPDFPathSegment_GetClose": (_I, _V),
}


class _Api:
    """``pypdfium2.raw`` with the functions of ``_FAST`` redeclared (constants and the rest as they are).

    Falls back to the bindings themselves where their library handle is not to be had (another
    pypdfium2 layout): slower, the same results.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        try:
            from pypdfium2_raw import bindings

            lib = bindings._libs["pdfium"]
        except (ImportError, AttributeError, KeyError, TypeError):
            return
        for name, (restype, *argtypes) in _FAST.items():
            try:
                fn = lib[name]  # a new function object: the bindings' own stays as it was
            except (AttributeError, KeyError):
                continue
            fn.restype, fn.argtypes = restype, argtypes
            setattr(self, name, fn)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


_APIS: dict[int, _Api] = {}


def api(raw: Any) -> Any:
    """The fast declarations for this ``pypdfium2.raw`` module, made once."""
    found = _APIS.get(id(raw))
    if found is None:
        found = _APIS[id(raw)] = _Api(raw)
    return found


def read_page(page: Any, number: int, raw: Any, max_chars: int) -> PageContent:
    """Read one page's characters and ruling lines. Raises ``OverflowError`` past ``max_chars``."""
    fast = api(raw)
    width, height, tf = page_transform(page, raw)
    upright = raw.FPDFPage_GetRotation(page.raw) % 4 == 0
    x_off, y_top = page.get_bbox()[0], page.get_bbox()[3]
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage.raw, fast, max_chars, (x_off, y_top) if upright else None, tf)
    finally:
        textpage.close()
    hsegs: list[Seg] = []
    vsegs: list[Seg] = []
    images = _rulings(page, fast, tf, hsegs, vsegs)
    return PageContent(number, width, height, chars, hsegs, vsegs, images)


def _page_text(tp: Any, raw: Any, n: int) -> str:
    """The page's characters as one string with one Python character per PDFium index."""
    # Room for a surrogate pair at every index: PDFium writes UTF-16, one or two units per index.
    buf = (ctypes.c_ushort * (2 * n + 1))()
    raw.FPDFText_GetText(tp, 0, n, buf)
    text = bytes(buf).decode("utf-16-le", "replace")
    end = text.find("\x00")
    text = text if end < 0 else text[:end]
    if len(text) != n:  # an index without text, or a lone surrogate: ask per index
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 0xFFFD) for i in range(n))
    return text


def _chars(tp: Any, raw: Any, max_chars: int, upright: tuple[float, float] | None, tf: Transform) -> list[Char]:
    n = raw.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    if n > max_chars:
        raise OverflowError(n)
    text = _page_text(tp, raw, n)
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    box = raw.FPDFText_GetLooseCharBox
    skip = _SKIP
    out: list[Char] = []
    add = out.append
    if upright is not None:  # the common case, inlined: no rotation, one subtraction per coordinate
        dx, ytop = upright
        for i, ch in enumerate(text):
            if ch in skip or not box(tp, i, ref):
                continue
            add((ch, rect.left - dx, ytop - rect.top, rect.right - dx, ytop - rect.bottom))
        return out
    for i, ch in enumerate(text):
        if ch in skip or not box(tp, i, ref):
            continue
        ax, ay = tf(rect.left, rect.top)
        bx, by = tf(rect.right, rect.bottom)
        add((ch, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    return out


class _Ctx:
    """What the walk over a page's objects shares: the output lists, a budget, reusable ctypes."""

    def __init__(self, raw: Any, tf: Transform, hsegs: list[Seg], vsegs: list[Seg]) -> None:
        self.raw, self.tf, self.hsegs, self.vsegs = raw, tf, hsegs, vsegs
        self.budget = _MAX_OBJECTS
        self.images = 0
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.mode_refs = (ctypes.byref(self.fill), ctypes.byref(self.stroke))
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.rgba_refs = [ctypes.byref(v) for v in self.rgba]
        self.bounds = [ctypes.c_float() for _ in range(4)]
        self.bounds_refs = [ctypes.byref(v) for v in self.bounds]


def _rulings(page: Any, raw: Any, tf: Transform, hsegs: list[Seg], vsegs: list[Seg]) -> int:
    ctx = _Ctx(raw, tf, hsegs, vsegs)
    _objects(ctx, page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, None, 0)
    return ctx.images


Matrix = tuple[float, float, float, float, float, float]


def _compose(m: Matrix, parent: Matrix) -> Matrix:
    """``m`` then ``parent`` (PDF row-vector convention: ``[x y 1] · m · parent``)."""
    a, b, c, d, e, f = m
    pa, pb, pc, pd, pe, pf = parent
    return (
        a * pa + b * pc,
        a * pb + b * pd,
        c * pa + d * pc,
        c * pb + d * pd,
        e * pa + f * pc + pe,
        e * pb + f * pd + pf,
    )


def _objects(ctx: _Ctx, owner: Any, count: Any, get: Any, parent: Matrix | None, depth: int) -> None:
    """Paths anywhere among the objects of ``owner`` (a page, or a form XObject in ``parent``'s space)."""
    raw = ctx.raw
    path_kind, image_kind, form_kind = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
    get_type = raw.FPDFPageObj_GetType
    n = min(max(count(owner), 0), ctx.budget)
    ctx.budget -= n
    for i in range(n):
        obj = get(owner, i)
        kind = get_type(obj)
        if kind == path_kind:
            _path(ctx, obj, parent)
        elif kind == image_kind:
            ctx.images += 1
        elif kind == form_kind and depth < _MAX_FORM_DEPTH and ctx.budget > 0:
            m = _matrix(raw, obj)
            m = m if parent is None else _compose(m, parent)
            _objects(ctx, obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, m, depth + 1)


def _matrix(raw: Any, obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _invisible(ctx: _Ctx, obj: Any, stroke: bool) -> bool:
    """White or fully transparent paint: a hidden border is no ruling line."""
    raw = ctx.raw
    get = raw.FPDFPageObj_GetStrokeColor if stroke else raw.FPDFPageObj_GetFillColor
    if not get(obj, *ctx.rgba_refs):
        return False
    r, g, b, a = (v.value for v in ctx.rgba)
    return a == 0 or min(r, g, b) >= 250


def _path(ctx: _Ctx, obj: Any, parent: Matrix | None) -> None:
    raw = ctx.raw
    if not raw.FPDFPath_GetDrawMode(obj, *ctx.mode_refs):
        return
    stroked = bool(ctx.stroke.value)
    if not stroked and not ctx.fill.value:
        return  # a clipping or invisible path
    if _invisible(ctx, obj, stroked):
        return
    if parent is None and raw.FPDFPageObj_GetBounds(obj, *ctx.bounds_refs):
        # most rulings are one thin object each (a stroked line, a thin filled rectangle): its
        # bounds, already in page space, are the line, without walking the segments
        left, bottom, right, top = (v.value for v in ctx.bounds)
        if right - left <= _THIN or top - bottom <= _THIN:
            ax, ay = ctx.tf(left, top)
            bx, by = ctx.tf(right, bottom)
            _filled_line([(ax, ay), (bx, by)], ctx.hsegs, ctx.vsegs)
            return
    m = _matrix(raw, obj)
    a, b, c, d, e, f = m if parent is None else _compose(m, parent)
    tf = ctx.tf
    x, y = ctypes.c_float(), ctypes.c_float()
    rx, ry = ctypes.byref(x), ctypes.byref(y)
    subpaths: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    closed: list[bool] = []
    n = raw.FPDFPath_CountSegments(obj)
    for i in range(min(n, 10_000)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(seg, rx, ry):
            continue
        kind = raw.FPDFPathSegment_GetType(seg)
        pt = tf(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO or not cur:
            if len(cur) > 1:
                subpaths.append(cur)
                closed.append(False)
            cur = [pt]
        elif kind == raw.FPDF_SEGMENT_LINETO:
            cur.append(pt)
        else:  # a curve ends the straight run: keep what came before, restart at its end
            if len(cur) > 1:
                subpaths.append(cur)
                closed.append(False)
            cur = [pt]
        if raw.FPDFPathSegment_GetClose(seg) and len(cur) > 1:
            subpaths.append(cur)
            closed.append(True)
            cur = [cur[0]]
    if len(cur) > 1:
        subpaths.append(cur)
        closed.append(False)
    for pts, is_closed in zip(subpaths, closed, strict=False):
        if stroked:
            _stroked_edges(pts, is_closed, ctx.hsegs, ctx.vsegs)
        else:
            _filled_line(pts, ctx.hsegs, ctx.vsegs)


def _stroked_edges(pts: list[tuple[float, float]], closed: bool, hsegs: list[Seg], vsegs: list[Seg]) -> None:
    """Every axis-parallel edge of a stroked run is a ruling line (a stroked rectangle gives four)."""
    if closed and pts[0] != pts[-1]:
        pts = [*pts, pts[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if abs(y1 - y0) <= 0.5 and abs(x1 - x0) > 0.5:
            hsegs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) > 0.5:
            vsegs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _filled_line(pts: list[tuple[float, float]], hsegs: list[Seg], vsegs: list[Seg]) -> None:
    """A thin filled rectangle is a line along its long side; a wide one (shading) is no ruling."""
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = x1 - x0, y1 - y0
    if h <= _THIN and w > h:
        hsegs.append(((y0 + y1) / 2, x0, x1))
    elif w <= _THIN and h > w:
        vsegs.append(((x0 + x1) / 2, y0, y1))
