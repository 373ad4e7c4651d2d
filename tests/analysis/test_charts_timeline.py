"""Timeline figure and helpers, tested through the figure's data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.charts_timeline import (
    CONFLICT_COLOR,
    build_timeline_figure,
    conflict_sentence_ids,
    describe_date,
    period_bounds,
    timeline_points,
    undated_articles,
    unresolved_dates,
)
from analysis.schema import columns

COLORS = {"Auto Daily": "#E69F00", "Recall Watch": "#56B4E9", "Wire": "#009E73"}


def _row(
    date: str, precision: str, kind: str, source: str, sid: str = "", text: str = "", date_text: str = ""
) -> dict:
    return {
        "date": date,
        "precision": precision,
        "kind": kind,
        "date_text": date_text,
        "article_id": f"{source[:4]}-1",
        "source": source,
        "sentence_id": sid,
        "text": text,
    }


@pytest.fixture()
def timeline() -> pd.DataFrame:
    rows = [
        _row("2025-03-04", "day", "published", "Auto Daily", text="Carmaker recalls 80,000 SUVs"),
        _row("2025-03-05", "day", "published", "Recall Watch"),
        _row(
            "2025-02-28", "day", "event", "Auto Daily", "a:001", "The fault was found on Feb. 28.", "Feb. 28"
        ),
        _row(
            "2025-02-20",
            "day",
            "event",
            "Recall Watch",
            "r:002",
            "The fault was found on Feb. 20.",
            "Feb. 20",
        ),
        _row(
            "2025-06", "season", "event", "Auto Daily", "a:003", "Repairs start this summer.", "this summer"
        ),
        _row("2025", "year", "event", "Recall Watch", "r:004", "Sales fell in 2025.", "2025"),
        _row("2025-02-28", "day", "event", "Auto Daily", "a:005", "A second note on Feb. 28.", "Feb. 28"),
        _row(
            "2024-11-02",
            "day",
            "citation",
            "Auto Daily",
            "a:040",
            "Smith, J. Recall data. 2 Nov. 2024.",
            "2 Nov. 2024",
        ),
        _row(
            "", "unresolved", "event", "Recall Watch", "r:006", "The plan was set last spring.", "last spring"
        ),
    ]
    return pd.DataFrame(rows, columns=columns("timeline"))


@pytest.mark.parametrize(
    ("date", "precision", "start", "end"),
    [
        ("2025-08-20", "day", dt.date(2025, 8, 20), dt.date(2025, 8, 21)),
        ("2025-08", "month", dt.date(2025, 8, 1), dt.date(2025, 9, 1)),
        ("2025-06", "season", dt.date(2025, 6, 1), dt.date(2025, 9, 1)),
        ("2024-12", "season", dt.date(2024, 12, 1), dt.date(2025, 3, 1)),
        ("2025-10", "quarter", dt.date(2025, 10, 1), dt.date(2026, 1, 1)),
        ("2025", "year", dt.date(2025, 1, 1), dt.date(2026, 1, 1)),
    ],
)
def test_period_bounds(date: str, precision: str, start: dt.date, end: dt.date) -> None:
    assert period_bounds(date, precision) == (start, end)


def test_period_bounds_rejects_blank_and_garbage() -> None:
    assert period_bounds("", "unresolved") is None
    assert period_bounds("2025-13", "month") is None
    assert period_bounds(None, "day") is None


def test_describe_date() -> None:
    assert describe_date("2025-08-20", "day") == "20 August 2025"
    assert describe_date("2025-06", "season") == "summer 2025"
    assert describe_date("2024-12", "season") == "winter 2025"
    assert describe_date("2025-07", "quarter") == "Q3 2025"
    assert describe_date("2025-08", "month") == "August 2025"
    assert describe_date("", "unresolved") == "unresolved"


def test_points_filter_kinds_sources_and_spread_same_day(timeline: pd.DataFrame) -> None:
    pts = timeline_points(timeline, ["Auto Daily", "Recall Watch"])
    assert set(pts["kind"]) == {"published", "event"}  # citations only when asked, unresolved never
    assert "" not in set(pts["date"])
    same = pts[(pts["source"] == "Auto Daily") & (pts["date"] == "2025-02-28")]
    assert len(same) == 2 and same["y"].nunique() == 2 and same["y"].between(-0.4, 0.4).all()
    with_cit = timeline_points(timeline, ["Auto Daily"], kinds=("published", "event", "citation"))
    assert "citation" in set(with_cit["kind"])
    assert set(timeline_points(timeline, ["Recall Watch"])["source"]) == {"Recall Watch"}


def test_figure_has_one_lane_and_traces_per_source(timeline: pd.DataFrame) -> None:
    sources = ["Auto Daily", "Recall Watch", "Wire"]
    fig = build_timeline_figure(timeline, sources, COLORS, conflict_ids={"a:001", "r:002"})
    assert list(fig.layout.yaxis.ticktext) == sources  # an undated source still has its (empty) lane
    markers = [t for t in fig.data if t.meta and t.meta["kind"] in ("published", "event", "citation")]
    by = {(t.meta["source"], t.meta["kind"]): t for t in markers}
    assert set(by) == {
        ("Auto Daily", "published"),
        ("Auto Daily", "event"),
        ("Recall Watch", "published"),
        ("Recall Watch", "event"),
    }
    assert by[("Auto Daily", "event")].marker.color == COLORS["Auto Daily"]
    assert by[("Auto Daily", "published")].marker.symbol == "diamond"
    assert by[("Auto Daily", "event")].marker.symbol == "circle"
    # customdata points back at the timeline row, so a click can show the sentence.
    rows = [c[0] for c in by[("Auto Daily", "event")].customdata]
    assert set(timeline.loc[rows, "sentence_id"]) == {"a:001", "a:003", "a:005"}
    # The conflicting sentence is outlined red, the others are not.
    ev = by[("Auto Daily", "event")]
    outline = dict(zip([timeline.loc[r, "sentence_id"] for r in rows], ev.marker.line.color, strict=True))
    assert outline["a:001"] == CONFLICT_COLOR and outline["a:005"] != CONFLICT_COLOR
    assert any(t.name and "disagree" in t.name for t in fig.data)
    # A season is a bar over its three months, a day has no bar.
    bars = {t.meta["source"]: t for t in fig.data if t.meta and t.meta["kind"] == "period"}
    assert list(bars["Auto Daily"].x[:2]) == ["2025-06-01", "2025-08-31"]
    assert list(bars["Recall Watch"].x[:2]) == ["2025-01-01", "2025-12-31"]
    hover = " ".join(by[("Auto Daily", "event")].hovertext)
    assert "this summer" in hover and "summer 2025" in hover and "season precision" in hover


def test_figure_with_nothing_dated_keeps_lanes() -> None:
    empty = pd.DataFrame(
        [_row("", "unresolved", "event", "Wire", "w:1", "Due this summer.", "this summer")],
        columns=columns("timeline"),
    )
    fig = build_timeline_figure(empty, ["Wire"], COLORS)
    assert [t for t in fig.data if t.meta and t.meta["kind"] in ("published", "event")] == []
    assert list(fig.layout.yaxis.ticktext) == ["Wire"]


def test_undated_and_unresolved(timeline: pd.DataFrame) -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "source": ["Wire", "Auto Daily"],
            "title": ["T1", ""],
            "published": ["", "2025-03-04"],
            "path": ["a.txt", "b.txt"],
        }
    )
    assert undated_articles(articles)["article_id"].tolist() == ["a"]
    un = unresolved_dates(timeline)
    assert un["date_text"].tolist() == ["last spring"] and un.loc[0, "text"].startswith("The plan")


def test_conflict_sentence_ids() -> None:
    conflicts = pd.DataFrame({"sentence_id_a": ["x:1"], "sentence_id_b": ["y:2"]})
    assert conflict_sentence_ids(conflicts) == {"x:1", "y:2"}
    assert conflict_sentence_ids(pd.DataFrame()) == set()
