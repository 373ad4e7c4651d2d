"""Timeline page (AppTest): seeds (no dates at all) and a small dated corpus with a date disagreement."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from conftest import figures, run_page, tables, texts

PAGE = "pages/timeline.py"

# Three short reports on one (invented) EV recall: two dated sources that disagree on when the fault
# was reported, and one undated wire copy.
DATED = {
    "auto.txt": b"Carmaker recalls 80,000 electric SUVs over battery fault\n\n"
    b"The carmaker said it will recall "
    b"about 80,000 electric SUVs over a battery fault that can cause fires.\n\nThe battery fault was "
    b"first reported to federal safety regulators on February 12, 2025, according to the filing.\n\n"
    b"Repairs will begin in April 2025 and owners will be notified by mail.\n",
    "watch.txt": b"Electric SUV recall widens\n\n"
    b"The carmaker will recall 80,000 electric SUVs because of a battery "
    b"fault, the company said.\n\nThe battery fault was first reported to federal safety regulators "
    b"on February 20, 2025.\n",
    "wire.txt": b"Battery fires prompt SUV recall\n\n"
    b"The carmaker is recalling electric SUVs over a battery fault "
    b"that can cause fires, the company said.\n",
}
MANIFEST = pd.DataFrame(
    {
        "file": ["auto.txt", "watch.txt", "wire.txt"],
        "source": ["Auto Daily", "Recall Watch", "Wire Service"],
        "title": ["", "", ""],
        "published": ["2025-03-04", "2025-03-05", ""],
        "url": ["", "", ""],
    }
)


def _timeline_fig(at) -> dict | None:
    return next((f for f in figures(at) if any(t.get("meta", {}).get("kind") for t in f["data"])), None)


def test_seeds_list_undated_articles_and_unresolved_this_summer():
    at = run_page(PAGE)
    articles = tables(at)["articles"]
    undated = next(d.value for d in at.dataframe if {"article_id", "path"} <= set(d.value.columns))
    assert sorted(undated["article_id"]) == sorted(articles["article_id"])  # no seed has a date
    unresolved = next(d.value for d in at.dataframe if "date_text" in d.value.columns)
    assert "this summer" in set(unresolved["date_text"])
    # Nothing to plot without citations; the page says why and how to add publication dates.
    assert _timeline_fig(at) is None
    shown = texts(at)
    assert "needs publication dates" in shown and "sources.csv" in shown and "Corpus" in shown


def test_seed_citations_toggle_plots_reference_dates():
    at = run_page(PAGE)
    at.toggle(key="timeline-citations").set_value(True).run()
    assert not at.exception
    fig = _timeline_fig(at)
    assert fig is not None
    kinds = {t["meta"]["kind"] for t in fig["data"] if t.get("meta")}
    assert "citation" in kinds and "event" not in kinds


def _saved_corpus(name: str, files: dict[str, bytes], manifest: pd.DataFrame) -> str:
    """Save a corpus in the app's data folder (as an upload would) and return its id."""
    from analysis.store import CorpusStore

    store = CorpusStore(os.environ["COVERAGE_LENS_DATA"])
    return store.create(name, list(files.items()), manifest=manifest).corpus_id


def _open_corpus(corpus_id: str):
    """The Timeline page switched to a saved corpus: (the app test, its timeline figure or None)."""
    at = run_page(PAGE)
    at.sidebar.selectbox(key="corpus").set_value(corpus_id).run()
    assert not at.exception
    return at, _timeline_fig(at)


@pytest.fixture()
def dated_corpus() -> str:
    return _saved_corpus("EV recall (dated)", DATED, MANIFEST)


