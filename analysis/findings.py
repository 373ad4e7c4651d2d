"""Headline findings in plain sentences, and the small selections the pages draw (evidence, extremes).

Every finding is computed from the exported tables and names the numbers behind it, so an analyst can
check it on the other pages: the theme share comes from ``coverage``, tone from ``articles``/``sentences``,
claim findings from ``claims``. Thresholds keep weak differences out: a finding that would say "A covers
X a bit more than B" is noise, not a headline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.coverage import COUNTED_KINDS

# A theme emphasis is a headline only when the source's share beats the rest by this many points AND
# is at least this many times the rest's share, with a minimum of sentences (small counts swing).
EMPHASIS_MIN_POINTS = 0.08
EMPHASIS_MIN_RATIO = 1.5
EMPHASIS_MIN_SENTENCES = 3
# Tone spread below this (on the [-1, 1] scale) is reported as "similar tone".
TONE_MIN_SPREAD = 0.05
# Long enough for a whole news sentence (most are under 40 words): a contested claim cut before the
# thing it is about ("...and the newly launched M…") tells the analyst nothing.
CLAIM_TEXT_CHARS = 240
MAX_FINDINGS = 8


def _split(value: object) -> list[str]:
    return [v for v in str(value).split(";") if v] if isinstance(value, str) else []


def _quote(text: object, limit: int = CLAIM_TEXT_CHARS) -> str:
    s = " ".join(str(text).split())
    return f"“{s if len(s) <= limit else s[:limit - 1].rstrip() + '…'}”"


def _names(items: Sequence[str], limit: int = 4) -> str:
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def source_sentence_totals(tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Counted (body/list-item) sentences per source, from the articles table (sentences table fallback)."""
    articles = tables.get("articles")
    if articles is not None and "n_sentences" in articles and not articles.empty:
        return articles.groupby("source")["n_sentences"].sum().astype(int)
    sentences = tables.get("sentences", pd.DataFrame(columns=["source", "kind"]))
    return sentences[sentences["kind"].isin(COUNTED_KINDS)].groupby("source").size()


def theme_emphasis(coverage: pd.DataFrame, totals: pd.Series) -> pd.DataFrame:
    """Per source and theme: the source's share vs the pooled share of all other sources, and the lift."""
    cols = ["source", "theme", "sentences", "share", "rest_share", "diff", "ratio"]
    if coverage.empty or len(totals) < 2:
        return pd.DataFrame(columns=cols)
    cov = coverage[coverage["source"].isin(totals.index)].copy()
    theme_total = cov.groupby("theme")["sentences"].sum()
    all_total = float(totals.sum())
    cov["_total"] = cov["source"].map(totals).astype(float)
    rest_n = all_total - cov["_total"]
    safe_total = cov["_total"].where(cov["_total"] > 0, 1)
    cov["share"] = np.where(cov["_total"] > 0, cov["sentences"] / safe_total, 0.0)
    cov["rest_share"] = np.where(rest_n > 0, (cov["theme"].map(theme_total) - cov["sentences"])
                                 / rest_n.where(rest_n > 0, 1), 0.0)
    cov["diff"] = cov["share"] - cov["rest_share"]
    cov["ratio"] = cov["share"] / cov["rest_share"].where(cov["rest_share"] > 0, np.nan)
    return cov[cols].sort_values("diff", ascending=False).reset_index(drop=True)


def _emphasis_findings(tables: Mapping[str, pd.DataFrame], totals: pd.Series) -> list[str]:
    coverage = tables.get("coverage")
    if coverage is None:
        return []
    emph = theme_emphasis(coverage, totals)
    if emph.empty:
        return []
    ratio_ok = emph["ratio"].isna() | (emph["ratio"] >= EMPHASIS_MIN_RATIO)
    strong = emph[(emph["diff"] >= EMPHASIS_MIN_POINTS) & ratio_ok
                  & (emph["sentences"] >= EMPHASIS_MIN_SENTENCES)]
    out, seen_sources, seen_themes = [], set(), set()
    for row in strong.itertuples(index=False):
        # One headline per source and per theme: the strongest lift of each says the most.
        if row.source in seen_sources or row.theme in seen_themes:
            continue
        seen_sources.add(row.source)
        seen_themes.add(row.theme)
        out.append(f"{row.source} leans hardest on {row.theme} ({row.share:.0%} of its sentences, "
                   f"vs {row.rest_share:.0%} for the rest).")
        if len(out) == 2:
            break
    # Silence: a theme most other sources cover that one source never mentions.
    present = coverage[coverage["source"].isin(totals.index)]
    for theme, grp in present.groupby("theme", sort=False):
        covering = grp[grp["sentences"] > 0]["source"].tolist()
        silent = grp[grp["sentences"] == 0]["source"].tolist()
        if len(silent) == 1 and len(covering) >= 2 and len(covering) >= len(grp) - 1:
            out.append(f"{silent[0]} never mentions {theme}, which {len(covering)} of the other "
                       f"{len(grp) - 1} sources cover.")
            break
    return out


