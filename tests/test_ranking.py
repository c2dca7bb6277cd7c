"""``loads`` stops detecting once a parser that detects with full confidence reads everything:
the report must be the one the full ranking (every detect first) would have chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

import govreport
from govreport import TemplateVersion, _api
from govreport._api import SHORTLIST, Candidate, _attempt, _complete, _prepare, _safe_detect
from govreport.export import convert
from govreport.registry import list_parsers
from govreport.testing import report_texts

from .conftest import all_inputs, input_id
from .property._quick import quick_report


def _ranked_after_every_detect(prep: _api._Prepared) -> list[Candidate]:
    """The ranking as it was before the shortcut: every parser detected, then the shortlist tried."""
    scored = sorted(
        ((p, _safe_detect(p, prep)) for p in list_parsers()), key=lambda x: (-x[1], -x[0].priority, x[0].name)
    )
    shortlist = [(p, s) for p, s in scored if s > 0][:SHORTLIST] or scored[:SHORTLIST]
    out: list[Candidate] = []
    for p, s in shortlist:
        if any(_complete(c) for c in out):
            break
        out.append(_attempt(prep, p, s))
    if all(c.fatal is not None for c in out):  # no shortlisted parser read a cell: the rest are tried
        out += [_attempt(prep, p, s) for p, s in scored if (p, s) not in shortlist]
    return sorted(out, key=lambda c: c.key(), reverse=True)


def _same_winner(data: str | bytes) -> None:
    prep = _prepare(data, None)
    got, want = _api._candidates(prep, None)[0], _ranked_after_every_detect(prep)[0]
    assert (got.parser, got.fatal) == (want.parser, want.fatal)
    if got.report is not None and want.report is not None:
        assert convert.to_dict(got.report) == convert.to_dict(want.report)


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_the_shortcut_keeps_the_winner_of_every_known_input(path: Path) -> None:
    _same_winner(path.read_bytes())


@given(report_texts())
def test_the_shortcut_keeps_the_winner_of_generated_reports(drawn: tuple[str, object]) -> None:
    _same_winner(drawn[0])


def test_a_text_no_shortlisted_parser_can_read_is_read_by_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detect scores are cheap guesses: when every shortlisted parser ends without a cell, every other
    parser is tried before the text is called unreadable (a whole page on one line scored 0 everywhere)."""
    from govreport.parsers.flat import FlatParser

    text = govreport.render(quick_report(7, TemplateVersion.V2021), "space", one_line=True)
    assert govreport.loads(text).source.parser == "flat"
    monkeypatch.setattr(FlatParser, "detect", lambda self, doc, layout: 0.0)
    prep = _prepare(text, None)
    shortlisted = sorted(list_parsers(), key=lambda p: (-_safe_detect(p, prep), -p.priority, p.name))[:SHORTLIST]
    assert "flat" not in {p.name for p in shortlisted}
    report = govreport.loads(text)
    assert report.source.parser == "flat"
    assert report.table3.values() == quick_report(7, TemplateVersion.V2021).table3.values()
    _same_winner(text)
