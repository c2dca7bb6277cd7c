"""The checks' fast paths agree with the simple algorithms they replace (issue #8).

Each reference below is the code as it was before the speed work; every fast path is checked against
it over every known input and over generated data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govreport
from govreport import Cell, CellStatus, Table, TemplateVersion
from govreport.checks import narrative as nar
from govreport.checks.arithmetic import TABLE4_EQUATIONS, evaluate, run_checks
from govreport.checks.pinpoint import Fix, locate
from govreport.model import numbers
from govreport.template import COUNT, Equation, table3_equations
from govreport.text import statements as stmts

from .conftest import all_inputs, input_id
from .test_pinpoint import consistent_table3


@cache
def _report(path: Path) -> govreport.Report:
    return govreport.load(path)


# --- narrative: statements ---------------------------------------------------------------------


def _reference_statements(text: str) -> list[stmts.Statement]:
    out: list[stmts.Statement] = []
    for raw_sentence in stmts._SENTENCE.split(text):
        sentence = "".join(raw_sentence.split())
        for clause in stmts._CLAUSE.split(sentence):
            m = stmts._NUMBER.search(clause)
            if m is None or stmts._SKIP.search(clause):
                continue
            best = None
            for kind in stmts.KINDS:
                for k in kind.keyword.finditer(clause[: m.start()]):
                    if best is None or k.end() > best[0]:
                        best = (k.end(), kind)
            if best is None or stmts._BREAKDOWN.search(clause[best[0] : m.start()]):
                continue
            out.append(stmts.Statement(best[1].code, int(m.group(1)), sentence))
    return out


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_statements_of_every_section_agree_with_the_reference(path: Path) -> None:
    for section in _report(path).sections:
        assert stmts.statements(section.text) == _reference_statements(section.text)


# sentence ends, clause marks, units, digits (ASCII and full-width), keywords and every kind of white space
_PIECES = st.sampled_from(
    [
        *"。；;！？!?，,：:（）()件起宗0123456789\uff11\uff12\n\n\n \t\u3000\r\x1c",
        "收到",
        "受理",
        "办结",
        "答复",
        "新收",
        "上年结转",
        "结转下年度",
        "行政复议",
        "行政诉讼",
        "同比增加",
        "当面",
        "其中维持",
        "申请",
        "\n \n",
        "提起",  # a unit character after no digit, before a stated number in the same sentence
        "3件",
        "12起",
    ]
)
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=300)
@given(_TEXTS)
def test_statements_of_generated_text_agree_with_the_reference(text: str) -> None:
    assert stmts.statements(text) == _reference_statements(text)


@settings(max_examples=300)
@given(_TEXTS)
def test_stating_sentences_are_the_sentences_with_a_stated_number(text: str) -> None:
    """Every sentence of _SENTENCE's split that holds a digit before a unit, in order; others may be
    taken too (a digit and a unit either side of a blank line), as they state nothing."""
    mine = stmts._stating_sentences(text)
    taken = 0
    for sentence in ("".join(raw.split()) for raw in stmts._SENTENCE.split(text)):
        if taken < len(mine) and mine[taken] == sentence:
            taken += 1
        else:
            assert not re.search(r"\d[件起宗]", sentence), sentence
    assert taken == len(mine)


# the characters of every keyword, so that generated text spells keywords, partial ones and mixtures
_KEYWORD_CHARS = st.sampled_from(sorted({ch for kind in stmts.KINDS for ch in kind.keyword.pattern if ch >= "\u4e00"}))


@settings(max_examples=500)
@given(st.lists(_KEYWORD_CHARS, max_size=12).map("".join))
def test_every_keyword_match_holds_one_of_its_needs(text: str) -> None:
    for kind in stmts.KINDS:
        for m in kind.keyword.finditer(text):
            assert any(need in m.group(0) for need in kind.needs), (kind.code, m.group(0))


def test_every_keyword_spelling_holds_one_of_its_needs() -> None:
    spelled = {
        "TXT.CARRIED_FORWARD": ["结转下年", "结转至下一年度", "结转到下年度", "转入下一年", "转入下年度"],
        "TXT.CARRIED_OVER": ["上年结转", "上一年度结转", "上年度结转"],
    }
    for kind in stmts.KINDS:
        for text in spelled.get(kind.code, []):
            assert kind.keyword.fullmatch(text), text
            assert any(need in text for need in kind.needs), text


_QUALITY_CHARS = st.sampled_from([*"无暂没有其他需要报告的事项本年度不适用。，,.（）“” \n-a1—中"])


@given(st.lists(_QUALITY_CHARS, max_size=60).map("".join))
def test_bare_head_decides_like_the_whole_bare_text(text: str) -> None:
    bare, head = nar._bare(text), nar._bare_head(text)
    assert bare.startswith(head)
    says_little = bool(nar._EMPTY.match(bare)) or len(bare) < nar._SAYS_LITTLE
    assert (bool(nar._EMPTY.match(head)) or len(head) < nar._SAYS_LITTLE) == says_little
    assert bool(nar._EMPTY.match(head)) == bool(nar._EMPTY.match(bare))


# --- checks: the arithmetic of run_checks -----------------------------------------------------


def _reference_counts(eqs: list[Equation] | tuple[Equation, ...], table: Table) -> tuple[int, int, list[object]]:
    passed = na = 0
    failing: list[object] = []
    for eq in eqs:
        status, diag = evaluate(eq, table)
        if status == "pass":
            passed += 1
        elif status == "n/a":
            na += 1
        else:
            failing.append(diag)
    return passed, na, failing


def _arithmetic(table3: Table, table4: Table) -> tuple[int, int, list[object]]:
    out = run_checks(table3, table4)
    fails = [d for d in out.diagnostics if d.code in ("T3.ROW", "T3.OUT", "T3.BAL", "T4.SUM")]
    return out.passed, out.not_assessable, fails


def _reference_arithmetic(table3: Table, table4: Table) -> tuple[int, int, list[object]]:
    p3, n3, f3 = _reference_counts(table3_equations(table3.template), table3)
    p4, n4, f4 = _reference_counts(TABLE4_EQUATIONS, table4)
    return p3 + p4, n3 + n4, f3 + f4


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_rule_counts_of_every_input_agree_with_evaluate(path: Path) -> None:
    report = _report(path)
    assert _arithmetic(report.table3, report.table4) == _reference_arithmetic(report.table3, report.table4)


_VALUES = st.one_of(st.none(), st.integers(0, 3))


@st.composite
def _tables(draw: st.DrawFn) -> tuple[Table, Table]:
    """Tables 3 and 4 of small numbers (so that rules often hold) with blanks among them."""
    version = draw(st.sampled_from(list(TemplateVersion)))
    tdef = govreport.template.template_for(version)

    def cell(value: int | None) -> Cell:
        return Cell.number(value) if value is not None else Cell(None, "", CellStatus.BLANK)

    out = []
    for tid in ("table3", "table4"):
        rows = {r.id: {c.id: cell(draw(_VALUES)) for c in r.columns} for r in tdef.table(tid).rows}
        out.append(Table(tid, version, rows))
    return out[0], out[1]


@given(_tables())
def test_rule_counts_of_generated_tables_agree_with_evaluate(tables: tuple[Table, Table]) -> None:
    assert _arithmetic(*tables) == _reference_arithmetic(*tables)


# --- pinpoint: locate -------------------------------------------------------------------------


def _reference_locate(table: Table, equations: Sequence[Equation]) -> list[tuple[Fix, ...]]:
    eqs: list[tuple[dict[tuple[str, str], int], int]] = []
    values = numbers(table)
    for eq in equations:
        coef = eq.coefficients()
        residual = 0
        for (r, c), a in coef.items():
            value = values[r][c]
            if type(value) is not int:
                break
            residual += a * value
        else:
            eqs.append((coef, residual))
    failing = frozenset(i for i, (_, res) in enumerate(eqs) if res)
    if not failing:
        return []
    on: dict[tuple[str, str], set[int]] = {}
    for i, (coef, _) in enumerate(eqs):
        for k in coef:
            on.setdefault(k, set()).add(i)
    candidates = sorted(k for k, idx in on.items() if idx & failing)
    counts = {(r.id, c.id): c.kind == COUNT for r in table.definition.rows for c in r.columns}

    def ok(deltas: dict[tuple[str, str], int]) -> bool:
        if any(d == 0 for d in deltas.values()):
            return False
        for k, d in deltas.items():
            if counts.get(k, True) and int(values[k[0]][k[1]] or 0) + d < 0:
                return False
        touched = set().union(*(on[k] for k in deltas))
        return all(eqs[i][1] + sum(eqs[i][0].get(k, 0) * d for k, d in deltas.items()) == 0 for i in touched)

    def fixes(deltas: dict[tuple[str, str], int]) -> tuple[Fix, ...]:
        return tuple(
            Fix(r, c, int(values[r][c] or 0), int(values[r][c] or 0) + d) for (r, c), d in sorted(deltas.items())
        )

    singles = []
    for k in candidates:
        if not failing <= on[k]:
            continue
        coef, res = eqs[next(iter(failing))]
        d = -res * coef[k]
        if ok({k: d}):
            singles.append(fixes({k: d}))
    if singles:
        return singles
    pairs = []
    for x, y in combinations(candidates, 2):
        if not failing <= (on[x] | on[y]):
            continue
        dx = dy = None
        for i in on[x] - on[y]:
            dx = -eqs[i][1] * eqs[i][0][x]
            break
        for i in on[y] - on[x]:
            dy = -eqs[i][1] * eqs[i][0][y]
            break
        both = on[x] & on[y]
        if dx is None and dy is not None and both:
            i = next(iter(both))
            dx = (-eqs[i][1] - eqs[i][0][y] * dy) * eqs[i][0][x]
        elif dy is None and dx is not None and both:
            i = next(iter(both))
            dy = (-eqs[i][1] - eqs[i][0][x] * dx) * eqs[i][0][y]
        if dx is None or dy is None:
            continue
        if ok({x: dx, y: dy}):
            pairs.append(fixes({x: dx, y: dy}))
    return pairs


@pytest.mark.parametrize("path", all_inputs(), ids=input_id)
def test_locate_on_every_input_agrees_with_the_reference(path: Path) -> None:
    report = _report(path)
    for table, eqs in ((report.table3, table3_equations(report.template)), (report.table4, TABLE4_EQUATIONS)):
        assert locate(table, eqs) == _reference_locate(table, eqs)


@st.composite
def _broken_table3(draw: st.DrawFn) -> Table:
    """A consistent Table 3 (test_pinpoint's) with up to three cells changed or blanked."""
    version, grid = draw(consistent_table3())
    cells: dict[str, dict[str, Cell]] = {r: {c: Cell.number(v) for c, v in cols.items()} for r, cols in grid.items()}
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.sampled_from(sorted(grid)))
        col = draw(st.sampled_from(sorted(grid[row])))
        value = draw(st.one_of(st.none(), st.integers(0, 40)))
        cells[row][col] = Cell.number(value) if value is not None else Cell(None, "/", CellStatus.PLACEHOLDER)
    return Table("table3", version, cells)


@given(_broken_table3())
def test_locate_on_broken_tables_agrees_with_the_reference(table: Table) -> None:
    eqs = table3_equations(table.template)
    assert locate(table, eqs) == _reference_locate(table, eqs)


@given(_broken_table3(), st.sampled_from(["natural_person", "total"]), st.integers(-3, 3))
def test_locate_on_a_column_and_its_total_wrong_agrees_with_the_reference(table: Table, col: str, d: int) -> None:
    """Seed 001's shape, where the pair search runs."""
    rows = {r: dict(cols) for r, cols in table.rows.items()}
    for c in (col, "total"):
        v = numbers(table)["total_handled"][c]
        rows["total_handled"][c] = Cell.number(max(0, int(v or 0) + d))
    changed = Table("table3", table.template, rows)
    eqs = table3_equations(changed.template)
    assert locate(changed, eqs) == _reference_locate(changed, eqs)
