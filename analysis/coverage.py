"""Coverage table: how much, how early and in what tone each source covers each theme."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.schema import columns

COUNTED_KINDS = ("body", "list_item")


def counted(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences that count toward coverage and tone (body and list items)."""
    return sentences[sentences["kind"].isin(COUNTED_KINDS)]


def theme_lists(themes: pd.Series) -> pd.Series:
    """Split the ';'-joined ``themes`` column into lists (empty list for untagged sentences)."""
    return themes.fillna("").map(lambda s: [t for t in s.split(";") if t])


def build_coverage(sentences: pd.DataFrame, theme_names: Sequence[str]) -> pd.DataFrame:
    """One row per source and theme: sentence count, share, mean tone and prominence.

    Columns (schema ``coverage``): source, theme, sentences, share, mean_sentiment, first_position.
    ``first_position`` is relative: the theme's first tagged sentence in an article, as its index among
    the article's counted sentences divided by their number (0 = lead), averaged over the articles of the
    source that mention the theme. Sources x themes with no sentence are kept (0 sentences), so a heatmap
    shows a real zero rather than a gap.
    """
    body = counted(sentences).copy()
    if body.empty:
        return pd.DataFrame(columns=columns("coverage"))
    body["_rank"] = body.groupby("article_id").cumcount()
    body["_n"] = body.groupby("article_id")["position"].transform("size")
    body["_rel"] = body["_rank"] / body["_n"].clip(lower=1)
    body["theme"] = theme_lists(body["themes"])
    totals = body.groupby("source").size()
    tagged = body.explode("theme").dropna(subset=["theme"])
    tagged = tagged[tagged["theme"].isin(theme_names)]

    stats = tagged.groupby(["source", "theme"]).agg(sentences=("sentence_id", "size"),
                                                    mean_sentiment=("sentiment", "mean"))
    first = (tagged.groupby(["source", "theme", "article_id"])["_rel"].min()
             .groupby(level=["source", "theme"]).mean().rename("first_position"))
    grid = pd.MultiIndex.from_product([sorted(totals.index), list(theme_names)], names=["source", "theme"])
    out = stats.join(first).reindex(grid).reset_index()
    out["sentences"] = out["sentences"].fillna(0).astype(int)
    out["share"] = out["sentences"] / out["source"].map(totals).astype(float)
    out["mean_sentiment"] = out["mean_sentiment"].astype(float).round(4)
    out["first_position"] = out["first_position"].astype(float).round(4)
    out["share"] = out["share"].round(4)
    out.loc[out["sentences"] == 0, ["mean_sentiment", "first_position"]] = np.nan
    return out[columns("coverage")]
