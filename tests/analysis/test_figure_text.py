"""Readable figures in cues: what an analyst checks against the sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.claims import ClaimInfo, conflict, figure_conflict
from analysis.figure_text import amount, date_text, figure_text


@pytest.mark.parametrize("figure, text", [
    ("money:usd:9800", "$9,800"),
    ("money:gbp:1.4e+07", "£14 million"),
    ("money:eur:2.4e+09", "€2.4 billion"),
    ("money:crown:3.9e+09", "3.9 billion crown"),
    ("count:customer:2.3e+06", "2.3 million (customer)"),
    ("pct:12.5", "12.5%"),
    ("pct~:33.33", "≈33.3%"),  # a fraction word ("a third"), shown as the rounding it is
    ("count:duration:1540", "25 minutes 40 seconds"),
    ("count:duration:3.96e+04", "11 hours"),
    ("count:duration:3.154e+07", "365 days"),  # a year, stored to four figures: whole days, no stray hour
    ("date:2025-08-20", "20 August 2025"),
    ("date:--03-09", "9 March"),
    ("date:--11", "November"),
    ("date:2026-H2", "H2 2026"),
    ("date:2026-S1", "spring 2026"),
    ("date:--Q3", "Q3"),
    ("date:2023", "2023"),
    ("date:tuesday", "Tuesday"),
    ("not-a-figure", "not-a-figure"),
])
def test_figures_read_as_a_news_text_writes_them(figure, text):
    assert figure_text(figure) == text


@given(st.integers(min_value=0, max_value=999_999))
def test_small_whole_amounts_keep_every_digit(n):
    assert int(amount(float(n)).replace(",", "")) == n


@given(st.floats(min_value=1e6, max_value=1e15, allow_nan=False))
def test_large_amounts_name_their_scale(v):
    assert amount(v).split()[-1] in ("million", "billion", "trillion")


@pytest.mark.parametrize("d", ["2025-13-01", "--00", "2025-xx"])
def test_an_unreadable_date_is_shown_as_stored(d):
    assert date_text(d) == d


def _info(figures: tuple[str, ...], undisclosed: str = "") -> ClaimInfo:
    return ClaimInfo(text="x", terms=frozenset(), names=frozenset(), figures=figures, undisclosed=undisclosed)


def test_conflict_cues_show_readable_figures():
    cue = figure_conflict(_info(("money:eur:2.4e+09",)), _info(("money:eur:2.1e+09",)))
    assert cue == "different figures (money): €2.4 billion vs €2.1 billion"
    cue = figure_conflict(_info(("count:job:1150",)), _info(("count:job:1400",)))
    assert cue == "different figures (job): 1,150 vs 1,400"
    assert figure_conflict(_info(("date:--05-15",)), _info(("date:--06-01",))) == \
        "different dates: 15 May vs 1 June"
    kind, cue = conflict(_info(("money:usd:9800", "date:2026")), _info((), undisclosed="did not disclose"))
    assert kind == "undisclosed" and cue == "'did not disclose' vs stated figure $9,800"
