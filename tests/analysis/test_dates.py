"""Date mentions, normalisation and datelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.dates import classify_date_text, date_mentions, dateline_date, evaluate_dates, resolve_date

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ANCHOR = "2025-08-20"  # a Wednesday


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("20 Aug. 2025", "2025-08-20", "day"),
        ("Jan. 3, 2024", "2024-01-03", "day"),
        ("2025-08-20", "2025-08-20", "day"),
        ("October 2022", "2022-10", "month"),
        ("in 2023", "2023", "year"),
        ("early 2024", "2024", "year"),
        ("mid-2023", "2023", "year"),
        ("the first half of 2026", "2026", "year"),
        ("the summer of 2024", "2024-06", "season"),
        ("winter 2025", "2024-12", "season"),  # the winter holding Jan/Feb 2025
        ("Q3 2025", "2025-07", "quarter"),
        ("3Q25", "2025-07", "quarter"),
        ("fiscal 2025", "2025", "year"),
    ],
)
def test_absolute_dates_need_no_anchor(text, expected, precision):
    r = resolve_date(text, None)
    assert (r.date, r.precision, r.resolved) == (expected, precision, True)


@pytest.mark.parametrize(
    "text, expected, precision",
    [
        ("last year", "2024", "year"),
        ("later this year", "2025", "year"),
        ("this summer", "2025-06", "season"),
        ("last summer", "2024-06", "season"),  # summer 2025 has not ended on Aug 20
        ("on Tuesday", "2025-08-19", "day"),
        ("yesterday", "2025-08-19", "day"),
        ("today", "2025-08-20", "day"),
        ("next month", "2025-09", "month"),
        ("the end of the month", "2025-08", "month"),
        ("last quarter", "2025-04", "quarter"),
        ("the third quarter", "2025-07", "quarter"),
        ("two years ago", "2023", "year"),
        ("March", "2025-03", "month"),
        ("Aug 20", "2025-08-20", "day"),
    ],
)
def test_relative_dates_resolve_against_the_anchor(text, expected, precision):
    r = resolve_date(text, ANCHOR)
    assert (r.date, r.precision) == (expected, precision)


@pytest.mark.parametrize(
    "text",
    [
        "last year",
        "this summer",
        "on Tuesday",
        "yesterday",
        "next month",
        "March",
        "Aug 20",
        "the third quarter",
        "two years ago",
    ],
)
def test_relative_dates_without_anchor_stay_unresolved(text):
    r = resolve_date(text, None)
    assert (r.date, r.precision, r.resolved) == ("", "unresolved", False)


@pytest.mark.parametrize(
    "text",
    ["a year earlier", "the next day", "the 1990s", "2025-26 season", "the second quarter of fiscal 2025"],
)
def test_unplaceable_references_stay_unresolved_even_with_anchor(text):
    assert resolve_date(text, ANCHOR).precision == "unresolved"


def test_weeks_get_the_smallest_unit_that_holds_the_whole_week():
    assert resolve_date("last week", "2025-08-20") == resolve_date("August 2025", None)
    # Jul 28 - Aug 3 straddles two months: only the year is honest
    r = resolve_date("last week", "2025-08-06")
    assert (r.date, r.precision) == ("2025", "year")


def test_tense_picks_which_occurrence_of_a_yearless_month():
    assert resolve_date("March", "2025-11-10", "future").date == "2026-03"
    assert resolve_date("March", "2025-11-10", "past").date == "2025-03"
    assert resolve_date("Thursday", ANCHOR, "future").date == "2025-08-21"
    assert resolve_date("Thursday", ANCHOR).date == "2025-08-14"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("two years", "duration"),
        ("decades", "duration"),
        ("the past 20 years", "duration"),
        ("more than a decade", "duration"),
        ("recent years", "duration"),
        ("the coming months", "duration"),
        ("annual", "frequency"),
        ("daily", "frequency"),
        ("quarterly", "frequency"),
        ("every year", "frequency"),
        ("54-year-old", "age"),
        ("the age of 45", "age"),
        ("last year", "point"),
        ("two years ago", "point"),
        ("this summer", "point"),
        ("the 1990s", "point"),
    ],
)
def test_durations_frequencies_and_ages_are_not_points(text, kind):
    assert classify_date_text(text) == kind


def _mentions(nlp, text):
    doc = nlp(text)
    out = []
    for s in doc.sents:
        for m in date_mentions(s):
            assert s.text[m["start_char"] : m["end_char"]] == m["date_text"]  # offsets are sentence-relative
            out.append(m)
    return out


def test_date_mentions_drop_durations_ages_and_frequencies(nlp):
    got = [
        m["date_text"]
        for m in _mentions(
            nlp,
            "The 54-year-old chief executive joined the company in 2018 and shares have fallen 30% over "
            "the past two years as annual sales slowed.",
        )
    ]
    assert got == ["2018"]


@pytest.mark.parametrize("dateline", ["STOCKHOLM, Jan 20 (Globe Wire) - ", "LEEDS, England, Feb 24 (CPA) — "])
def test_a_wire_datelines_date_is_no_event(nlp, dateline):
    """The dateline says when the piece was filed; the events are the dates in the story."""
    got = [m["date_text"] for m in _mentions(nlp, dateline + "Aeris agreed on Tuesday to buy Baltica Air.")]
    assert got == ["Tuesday"]


@pytest.mark.parametrize("text, expected", [
    ("Members of the Longshore Workers Union, Local 1910, walked out on Tuesday.", ["Tuesday"]),  # a name
    ("The plant was built in 1910.", ["1910"]),
    ("The 2026 election will be close.", ["2026"]),
    ("Revenue in Fiscal 2024 rose.", ["Fiscal 2024"]),
])
def test_a_year_like_number_in_a_name_is_no_date(nlp, text, expected):
    assert [m["date_text"] for m in _mentions(nlp, text)] == expected


def test_date_mentions_split_ranges_and_catch_shorthands(nlp):
    got = [
        m["date_text"]
        for m in _mentions(
            nlp,
            "The recall covers vehicles built between 2019 and 2022. "
            "Apple reported FY2025 revenue of $400 billion.",
        )
    ]
    assert got == ["2019", "2022", "FY2025"]


def test_date_mentions_keep_day_words_from_time_entities_and_report_tense(nlp):
    ms = _mentions(nlp, "Regulators will publish their decision next month. Shares closed higher last night.")
    assert [(m["date_text"], m["tense"]) for m in ms] == [("next month", "future"), ("last night", "past")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("WASHINGTON, March 3, 2025 (Reuters) - The Senate voted on Tuesday.", "2025-03-03"),
        ("A headline\nPublished: 12 May 2026\nBody text.", "2026-05-12"),
        ("A headline\nBy Jane Doe | Aug 20, 2025\nBody text.", "2025-08-20"),
        ("Updated 2025-08-20\nBody text.", "2025-08-20"),
        ("Updated: Aug. 21, 2025\nPublished: Aug. 20, 2025\nBody.", "2025-08-20"),  # published wins
    ],
)
def test_dateline_date_reads_datelines_and_bylines(text, expected):
    assert dateline_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The company said on March 3, 2025 that it would cut jobs.",  # narrative, not a dateline
        "One\nTwo\nThree\nFour\nFive\nPublished: 12 May 2026",  # beyond the first lines
        "SAN FRANCISCO, Aug 20 (Reuters) - Nvidia said",  # no year: never guessed
        "LONDON (Reuters) - Britain on Tuesday said",
    ],
)
def test_dateline_date_never_guesses(text):
    assert dateline_date(text) is None


def test_no_seed_gets_a_publication_date_from_its_text():
    for path in sorted(SEEDS.glob("*.txt")):
        assert dateline_date(path.read_text(encoding="utf-8")) is None, path.name


def test_dev_set_metrics(nlp):
    m = evaluate_dates(nlp).set_index("metric")["value"]
    assert m["resolve_accuracy"] >= 0.9
    assert m["resolve_unresolved_recall"] == 1.0
    assert m["detection_recall"] >= 0.9
    assert m["detection_precision"] >= 0.9
