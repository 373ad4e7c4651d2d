"""Claims page (AppTest on the seeds): grid, contested first, filters, evidence, per-source panel."""

from __future__ import annotations

import re

from conftest import figures, run_page, set_filters, tables, texts, unescape

PAGE = "pages/claims.py"


def _grid(at) -> dict:
    return next(f["data"][0] for f in figures(at) if f["data"] and f["data"][0]["type"] == "heatmap")


def _claim_expanders(at) -> list[str]:
    return [e.label for e in at.expander if re.match(r"C\d+ · ", e.label)]


def test_contested_movie_gen_claim_is_listed_first():
    at = run_page(PAGE)
    claims = tables(at)["claims"]
    first = claims.iloc[0]
    assert first["status"] == "contested"
    assert re.search(r"movie ?gen", first["text"], flags=re.IGNORECASE)
    labels = _claim_expanders(at)
    assert labels[0].startswith(f"{first['claim_id']} · contested")
    grid = _grid(at)
    assert grid["y"][0].startswith(f"{first['claim_id']} · ")
    # Its row has a contradicting cell (code 2) and a supporting one (code 3).
    assert 2 in grid["z"][0] and 3 in grid["z"][0]
    assert len(labels) == min(25, len(claims))  # paged: first 25


def test_status_filter_changes_the_list():
    at = run_page(PAGE)
    before = _claim_expanders(at)
    at.multiselect(key="claims-status").set_value(["consensus"]).run()
    assert not at.exception
    after = _claim_expanders(at)
    assert after and after != before
    assert all(" · consensus · " in label for label in after)
    n_consensus = int((tables(at)["claims"]["status"] == "consensus").sum())
    assert len(after) == min(25, n_consensus)
    assert at.metric[0].value == str(n_consensus)


def test_sidebar_source_filter_removes_its_column():
    at = run_page(PAGE)
    columns = _grid(at)["x"]
    dropped = columns[-1]
    set_filters(at, sources=[s for s in columns if s != dropped])
    assert dropped not in _grid(at)["x"]
    assert len(_grid(at)["x"]) == len(columns) - 1


def test_impossible_filter_shows_empty_state():
    at = run_page(PAGE)
    at.multiselect(key="claims-status").set_value([]).run()
    assert not at.exception
    assert any("No claim matches" in i.value for i in at.info)
    assert not [f for f in figures(at) if f["data"] and f["data"][0]["type"] == "heatmap"]


def test_opening_a_claim_shows_its_evidence_with_the_cue_highlighted():
    at = run_page(PAGE)
    cid = tables(at)["claims"].iloc[0]["claim_id"]
    at.session_state[f"claim-open-{cid}"] = True
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "✗ Contradicts" in shown and "✓ Supports" in shown
    # The contradicting sentence's own status words are highlighted in red; the joining terms in grey.
    assert ":red-background[**" in shown and ":gray-background[" in shown
    assert "why contradicts: status:" in unescape(shown)


def test_show_more_adds_a_page():
    at = run_page(PAGE)
    n = len(tables(at)["claims"])
    more = next(b for b in at.button if b.label.startswith("Show "))
    more.click().run()
    assert not at.exception
    assert len(_claim_expanders(at)) == min(50, n)


def test_per_source_panel_lists_exclusives_and_omissions():
    at = run_page(PAGE)
    assert any(s.value == "Exclusives and omissions per source" for s in at.subheader)
    summary = next(d.value for d in at.dataframe if {"exclusives", "omissions"} <= set(d.value.columns))
    sources = sorted(tables(at)["articles"]["source"].unique())
    assert summary["source"].tolist() == sources
    source = at.selectbox(key="claims-panel-source").value
    n_exclusive = int(summary.set_index("source").loc[source, "exclusives"])
    shown = texts(at)
    assert f"**Exclusives** ({n_exclusive})" in shown
    assert "**Omissions** (" in shown


def test_how_computed_has_method_notes_and_dev_metrics():
    at = run_page(PAGE)
    how = next(e for e in at.expander if e.label == "How this is computed")
    assert any("How claims are found" in m.value for m in how.markdown)
    assert any({"metric", "value"} <= set(d.value.columns) for d in how.dataframe)
