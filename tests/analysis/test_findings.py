"""Headline findings and page selections on small hand-made tables with the schema's columns."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.findings import (
    corpus_facts,
    exclusive_entities,
    filter_by_themes,
    filter_claims_by_sources,
    headline_findings,
    sources_by_articles,
    terms_with_examples,
    theme_emphasis,
    tone_extremes,
)
from analysis.schema import columns


def _articles(rows):
    cols = ["article_id", "source", "published", "n_sentences", "n_words", "sentiment"]
    return pd.DataFrame(rows, columns=cols)


def _coverage(rows):
    return pd.DataFrame(rows, columns=columns("coverage"))


def _claims(rows):
    df = pd.DataFrame(rows, columns=["claim_id", "text", "status", "sources_support", "sources_contradict",
                                     "n_support", "n_contradict", "agreement"])
    for col in columns("claims"):
        if col not in df:
            df[col] = ""
    return df[columns("claims")]


@pytest.fixture()
def tables():
    articles = _articles([
        ("p1", "Pharma Daily", "2025-03-01", 20, 400, 0.30),
        ("p2", "Pharma Daily", "", 20, 380, 0.10),
        ("m1", "Market Watchers", "2025-03-02", 40, 900, -0.15),
        ("r1", "Regional Ledger", "", 20, 300, 0.05),
    ])
    coverage = _coverage([
        ("Pharma Daily", "regulation", 18, 0.45, -0.2, 0.1),
        ("Pharma Daily", "deal terms", 10, 0.25, 0.1, 0.3),
        ("Market Watchers", "regulation", 4, 0.10, -0.1, 0.5),
        ("Market Watchers", "deal terms", 16, 0.40, 0.2, 0.0),
        ("Regional Ledger", "regulation", 2, 0.10, 0.0, 0.6),
        ("Regional Ledger", "deal terms", 0, 0.0, None, None),
    ])
    claims = _claims([
        ("C001", "The merger was approved by regulators on Friday.", "contested",
         "Pharma Daily;Regional Ledger", "Market Watchers", 2, 1, 0.67),
        ("C002", "The deal is worth $12 billion.", "consensus",
         "Pharma Daily;Market Watchers;Regional Ledger", "", 3, 0, 1.0),
        ("C003", "The combined firm will cut 2,000 jobs.", "single-source", "Market Watchers", "", 1, 0, 1.0),
        ("C004", "Shares rose 8% after the announcement.", "single-source", "Market Watchers", "", 1, 0, 1.0),
        ("C005", "The CEO will step down.", "single-source", "Pharma Daily", "", 1, 0, 1.0),
    ])
    skipped = pd.DataFrame({"path": ["bad.pdf"], "reason": ["unsupported file type"]})
    return {"articles": articles, "coverage": coverage, "claims": claims, "skipped": skipped}


def test_theme_emphasis_against_pooled_rest(tables):
    totals = tables["articles"].groupby("source")["n_sentences"].sum()
    emph = theme_emphasis(tables["coverage"], totals).set_index(["source", "theme"])
    row = emph.loc[("Pharma Daily", "regulation")]
    assert row["share"] == pytest.approx(18 / 40)
    assert row["rest_share"] == pytest.approx((4 + 2) / 60)


def test_headline_findings_name_the_numbers(tables):
    findings = headline_findings(tables)
    text = "\n".join(findings)
    assert "Pharma Daily leans hardest on regulation (45% of its sentences, vs 10% for the rest)." in findings
    assert "Market Watchers leans hardest on deal terms" in text
    assert "Regional Ledger never mentions deal terms" in text
    # tone: sentence-weighted means: Pharma (0.3*20+0.1*20)/40 = +0.20, Market -0.15
    assert ("Most positive source: Pharma Daily (mean tone +0.20); most critical: Market Watchers (-0.15)"
            in text)
    assert "Most contested claim: “The merger was approved by regulators on Friday.”" in text
    assert "contradicted by Market Watchers" in text
    assert "Strongest consensus: “The deal is worth $12 billion.”: stated by 3 sources" in text
    assert "Most exclusives: Market Watchers, with 2 claims no other source makes." in text


def test_findings_follow_the_source_filter(tables):
    keep = ["Pharma Daily", "Regional Ledger"]
    filtered = {name: (df[df["source"].isin(keep)] if "source" in df else df) for name, df in tables.items()}
    text = "\n".join(headline_findings(filtered))
    assert "Market Watchers" not in text
    # the contested claim loses its only contradicting source in view: no longer reported as contested
    assert "Most contested" not in text
    assert "stated by 2 sources (Pharma Daily, Regional Ledger)" in text


def test_tone_wording_when_every_source_is_positive():
    articles = _articles([("a", "A", "", 10, 100, 0.45), ("b", "B", "", 10, 100, 0.18)])
    findings = headline_findings({"articles": articles})
    assert findings == ["Most positive source: A (mean tone +0.45); least positive: B (+0.18), "
                        "on a −1…+1 scale."]


def test_similar_tone_and_weak_emphasis_are_not_headlines():
    articles = _articles([("a", "A", "", 50, 900, 0.10), ("b", "B", "", 50, 900, 0.12)])
    coverage = _coverage([("A", "recall", 10, 0.20, 0.0, 0.1), ("B", "recall", 12, 0.24, 0.0, 0.1)])
    findings = headline_findings({"articles": articles, "coverage": coverage})
    assert not any("leans hardest" in f for f in findings)
    assert findings == ["Tone is similar across sources (mean sentence tone from +0.10 to +0.12 "
                        "on a −1…+1 scale)."]


def test_single_source_corpus_and_empty_tables():
    articles = _articles([("a", "Only", "", 10, 100, -0.5)])
    coverage = _coverage([("Only", "recall", 10, 1.0, -0.5, 0.0)])
    assert headline_findings({"articles": articles, "coverage": coverage}) == []
    assert headline_findings({"articles": articles.iloc[0:0]}) == []


def test_corpus_facts(tables):
    facts = corpus_facts(tables)
    assert facts == {"articles": 4, "sources": 3, "sentences": 100, "words": 1980, "dated": 2,
                     "undated": 2, "skipped": 1}


def test_sources_by_articles(tables):
    assert sources_by_articles(tables["articles"]) == ["Pharma Daily", "Market Watchers", "Regional Ledger"]


def _sentences():
    return pd.DataFrame({
        "sentence_id": ["a:000", "a:001", "a:002", "a:003", "b:000"],
        "source": ["A", "A", "A", "A", "B"],
        "kind": ["heading", "body", "body", "list_item", "body"],
        "text": ["Title", "Great launch.", "Lawsuit filed.", "Neutral item.", "Recall widened."],
        "themes": ["", "strategy", "copyright;strategy", "", "safety"],
        "sentiment": [0.9, 0.6, -0.5, 0.0, -0.7],
    })


def test_tone_extremes_skip_headings_and_zero_tone():
    pos, neg = tone_extremes(_sentences(), "A")
    assert pos["sentence_id"].tolist() == ["a:001"]  # the heading's +0.9 does not count
    assert neg["sentence_id"].tolist() == ["a:002"]


def test_tone_extremes_list_a_repeated_sentence_once():
    """A boilerplate line in every article of a source must not fill the list with copies of itself."""
    df = pd.DataFrame({
        "sentence_id": ["a:001", "c:001", "d:001", "d:002"],
        "source": ["A"] * 4,
        "kind": ["body"] * 4,
        "text": ["Great launch.", "Great launch.", "Great launch.", "Solid quarter."],
        "themes": [""] * 4,
        "sentiment": [0.6, 0.6, 0.6, 0.3],
    })
    pos, _ = tone_extremes(df, "A", n=2)
    assert pos["text"].tolist() == ["Great launch.", "Solid quarter."]
    assert pos["sentence_id"].tolist() == ["a:001", "d:002"]  # the first copy stands for the others


def test_filter_by_themes_exact_names():
    df = _sentences()
    out = filter_by_themes(df, ["copyright"], ["copyright", "strategy", "safety"])
    assert out["sentence_id"].tolist() == ["a:002"]
    every = ["copyright", "strategy", "safety"]
    assert len(filter_by_themes(df, every, every)) == 5


def test_filter_claims_by_sources(tables):
    out = filter_claims_by_sources(tables["claims"], ["Regional Ledger"],
                                   ["Pharma Daily", "Market Watchers", "Regional Ledger"])
    assert out["claim_id"].tolist() == ["C001", "C002"]


def test_exclusive_entities():
    ents = pd.DataFrame([("A", "Meta", "ORG", 5), ("B", "Meta", "ORG", 2), ("B", "Adobe", "ORG", 3),
                         ("A", "Getty", "ORG", 1)], columns=["source", "entity", "label", "mentions"])
    out = exclusive_entities(ents, ["A", "B"])
    assert out[["source", "entity"]].values.tolist() == [["A", "Getty"], ["B", "Adobe"]]
    assert exclusive_entities(ents, ["A"])["entity"].tolist() == ["Meta", "Getty"]


def test_terms_with_examples():
    terms = pd.DataFrame({"source": ["A", "A", "B"], "term": ["recall", "airbag", "merger"],
                          "count": [5, 3, 4], "z": [2.5, 3.1, 2.0],
                          "example_sentence_id": ["a:002", "a:001", "b:000"]})
    out = terms_with_examples(terms, _sentences(), "A")
    assert out["term"].tolist() == ["airbag", "recall"]
    assert out["example"].tolist() == ["Great launch.", "Lawsuit filed."]


def test_claim_quotes_keep_a_whole_news_sentence_and_cut_only_longer_ones():
    from analysis.findings import _quote

    sentence = ("By licensing the lab's technology, the company is enhancing tools like its image feature and "
                "the newly launched Movie Gen, which creates realistic videos from text prompts.")
    assert 140 < len(sentence) and _quote(sentence) == f"“{sentence}”"
    long = "word " * 100
    quoted = _quote(long)
    assert quoted.endswith("…”") and len(quoted) <= 242
