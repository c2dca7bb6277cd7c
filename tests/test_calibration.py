"""Each built-in parser wins its own layout, by a clear detect margin where the layout has a line shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import govreport
from govreport.parsers.column_blocks import ColumnBlocksParser
from govreport.text.normalise import normalise
from govreport.text.sections import find_sections

from .conftest import corpus_cases, seed_files

SEED_PARSER = {"000": "space", "001": "word_cells", "002": "tab", "003": "space", "004": "tab"}
CHAIN_PARSER = {
    "docx>lo-pdf>pdftotext-layout": "space",
    "docx>lo-pdf>pdftotext-raw": "space",
    "docx>lo-pdf>pdfplumber": "space",
    "docx>pandoc>plain": "space",
    "docx>pandoc>markdown-pipe": "markdown",
    "docx>mammoth>markdownify": "markdown",
    "html>html2text": "markdown",
    "html>tsv-copy": "tab",
    "html>chromium-innertext": "tab",
    "html>lynx-dump": "space",
}
# Layouts with one cell per line (or columns printed as blocks) have no line shape to detect: the
# ranking decides by cells read, so only the winner is asserted for them.
SHAPELESS = {
    "docx>lo>txt": "space",
    "docx>docx2python": "space",
    "docx>docx2python-nodup": "space",
    "docx>lo-pdf>pdftotext": "columns",
    "html>chromium-print>pdftotext": "columns",
}
MARGIN = 0.3
BUILTIN = {"space", "tab", "markdown", "word_cells", "box", "columns"}


def _cases() -> list[object]:
    out: list[object] = [pytest.param(p, SEED_PARSER[p.name[:3]], True, id=f"seed{p.name[:3]}") for p in seed_files()]
    for case in corpus_cases():
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        chain = meta.get("chain")
        path = case / meta.get("input_file", "input.txt")
        if chain in CHAIN_PARSER:
            out.append(pytest.param(path, CHAIN_PARSER[chain], True, id=f"{case.name}-{chain}"))
        elif chain in SHAPELESS:
            out.append(pytest.param(path, SHAPELESS[chain], False, id=f"{case.name}-{chain}"))
    return out


@pytest.mark.parametrize(("path", "expected", "shaped"), _cases())
def test_own_layout_wins(path: Path, expected: str, shaped: bool) -> None:
    exp = govreport.explain(path)
    best = exp.candidates[0]
    assert best.parser == expected, [(c.parser, c.detect, c.filled_share) for c in exp.candidates]
    assert govreport.load(path).source.parser == expected
    if shaped:
        mine = best.detect
        others = [c.detect for c in exp.candidates if c.parser in BUILTIN and c.parser != expected]
        assert mine >= 0.5
        assert mine - max(others) >= MARGIN, [(c.parser, c.detect) for c in exp.candidates]


def test_w3m_box_or_space() -> None:
    """w3m draws box rules only when the table has borders; either way the matching parser wins."""
    seen = set()
    for case in corpus_cases():
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        if meta.get("chain") != "html>w3m-dump":
            continue
        exp = govreport.explain(case / "input.txt")
        boxed = any(ch in (case / "input.txt").read_text(encoding="utf-8") for ch in "│┃┼")
        assert exp.candidates[0].parser == ("box" if boxed else "space")
        seen.add(exp.candidates[0].parser)
    assert seen


def test_column_blocks_detect_only_its_own_layout() -> None:
    """pdftotext without -layout (column blocks) scores high on its own chains and 0 on every other
    layout, so the columns parser is never tried on text the other parsers read."""
    own = {"docx>lo-pdf>pdftotext", "html>chromium-print>pdftotext"}
    parser = ColumnBlocksParser()
    inputs: list[tuple[Path, object]] = [(p, None) for p in seed_files()]
    for case in corpus_cases():
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        inputs.append((case / meta.get("input_file", "input.txt"), meta.get("chain")))
    for path, chain in inputs:
        doc = normalise(path.read_text(encoding="utf-8"))
        score = parser.detect(doc, find_sections(doc))
        assert (score >= 0.5) if chain in own else (score == 0.0), (path, chain, score)