def _tone_findings(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    from analysis.charts import source_tone

    articles = tables.get("articles")
    if articles is None or articles.empty:
        return []
    tone = source_tone(articles).dropna(subset=["tone"])
    tone = tone[tone["sentences"] > 0]
    if len(tone) < 2:
        return []
    top, bottom = tone.iloc[0], tone.iloc[-1]
    if top["tone"] - bottom["tone"] < TONE_MIN_SPREAD:
        return [f"Tone is similar across sources (mean sentence tone from {bottom['tone']:+.2f} to "
                f"{top['tone']:+.2f} on a −1…+1 scale)."]
    # "Most critical" for a source whose tone is still positive would mislead: say "least positive".
    high = "Most positive source" if top["tone"] > 0 else "Least critical source"
    low = "most critical" if bottom["tone"] < 0 else "least positive"
    return [f"{high}: {top['source']} (mean tone {top['tone']:+.2f}); {low}: "
            f"{bottom['source']} ({bottom['tone']:+.2f}), on a −1…+1 scale."]


def _claim_findings(tables: Mapping[str, pd.DataFrame], sources: set[str]) -> list[str]:
    claims = tables.get("claims")
    if claims is None or claims.empty:
        return []
    df = claims.copy()
    # Restrict every claim to the sources in view (the sidebar filter), then re-derive its status.
    for col in ("sources_support", "sources_contradict"):
        df[col + "_in"] = df[col].map(lambda v: [s for s in _split(v) if s in sources])
    df["_sup"] = df["n_support"].fillna(0).astype(int)
    df["_con"] = df["n_contradict"].fillna(0).astype(int)
    df["_min"] = np.minimum(df["_sup"], df["_con"])
    df["_all"] = df["_sup"] + df["_con"]
    has_sup = df["sources_support_in"].map(len) > 0
    has_con = df["sources_contradict_in"].map(len) > 0
    out = []
    contested = df[(df["status"] == "contested") & has_sup & has_con]
    if not contested.empty:
        # The most balanced split among the most voices: 3 vs 3 is more contested than 5 vs 1.
        best = contested.sort_values(["_min", "_all", "claim_id"], ascending=[False, False, True]).iloc[0]
        out.append(f"Most contested claim: {_quote(best['text'])}: backed by "
                   f"{_names(best['sources_support_in'])}, contradicted by "
                   f"{_names(best['sources_contradict_in'])}.")
    consensus = df[(df["status"] == "consensus") & (df["sources_support_in"].map(len) >= 2)]
    if not consensus.empty:
        order = consensus.assign(_n=consensus["sources_support_in"].map(len),
                                 _a=consensus["agreement"].fillna(0).astype(float))
        best = order.sort_values(["_n", "_a", "claim_id"], ascending=[False, False, True]).iloc[0]
        out.append(f"Strongest consensus: {_quote(best['text'])}: stated by {best['_n']} sources "
                   f"({_names(best['sources_support_in'])}).")
    single = df[(df["status"] == "single-source") & has_sup]
    if not single.empty and len(sources) >= 2:
        counts = single["sources_support_in"].explode().value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        name, n = counts.index[0], int(counts.iloc[0])
        if n >= 2:
            out.append(f"Most exclusives: {name}, with {n} claims no other source makes.")
    return out


def headline_findings(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Plain-sentence headline findings over the (possibly filtered) tables; empty when nothing stands out.

    Uses ``articles`` (sources in view, tone), ``coverage`` (theme emphasis and silences) and ``claims``
    (contested, consensus, exclusives; claim source lists are restricted to the sources in ``articles``).
    """
    articles = tables.get("articles")
    if articles is None or articles.empty:
        return []
    sources = set(articles["source"].astype(str))
    totals = source_sentence_totals(tables)
    totals = totals[totals.index.isin(sources)]
    findings = _emphasis_findings(tables, totals) + _tone_findings(tables) + _claim_findings(tables, sources)
    return findings[:MAX_FINDINGS]


def corpus_facts(tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Counts describing the corpus in view: articles, sources, sentences, words, dates known, skipped."""
    articles = tables.get("articles", pd.DataFrame(columns=["source", "published", "n_sentences", "n_words"]))
    published = articles["published"].fillna("").astype(str).str.strip() if len(articles) else pd.Series([])
    skipped = tables.get("skipped")
    return {
        "articles": int(len(articles)),
        "sources": int(articles["source"].nunique()) if len(articles) else 0,
        "sentences": int(articles["n_sentences"].fillna(0).sum()) if len(articles) else 0,
        "words": int(articles["n_words"].fillna(0).sum()) if len(articles) else 0,
        "dated": int((published != "").sum()),
        "undated": int((published == "").sum()),
        "skipped": int(len(skipped)) if skipped is not None else 0,
    }


def sources_by_articles(articles: pd.DataFrame) -> list[str]:
    """Sources ordered by article count (most first), ties by name."""
    if articles.empty:
        return []
    counts = articles.groupby("source").size().reset_index(name="n")
    return counts.sort_values(["n", "source"], ascending=[False, True])["source"].tolist()


def has_theme(themes: pd.Series, theme: str) -> pd.Series:
    """Boolean mask: rows whose ';'-joined ``themes`` cell contains ``theme`` exactly."""
    return themes.fillna("").map(lambda s: theme in s.split(";"))


def counted_sentences(sentences: pd.DataFrame, source: str | None = None,
                      theme: str | None = None) -> pd.DataFrame:
    """Body/list-item sentences, optionally of one source and one theme, in article order."""
    df = sentences[sentences["kind"].isin(COUNTED_KINDS)]
    if source is not None:
        df = df[df["source"] == source]
    if theme:
        df = df[has_theme(df["themes"], theme)]
    return df


def tone_extremes(sentences: pd.DataFrame, source: str, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The n most positive and n most negative counted sentences of a source (zero-tone ones excluded).

    A sentence the source repeats (a standard paragraph in each of its articles, syndicated copy) is
    listed once: n copies of one sentence would hide its other extremes.
    """
    df = counted_sentences(sentences, source)
    pos = df[df["sentiment"] > 0].sort_values(["sentiment", "sentence_id"], ascending=[False, True])
    neg = df[df["sentiment"] < 0].sort_values(["sentiment", "sentence_id"], ascending=[True, True])
    return pos.drop_duplicates("text").head(n), neg.drop_duplicates("text").head(n)


def filter_by_themes(df: pd.DataFrame, themes: Sequence[str], all_themes: Sequence[str]) -> pd.DataFrame:
    """Rows whose ``themes`` cell holds one of ``themes``; unchanged when every theme is selected."""
    if "themes" not in df.columns or set(themes) >= set(all_themes):
        return df
    wanted = set(themes)
    return df[df["themes"].fillna("").map(lambda s: bool(wanted & set(s.split(";"))))]


def filter_claims_by_sources(claims: pd.DataFrame, sources: Sequence[str],
                             all_sources: Sequence[str]) -> pd.DataFrame:
    """Claims that one of ``sources`` supports, contradicts or hedges; all when nothing is filtered."""
    if claims.empty or set(sources) >= set(all_sources):
        return claims
    wanted = set(sources)
    cols = [c for c in ("sources_support", "sources_contradict", "sources_hedged") if c in claims]
    mask = claims[cols].apply(lambda row: any(wanted & set(_split(v)) for v in row), axis=1)
    return claims[mask.astype(bool)] if len(mask) else claims.iloc[0:0]


def exclusive_entities(entities: pd.DataFrame, sources: Sequence[str], top_n: int = 8) -> pd.DataFrame:
    """Entities that only one of ``sources`` names: source, entity, label, mentions (most mentioned first)."""
    cols = ["source", "entity", "label", "mentions"]
    df = entities[entities["source"].isin(sources)]
    if df.empty:
        return pd.DataFrame(columns=cols)
    n_src = df.groupby("entity")["source"].nunique()
    only = df[df["entity"].map(n_src) == 1]
    only = only.groupby(["source", "entity"], as_index=False).agg(label=("label", "first"),
                                                                  mentions=("mentions", "sum"))
    only = only.sort_values(["source", "mentions", "entity"], ascending=[True, False, True])
    return only.groupby("source").head(top_n)[cols].reset_index(drop=True)


def terms_with_examples(terms: pd.DataFrame, sentences: pd.DataFrame, source: str,
                        n: int = 10) -> pd.DataFrame:
    """The source's top distinctive terms (term, count, z) with an example sentence when one is recorded."""
    df = terms[terms["source"] == source].sort_values("z", ascending=False).head(n)
    out = df[["term", "count", "z"]].copy()
    if "example_sentence_id" in df.columns:
        texts = sentences.drop_duplicates("sentence_id").set_index("sentence_id")["text"]
        out["example"] = df["example_sentence_id"].map(texts).fillna("").tolist()
    return out.reset_index(drop=True)
