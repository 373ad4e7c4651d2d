"""Timeline figure and helpers, tested through the figure's data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.charts_timeline import (
    CONFLICT_COLOR,
    MAX_SIZE,
    build_timeline_figure,
    conflict_sentence_ids,
    describe_date,
    marker_size,
    period_bounds,
    timeline_markers,
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
    # customdata lists the timeline rows behind each marker, so a click can show their sentences. The two
    # Auto Daily events on 28 Feb (a:001, a:005) share one marker; the summer one has its own.
    ev = by[("Auto Daily", "event")]
    markers_rows = [[timeline.loc[r, "sentence_id"] for r in c] for c in ev.customdata]
    assert sorted(markers_rows) == [["a:001", "a:005"], ["a:003"]]
    merged = next(i for i, ids in enumerate(markers_rows) if len(ids) == 2)
    assert ev.marker.size[merged] > ev.marker.size[1 - merged]  # grows with its items (and day > season)
    assert "2 items" in ev.hovertext[merged] and "1 with a date another source disagrees" in ev.hovertext[merged]
    assert "this summer" in ev.hovertext[1 - merged]  # a single item keeps its full hover
    # Marker styles are one value per trace; conflicts are ringed by one overlay trace that ignores the
    # pointer, so hover and click reach the marker below.
    assert isinstance(ev.marker.color, str) and isinstance(ev.marker.line.color, str)
    ring = next(t for t in fig.data if t.meta and t.meta["kind"] == "conflicts")
    assert ring.hoverinfo == "skip" and ring.marker.color == CONFLICT_COLOR
    ringed = set(zip(ring.x, ring.y, strict=True))
    assert (ev.x[merged], ev.y[merged]) in ringed and (ev.x[1 - merged], ev.y[1 - merged]) not in ringed
    rw = by[("Recall Watch", "event")]
    r002 = next(i for i, c in enumerate(rw.customdata) if timeline.loc[c[0], "sentence_id"] == "r:002")
    assert (rw.x[r002], rw.y[r002]) in ringed and len(ringed) == 2
    assert any(t.name and "disagree" in t.name for t in fig.data)
    # A season is a bar over its three months, a day has no bar.
    bars = {t.meta["source"]: t for t in fig.data if t.meta and t.meta["kind"] == "period"}
    assert list(bars["Auto Daily"].x[:2]) == ["2025-06-01", "2025-08-31"]
    assert list(bars["Recall Watch"].x[:2]) == ["2025-01-01", "2025-12-31"]
    hover = " ".join(by[("Auto Daily", "event")].hovertext)
    assert "this summer" in hover and "summer 2025" in hover and "season precision" in hover


def test_figure_layout_is_drawn_once(timeline: pd.DataFrame) -> None:
    """Margins with room for the labels and the legend from the start (so plotly's automargin has nothing
    to push and no second draw to do) and the selection layout set up front."""
    sources = ["Auto Daily", "Recall Watch with a long name"]
    fig = build_timeline_figure(timeline, sources, COLORS)
    assert fig.layout.yaxis.automargin  # still on, for labels longer than the estimate
    assert fig.layout.margin.l >= 7 * len(sources[1])  # room for the longest lane label
    assert fig.layout.margin.t >= 40  # the legend sits above the plot
    assert fig.layout.clickmode == "event+select" and fig.layout.datarevision is not None


def test_markers_merge_items_of_one_source_kind_date_and_precision(timeline: pd.DataFrame) -> None:
    extra = pd.DataFrame(
        [
            _row("2025-03-04", "day", "published", "Auto Daily", text="A second story the same day"),
            _row("2025-03-04", "day", "event", "Auto Daily", "a:009", "Shipped on March 4.", "March 4"),
        ],
        columns=columns("timeline"),
    )
    tl = pd.concat([timeline, extra], ignore_index=True)
    pts = timeline_points(tl, ["Auto Daily", "Recall Watch"], conflict_ids={"a:001"})
    marks = timeline_markers(pts)
    assert marks["n"].sum() == len(pts)  # every item is on exactly one marker
    assert sorted(r for rows in marks["rows"] for r in rows) == sorted(pts["row"])
    pub = marks[(marks["source"] == "Auto Daily") & (marks["kind"] == "published")].iloc[0]
    assert pub["n"] == 2 and pub["rows"] == [0, 9] and pub["texts"][1] == "A second story the same day"
    feb = marks[(marks["source"] == "Auto Daily") & (marks["date"] == "2025-02-28")].iloc[0]
    assert feb["n"] == 2 and feb["n_conflict"] == 1 and feb["conflict"]
    # A publication and an event on the same day of one lane stay two markers, side by side.
    same_day = marks[(marks["source"] == "Auto Daily") & (marks["date"] == "2025-03-04")]
    assert set(same_day["kind"]) == {"published", "event"} and same_day["y"].nunique() == 2
    assert timeline_markers(pts.iloc[0:0]).empty


def test_marker_size_grows_with_items_and_is_capped() -> None:
    assert marker_size(1, "day") > marker_size(1, "season")
    assert marker_size(1, "day") < marker_size(4, "day") < marker_size(9, "day")
    assert marker_size(10_000, "day") == MAX_SIZE


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
