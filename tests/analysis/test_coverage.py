"""Coverage table on a hand-made sentences table."""

import math

import pandas as pd
import pytest

from analysis.coverage import build_coverage


def _sentences():
    rows = [
        # article a1 (source A): 4 counted sentences + a heading that must not count
        ("a1", "A", 0, "heading", "ethics", 0.9),
        ("a1", "A", 1, "body", "strategy", 0.5),
        ("a1", "A", 2, "body", "", 0.0),
        ("a1", "A", 3, "list_item", "copyright;strategy", -0.5),
        ("a1", "A", 4, "body", "copyright", -0.3),
        # article b1 (source B): 2 counted sentences
        ("b1", "B", 0, "body", "", 0.1),
        ("b1", "B", 1, "body", "strategy", 0.3),
        ("b1", "B", 2, "citation", "strategy", 0.0),
    ]
    df = pd.DataFrame(rows, columns=["article_id", "source", "position", "kind", "themes", "sentiment"])
    df["sentence_id"] = df["article_id"] + ":" + df["position"].astype(str)
    return df


def test_counts_shares_tone_and_prominence():
    cov = build_coverage(_sentences(), ["ethics", "copyright", "strategy"]).set_index(["source", "theme"])
    assert cov.loc[("A", "strategy"), "sentences"] == 2
    assert cov.loc[("A", "strategy"), "share"] == pytest.approx(0.5)
    assert cov.loc[("A", "strategy"), "mean_sentiment"] == pytest.approx(0.0)
    # first strategy sentence of a1 is its first counted sentence -> relative position 0
    assert cov.loc[("A", "strategy"), "first_position"] == pytest.approx(0.0)
    assert cov.loc[("A", "copyright"), "first_position"] == pytest.approx(2 / 4)
    assert cov.loc[("A", "copyright"), "mean_sentiment"] == pytest.approx(-0.4)
    # headings and citations never count, even when tagged
    assert cov.loc[("A", "ethics"), "sentences"] == 0
    assert math.isnan(cov.loc[("A", "ethics"), "mean_sentiment"])
    assert cov.loc[("B", "strategy"), "sentences"] == 1
    assert cov.loc[("B", "strategy"), "share"] == pytest.approx(0.5)
    assert cov.loc[("B", "strategy"), "first_position"] == pytest.approx(0.5)


def test_every_source_theme_pair_is_present():
    cov = build_coverage(_sentences(), ["ethics", "copyright", "strategy", "products"])
    assert len(cov) == 2 * 4
    assert list(cov.columns) == ["source", "theme", "sentences", "share", "mean_sentiment", "first_position"]
