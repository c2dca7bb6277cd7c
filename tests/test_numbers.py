"""How a cell's number is written (``govreport.export.numbers``): every format gives the value back."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from govreport.export.numbers import NumberFormat, number_text
from govreport.template import COUNT, DELTA, MONEY

FORMATS = st.builds(
    NumberFormat, thousands=st.booleans(), places=st.none() | st.integers(0, 6), fullwidth=st.booleans()
)


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False), FORMATS)
def test_an_amount_in_any_format_is_the_same_amount(v: Decimal, fmt: NumberFormat) -> None:
    text = fmt.text(v, MONEY)
    assert Decimal(unicodedata.normalize("NFKC", text).replace(",", "")) == v  # never rounded
    if fmt.places is not None and -int(v.as_tuple().exponent) <= fmt.places:
        assert len(unicodedata.normalize("NFKC", text).partition(".")[2]) == fmt.places


@given(st.integers(-(10**7), 10**7), st.sampled_from([COUNT, DELTA]), FORMATS)
def test_a_count_is_never_padded(n: int, kind: str, fmt: NumberFormat) -> None:
    text = unicodedata.normalize("NFKC", fmt.text(n, kind))
    assert "." not in text
    assert int(text.replace(",", "")) == n
    assert text.startswith("+") == (kind == DELTA and n > 0)


def test_the_shapes_reports_print() -> None:
    assert number_text(Decimal("882"), MONEY, places=4) == "882.0000"
    assert number_text(Decimal("9767.9546"), MONEY, thousands=True, places=4) == "9,767.9546"
    assert number_text(1066, COUNT, thousands=True) == "1,066"
    assert number_text(12, COUNT, fullwidth=True) == "\uff11\uff12"  # full-width 1 2
    assert number_text(Decimal("1.23456"), MONEY, places=4) == "1.23456"  # more places than asked: as it is
