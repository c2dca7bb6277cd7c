"""Every seed loads with every Table 2/3/4 cell, the organ, year and template equal to its truth."""

from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport import Severity

from .conftest import SEEDS, seed_files
from .truthdata import contract_mismatches, read_truth

EXPECTED_LAYOUT = {"000": "space", "001": "word_cells", "002": "tab", "003": "space", "004": "tab"}


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name[:3])
def test_seed_reads_exactly(path: Path) -> None:
    truth = read_truth(SEEDS / "truth" / (path.stem + ".json"))
    report = govreport.load(path)
    assert contract_mismatches(govreport.to_dict(report), truth) == []
    assert report.source.parser == EXPECTED_LAYOUT[path.name[:3]]


def test_all_five_seeds_present() -> None:
    assert len(seed_files()) == 5


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name[:3])
def test_seed_error_diagnostics_only_where_the_report_is_wrong(path: Path) -> None:
    report = govreport.load(path)
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    if path.name.startswith("001"):
        # （七）总计 says 15/17 where the outcome rows add up to 25/27 (spec §5.1)
        failing = {(d.code, d.column) for d in errors if d.code in ("T3.OUT", "T3.BAL")}
        assert failing == {
            ("T3.OUT", "natural_person"),
            ("T3.OUT", "total"),
            ("T3.BAL", "natural_person"),
            ("T3.BAL", "total"),
        }
    else:
        assert errors == []


def test_seed_sections_and_title() -> None:
    report = govreport.load(seed_files()[0])
    keys = [s.key for s in report.sections]
    assert keys == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    assert report.title is not None and report.title.startswith("鼓楼区人民政府2021年")
