"""``loads`` stops detecting once a parser that detects with full confidence reads everything:
the report must be the one the full ranking (every detect first) would have chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from govreport import _api
from govreport._api import SHORTLIST, Candidate, _attempt, _complete, _prepare, _safe_detect
from govreport.export import convert
from govreport.registry import list_parsers
from govreport.testing import report_texts

from .conftest import all_inputs, input_id


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
