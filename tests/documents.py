"""Test utility: a Document rendered as tab-separated text, to check the document readers end to end
before (and independently of) the pipeline's own integration of documents.

Each Paragraph is a line; each grid row is a line of its ANCHOR cells' texts joined by TAB, positions
a merged cell covers left as empty fields (as a browser's copy of a table writes them), a cell's line
breaks joined without a space (they only wrap Chinese labels).
"""

from __future__ import annotations

from typing import Any

import govreport
from govreport import Report
from govreport.sources.document import Document, Grid, Paragraph

from .truthdata import contract_mismatches


def document_text(doc: Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text.replace("\t", " "))
        elif isinstance(block, Grid):
            lines.append("")
            for row in block.rows:
                lines.append("\t".join(c.text.replace("\n", "").replace("\t", " ") if c.anchor else "" for c in row))
            lines.append("")
    return "\n".join(lines) + "\n"


def document_report(doc: Document) -> Report:
    return govreport.loads(document_text(doc), parser="tab")


def document_mismatches(doc: Document, truth: dict[str, Any]) -> list[str]:
    """Every cell (and organ/year/template) where the document, read through the tab parser, differs."""
    return contract_mismatches(govreport.to_dict(document_report(doc)), truth)


def grid_texts(doc: Document) -> list[list[list[str]]]:
    """Every grid as rows of cell texts (covered positions repeat their anchor's text)."""
    return [[[c.text for c in row] for row in g.rows] for g in doc.grids()]
