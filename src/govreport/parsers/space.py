"""Space-separated text (pdftotext, pdfplumber, browser text): seeds 000 and 003."""

from __future__ import annotations

from ..text.normalise import NormText
from ..text.sections import Layout
from ._base import GrammarParser
from ._shapes import spaced_cells, table_share


class SpaceParser(GrammarParser):
    name = "space"
    layout = "space"
    priority = 100
    description = "space-separated PDF or browser text, one table row per line"
    grammar = "space"

    def detect(self, doc: NormText, layout: Layout) -> float:
        share = table_share(doc, layout, spaced_cells)
        return min(1.0, share * 2.5)
