"""The styles part read one style at a time (sources._styles.StyleIndex) gives what parsing it whole gives.

The class of input: every way a ``word/styles.xml`` can be written that changes where its bytes put a
style — the prefix of the WordprocessingML namespace (or none: the default namespace), quotes,
self-closing styles, styles without an id, repeated ids, ids with entities or outside ASCII, end tags
with spaces, comments, CDATA and processing instructions that may hold tag-like text, a BOM, declared
encodings (UTF-16 among them), other namespaces on the root and the styles. For each drawn part the
index must hold the same ids in the same order, and each id the same element, as the dict built from
the whole parsed part (which is what the numbering used before).
"""

from __future__ import annotations

import pytest

pytest.importorskip("lxml")

from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from govreport.sources._styles import StyleIndex

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True))


def whole(data: bytes) -> dict[str, etree._Element]:
    root = parse(data)
    return {str(s.get(f"{{{W}}}styleId")): s for s in root.iter(f"{{{W}}}style")}


def signature(el: etree._Element) -> list[object]:
    return [(e.tag, sorted(e.attrib.items()), (e.text or "").strip()) for e in el.iter() if isinstance(e.tag, str)]


ids = st.sampled_from(["Normal", "Heading1", "a", "标题1", "x-y.z", "A&amp;B", "None", "Heading1"])


@st.composite
def styles_parts(draw: st.DrawFn) -> bytes:
    prefix = draw(st.sampled_from(["w", "ns0", "x", ""]))  # "" = the default namespace
    q = draw(st.sampled_from(['"', "'"]))
    p = f"{prefix}:" if prefix else ""
    declarations = f" xmlns{':' + prefix if prefix else ''}={q}{W}{q}"
    if draw(st.booleans()):
        declarations = f" xmlns:w14={q}{W14}{q}" + declarations
    styles = []
    for _ in range(draw(st.integers(0, 6))):
        sid = draw(st.one_of(st.none(), ids))
        attrs = f" {p}type={q}paragraph{q}" + (f" {p}styleId={q}{sid}{q}" if sid is not None else "")
        if draw(st.booleans()):
            attrs = f" w14:x={q}1{q}" + attrs if "w14" in declarations else attrs
        space = draw(st.sampled_from(["", " ", "\n  "]))
        if draw(st.integers(0, 5)) == 0:
            styles.append(f"<{p}style{attrs}{space}/>")
            continue
        inner = ""
        if draw(st.booleans()):
            inner += f"<{p}basedOn {p}val={q}{draw(ids)}{q}/>"
        if draw(st.booleans()):
            inner += f"<{p}pPr><{p}numPr><{p}ilvl {p}val={q}{draw(st.integers(0, 3))}{q}/>"
            inner += f"<{p}numId {p}val={q}{draw(st.integers(0, 9))}{q}/></{p}numPr></{p}pPr>"
        if draw(st.integers(0, 6)) == 0:
            inner += f"<{p}name {p}val={q}a &gt; b{q}/>"
        if draw(st.integers(0, 8)) == 0:
            inner += f"<!-- <{p}style {p}styleId={q}Hidden{q}> -->"
        if draw(st.integers(0, 8)) == 0:
            inner += f"<{p}rPr><![CDATA[<{p}style {p}styleId='Ghost'/>]]></{p}rPr>"
        if draw(st.integers(0, 8)) == 0:
            inner += f"<?pi <{p}style {p}styleId='Pi'/> ?>"
        close_space = " " if draw(st.integers(0, 6)) == 0 else ""
        styles.append(f"<{p}style{attrs}{space}>{inner}</{p}style{close_space}>")
    between = draw(
        st.sampled_from(["", "\n", f"<{p}latentStyles><{p}lsdException {p}name={q}x{q}/></{p}latentStyles>"])
    )
    body = f"<{p}styles{declarations}>{between}" + "".join(styles) + f"</{p}styles>"
    encoding = draw(st.sampled_from(["none", "utf-8", "UTF-8", "utf-16", "bom"]))
    if encoding == "none":
        return body.encode()
    if encoding == "bom":
        return b"\xef\xbb\xbf" + f"<?xml version='1.0' encoding='UTF-8'?>\n{body}".encode()
    if encoding == "utf-16":
        return f'<?xml version="1.0" encoding="UTF-16"?>{body}'.encode("utf-16")
    return f"<?xml version={q}1.0{q} encoding={q}{encoding}{q} standalone={q}yes{q}?>\n{body}".encode()


@given(styles_parts())
def test_the_index_holds_what_the_whole_part_holds(data: bytes) -> None:
    expected = whole(data)
    index = StyleIndex(data, W, parse)
    event("read whole" if index._whole is not None else "read by style")  # both paths are drawn
    assert list(index) == list(expected)
    assert len(index) == len(expected)
    for sid, el in expected.items():
        assert sid in index
        assert signature(index[sid]) == signature(el)
    assert "NoSuchStyle" not in index


def test_the_usual_part_is_not_parsed_whole() -> None:
    data = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
        '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>'
    ).encode()
    parsed: list[bytes] = []

    def counting(b: bytes) -> etree._Element:
        parsed.append(b)
        return parse(b)

    index = StyleIndex(data, W, counting)
    assert parsed == []  # nothing parsed until a style is asked for
    assert index["Heading1"].find(f"{{{W}}}basedOn").get(f"{{{W}}}val") == "Normal"
    assert len(parsed) == 1 and parsed[0].count(b"<w:style") == 1  # that style's element alone
    assert b"Heading1" in parsed[0]


def test_a_malformed_style_is_the_parsers_error() -> None:
    from govreport.errors import InputError

    data = f'<w:styles xmlns:w="{W}"><w:style w:styleId="A"><w:pPr></w:style></w:styles>'.encode()

    def strict(b: bytes) -> etree._Element:
        try:
            return parse(b)
        except etree.XMLSyntaxError as e:
            raise InputError(f"styles.xml is not well-formed XML: {e}") from None

    index = StyleIndex(data, W, strict)
    with pytest.raises(InputError, match="not well-formed"):
        index["A"]