def test_dated_corpus_draws_lanes_conflicts_and_first_seen(dated_corpus: str):
    at, fig = _open_corpus(dated_corpus)
    assert fig is not None
    assert fig["layout"]["yaxis"]["ticktext"] == ["Auto Daily", "Recall Watch", "Wire Service"]
    lanes = {(t["meta"]["source"], t["meta"]["kind"]) for t in fig["data"] if t.get("meta", {}).get("source")}
    assert {
        ("Auto Daily", "published"),
        ("Recall Watch", "published"),
        ("Auto Daily", "event"),
        ("Recall Watch", "event"),
    } <= lanes
    # The two sources disagree on when the fault was reported: a table and red outlines.
    conflicts = next(d.value for d in at.dataframe if {"source_a", "source_b"} <= set(d.value.columns))
    pair = conflicts.iloc[0]
    assert {pair["source_a"], pair["source_b"]} == {"Auto Daily", "Recall Watch"}
    assert {pair["date_a"], pair["date_b"]} == {"2025-02-12", "2025-02-20"}
    assert any("disagree" in (t.get("name") or "") for t in fig["data"])
    # First appearances need dates, which this corpus has: Auto Daily published first.
    first = next(d.value for d in at.dataframe if "first_source" in d.value.columns)
    assert "Auto Daily" in set(first["first_source"])
    undated = next(d.value for d in at.dataframe if {"article_id", "path"} <= set(d.value.columns))
    assert undated["source"].tolist() == ["Wire Service"]


def test_choosing_a_row_shows_the_sentence(dated_corpus: str):
    at = run_page(PAGE)
    at.sidebar.selectbox(key="corpus").set_value(dated_corpus).run()
    table = next(d for d in at.dataframe if "when" in d.value.columns)
    row = int(
        table.value.reset_index(drop=True).index[table.value["date_text"].eq("February 20, 2025").to_numpy()][
            0
        ]
    )
    at.session_state["timeline-table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "“February 20, 2025”" in shown.replace("\\", "") and "20 February 2025" in shown
    assert "first reported to federal safety regulators" in shown


@pytest.fixture()
def same_day_corpus() -> str:
    """The dated corpus plus a second Auto Daily story published the same day as its first one."""
    files = {**DATED, "auto2.txt": b"Dealers prepare for the SUV battery recall\n\n"
             b"Dealers said they were preparing for the recall of electric SUVs over the battery fault.\n"}
    manifest = pd.concat([MANIFEST, pd.DataFrame({"file": ["auto2.txt"], "source": ["Auto Daily"], "title": [""],
                                                  "published": ["2025-03-04"], "url": [""]})],
                         ignore_index=True)
    manifest.loc[manifest["file"] == "auto.txt", "title"] = "Carmaker recalls 80,000 electric SUVs"
    manifest.loc[manifest["file"] == "auto2.txt", "title"] = "Dealers prepare for the SUV battery recall"
    return _saved_corpus("EV recall (same day)", files, manifest)


def test_clicking_a_merged_marker_lists_all_its_items(same_day_corpus: str):
    at, fig = _open_corpus(same_day_corpus)
    curve, trace = next((i, t) for i, t in enumerate(fig["data"])
                        if t.get("meta") == {"source": "Auto Daily", "kind": "published"})
    # Both Auto Daily stories of 4 March are one marker that carries both timeline rows.
    point = next(j for j, rows in enumerate(trace["customdata"]) if len(rows) == 2)
    rows = trace["customdata"][point]
    assert "2 items" in trace["hovertext"][point]
    at.session_state["timeline-chart"] = {"selection": {
        "points": [{"curve_number": curve, "point_number": point, "point_index": point,
                    "x": trace["x"][point], "y": trace["y"][point], "customdata": rows}],
        "point_indices": [point], "box": [], "lasso": []}}
    at.run()
    assert not at.exception
    shown = texts(at).replace("\\", "")
    assert "2 items on this marker" in shown
    assert "Carmaker recalls 80,000 electric SUVs" in shown and "Dealers prepare for the SUV battery recall" in shown
    timeline = tables(at)["timeline"]
    for row in rows:
        assert timeline.loc[row, "article_id"] in shown
