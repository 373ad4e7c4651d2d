"""Charts are tested through their data (what the analyst reads), never through pixels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.charts import (
    OKABE_ITO,
    PALETTE,
    build_entity_figure,
    build_entity_tone_figure,
    build_heatmap_figure,
    build_theme_share_figure,
    build_tone_figure,
    heatmap_matrix,
    source_colors,
    source_tone,
    top_entities,
)
from analysis.textsafe import escape_markdown, highlight_markdown, parse_cues

THEMES = ["copyright", "strategy", "regulation"]


@pytest.fixture()
def coverage() -> pd.DataFrame:
    rows = [
        # source, theme, sentences, share, mean_sentiment, first_position
        ("Alpha News", "copyright", 8, 0.4, -0.3, 0.1),
        ("Alpha News", "strategy", 2, 0.1, 0.2, 0.5),
        ("Alpha News", "regulation", 0, 0.0, None, None),
        ("Beta Wire", "copyright", 1, 0.05, -0.1, 0.8),
        ("Beta Wire", "strategy", 12, 0.6, 0.35, 0.0),
        ("Beta Wire", "regulation", 3, 0.15, -0.05, 0.4),
    ]
    return pd.DataFrame(rows, columns=["source", "theme", "sentences", "share", "mean_sentiment",
                                       "first_position"])


@pytest.fixture()
def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a1", "a2", "b1"],
        "source": ["Alpha News", "Alpha News", "Beta Wire"],
        "n_sentences": [10, 30, 20],
        "sentiment": [0.4, 0.0, -0.2],
    })


@pytest.fixture()
def entities() -> pd.DataFrame:
    rows = [
        ("Alpha News", "Meta", "ORG", 6, 5, 0.2),
        ("Alpha News", "Getty Images", "ORG", 3, 3, -0.4),
        ("Beta Wire", "Meta", "ORG", 2, 2, -0.1),
        ("Beta Wire", "OpenAI", "ORG", 4, 4, 0.0),
        ("Gamma Post", "Meta", "ORG", 1, 1, 0.5),
    ]
    cols = ["source", "entity", "label", "mentions", "sentences", "mean_sentiment"]
    return pd.DataFrame(rows, columns=cols)


def test_source_colors_stable_under_filtering_and_order():
    everyone = ["Zeta", "alpha", "Beta", "Gamma"]
    colors = source_colors(everyone)
    assert colors == source_colors(list(reversed(everyone)))
    assert len(set(colors.values())) == 4
    # Okabe-Ito first, in sorted order of all sources
    assert colors[sorted(everyone)[0]] == OKABE_ITO[0]
    assert "#000000" not in colors.values()  # black vanishes on a dark theme


def test_source_colors_cycle_beyond_palette():
    many = [f"s{i:02d}" for i in range(len(PALETTE) + 3)]
    colors = source_colors(many)
    assert colors["s00"] == colors[f"s{len(PALETTE):02d}"]
    assert len(set(list(colors.values())[:len(PALETTE)])) == len(PALETTE)


def test_heatmap_share_values_and_annotations(coverage):
    fig = build_heatmap_figure(coverage, "share", ["Alpha News", "Beta Wire"], THEMES)
    trace = fig.to_dict()["data"][0]
    assert trace["z"] == [[0.4, 0.1, 0.0], [0.05, 0.6, 0.15]]
    assert trace["text"][0] == ["40%", "10%", "0%"]
    assert list(trace["x"]) == THEMES and list(trace["y"]) == ["Alpha News", "Beta Wire"]


def test_heatmap_metric_switch_changes_data(coverage):
    sources = ["Alpha News", "Beta Wire"]
    count = build_heatmap_figure(coverage, "count", sources, THEMES).to_dict()["data"][0]
    tone = build_heatmap_figure(coverage, "tone", sources, THEMES).to_dict()["data"][0]
    assert count["z"] == [[8, 2, 0], [1, 12, 3]]
    assert tone["z"][0][0] == -0.3 and tone["z"][1][1] == 0.35
    # No sentences: tone is undefined, not zero, and the cell says so.
    assert tone["z"][0][2] is None or math.isnan(tone["z"][0][2])
    assert tone["text"][0][2] == "–"
    assert tone["zmid"] == 0 and tone["zmin"] == -1 and tone["zmax"] == 1


def test_heatmap_hover_carries_prominence(coverage):
    data = build_heatmap_figure(coverage, "share", ["Beta Wire"], THEMES).to_dict()["data"]
    first = [cell[3] for cell in data[0]["customdata"][0]]
    assert first == ["80% into the article", "0% into the article", "40% into the article"]
    # the click/hover layer: one invisible marker per cell, carrying the same figures
    cells = data[1]
    assert cells["type"] == "scatter" and cells["marker"]["opacity"] == 0
    assert list(zip(cells["y"], cells["x"], strict=True)) == [("Beta Wire", t) for t in THEMES]
    assert [c[3] for c in cells["customdata"]] == first
    assert "first mention" in cells["hovertemplate"]


def test_heatmap_outlines_the_selected_cell(coverage):
    fig = build_heatmap_figure(coverage, "share", ["Alpha News", "Beta Wire"], THEMES,
                               selected=("Beta Wire", "regulation"))
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (1.5, 2.5, 0.5, 1.5)
    unknown = build_heatmap_figure(coverage, "share", ["Alpha News"], THEMES, selected=("Beta Wire", "x"))
    assert not unknown.layout.shapes


def test_heatmap_respects_source_subset_and_unknown_metric(coverage):
    z = heatmap_matrix(coverage, "count", ["Beta Wire"], ["strategy"])
    assert z.to_numpy().tolist() == [[12.0]]
    with pytest.raises(ValueError):
        heatmap_matrix(coverage, "volume", ["Beta Wire"], THEMES)


def test_source_tone_is_sentence_weighted(articles):
    tone = source_tone(articles).set_index("source")
    # (0.4*10 + 0*30) / 40 = 0.1, not the article mean 0.2
    assert tone.loc["Alpha News", "tone"] == pytest.approx(0.1)
    assert tone.loc["Alpha News", "articles"] == 2
    assert list(source_tone(articles)["source"]) == ["Alpha News", "Beta Wire"]


def test_tone_figure_labels_and_colors(articles):
    colors = source_colors(["Alpha News", "Beta Wire"])
    trace = build_tone_figure(articles, colors).to_dict()["data"][0]
    by_source = dict(zip(trace["y"], trace["x"], strict=True))
    assert by_source["Alpha News"] == pytest.approx(0.1)
    assert by_source["Beta Wire"] == pytest.approx(-0.2)
    labels = dict(zip(trace["y"], trace["text"], strict=True))
    assert labels["Alpha News"] == "+0.10 · 2 articles" and labels["Beta Wire"] == "-0.20 · 1 article"
    colors_used = dict(zip(trace["y"], trace["marker"]["color"], strict=True))
    assert colors_used == colors


def test_theme_share_figure_groups_sources_on_one_axis(coverage):
    colors = source_colors(["Alpha News", "Beta Wire"])
    fig = build_theme_share_figure(coverage, ["Beta Wire", "Alpha News"], colors, THEMES)
    data = fig.to_dict()["data"]
    # first chosen source on top of each group and first in the (reversed) legend
    assert [t["name"] for t in data] == ["Alpha News", "Beta Wire"]
    beta = data[1]
    # themes listed top to bottom in theme-file order: plotly draws the first y at the bottom
    assert list(beta["y"]) == list(reversed(THEMES))
    assert list(beta["x"]) == [0.15, 0.6, 0.05]
    assert beta["text"][1] == "60% (12)"
    assert beta["marker"]["color"] == colors["Beta Wire"]
    # one x range for every source: the largest share of either, with room for the labels
    assert fig.layout.xaxis.range[1] == pytest.approx(0.6 * 1.3)


def test_entity_figure_groups_by_source(entities):
    colors = source_colors(["Alpha News", "Beta Wire", "Gamma Post"])
    fig = build_entity_figure(entities, ["Alpha News", "Beta Wire"], colors)
    data = fig.to_dict()["data"]
    # first source's bars on top of each group and first in the (reversed) legend
    assert [t["name"] for t in data] == ["Beta Wire", "Alpha News"]
    assert fig.layout.legend.traceorder == "reversed"
    # most mentioned (8 in the two sources) at the top = last y
    assert data[1]["y"][-1] == "Meta"
    alpha = dict(zip(data[1]["y"], data[1]["x"], strict=True))
    assert alpha == {"OpenAI": 0, "Getty Images": 3, "Meta": 6}
    assert top_entities(entities, ["Beta Wire"]) == ["OpenAI", "Meta"]


def test_entity_tone_figure_only_shared_entities(entities):
    colors = source_colors(["Alpha News", "Beta Wire", "Gamma Post"])
    data = build_entity_tone_figure(entities, ["Alpha News", "Beta Wire"], colors).to_dict()["data"]
    assert [list(t["y"]) for t in data] == [["Meta"], ["Meta"]]
    assert {t["name"]: t["x"][0] for t in data} == {"Alpha News": pytest.approx(0.2),
                                                     "Beta Wire": pytest.approx(-0.1)}


def test_escape_markdown_neutralises_markup():
    hostile = "**x** [a](http://e.vil) <script>1</script> :red[y] $z$ :material/home: #h\nnext"
    out = escape_markdown(hostile)
    for raw in ("**", "[a]", "<script>", ":red[", "$z$", "\n"):
        assert raw not in out
    assert ":material/home:" not in out.replace("\\", "")  # zero-width space breaks the icon pattern
    assert escape_markdown(float("nan")) == "" and escape_markdown(None) == ""


def test_highlight_markdown_uses_lemmas_and_escapes():
    text = "Meta licensed [its] tech, citing fair-use."
    md = highlight_markdown(text, ["license", "fair use"],
                            tokens="meta licensed its tech citing fair use",
                            lemmas="meta license its tech cite fair use")
    assert ":blue-background[licensed]" in md
    assert ":blue-background[fair\\-use]" in md
    assert "\\[its\\]" in md
    # nothing to highlight: plain escaped text
    assert highlight_markdown("a * b", ["zzz"]) == "a \\* b"


def test_parse_cues():
    assert parse_cues("copyright: lawsuit, fair use; strategy: partnership") == {
        "copyright": ["lawsuit", "fair use"], "strategy": ["partnership"]}
    assert parse_cues("") == {} and parse_cues(None) == {}
