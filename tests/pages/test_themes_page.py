"""Themes heatmap page (AppTest on the seeds): metric switch (also from the URL), evidence, empty state."""

from __future__ import annotations

from conftest import figures, run_page, set_filters, tables, texts, unescape

PAGE = "pages/themes.py"


def _heatmap(at) -> dict:
    return next(f["data"][0] for f in figures(at) if f["data"] and f["data"][0]["type"] == "heatmap")


def test_heatmap_share_by_default_matches_coverage():
    at = run_page(PAGE)
    cov = tables(at)["coverage"]
    trace = _heatmap(at)
    row, col = trace["y"][0], trace["x"][0]
    expected = cov[(cov["source"] == row) & (cov["theme"] == col)]["share"].iloc[0]
    assert trace["z"][0][0] == expected
    assert trace["text"][0][0] == f"{expected:.0%}"


def test_metric_switch_changes_the_figure_data():
    at = run_page(PAGE)
    share = _heatmap(at)
    at.segmented_control(key="metric").set_value("Sentences").run()
    assert not at.exception
    count = _heatmap(at)
    assert count["z"] != share["z"]
    assert all(float(v).is_integer() for r in count["z"] for v in r)
    at.segmented_control(key="metric").set_value("Tone").run()
    tone = _heatmap(at)
    assert tone["zmid"] == 0 and tone["zmin"] == -1 and tone["zmax"] == 1


def test_metric_comes_from_the_url():
    at = run_page(PAGE, query={"metric": "Tone"})
    assert at.segmented_control(key="metric").value == "Tone"
    trace = _heatmap(at)
    assert trace["zmid"] == 0
    cov = tables(at)["coverage"]
    row, col = trace["y"][0], trace["x"][0]
    tone = cov[(cov["source"] == row) & (cov["theme"] == col)]["mean_sentiment"].iloc[0]
    assert trace["text"][0][0] == ("–" if tone != tone else f"{tone:+.2f}")


def test_cell_selection_shows_its_evidence():
    at = run_page(PAGE)
    t = tables(at)
    cov = t["coverage"]
    cell = cov[cov["sentences"] > 0].sort_values("sentences").iloc[0]
    at.selectbox(key="heatmap-source").set_value(cell["source"])
    at.selectbox(key="heatmap-theme").set_value(cell["theme"]).run()
    assert not at.exception
    sents = t["sentences"]
    expected = sents[(sents["source"] == cell["source"]) & sents["kind"].isin(["body", "list_item"])
                     & sents["themes"].fillna("").map(lambda s: cell["theme"] in s.split(";"))]
    assert len(expected) == cell["sentences"]
    shown = unescape("\n".join(m.value for m in at.markdown))
    for text in expected["text"].head(5):
        assert " ".join(text.split()) in shown
    assert f"{int(cell['sentences'])} sentences" in unescape(texts(at))
    assert "cues: " in unescape(texts(at))


def test_empty_cell_and_filtered_sources():
    at = run_page(PAGE)
    cov = tables(at)["coverage"]
    empty = cov[cov["sentences"] == 0].iloc[0]
    at.selectbox(key="heatmap-source").set_value(empty["source"])
    at.selectbox(key="heatmap-theme").set_value(empty["theme"]).run()
    assert any("has no sentence tagged" in unescape(i.value) for i in at.info)

    set_filters(at, sources=[empty["source"]], themes=[empty["theme"]])
    trace = _heatmap(at)
    assert trace["y"] == [empty["source"]] and trace["x"] == [empty["theme"]]
    assert trace["z"] == [[0.0]]
