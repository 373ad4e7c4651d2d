"""Distinctive wording: log-odds with an informative Dirichlet prior, noun phrases, the terms table."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.schema import columns
from analysis.terms import build_terms, is_content, log_odds, noun_phrases


def test_log_odds_symmetric_hand_case():
    # counts_i = {a: 3, b: 1}, counts_j = {a: 1, b: 3}, prior a_a = a_b = 1 -> a0 = 2, n_i = n_j = 4.
    # a: delta = ln((3+1)/(4+2-3-1)) - ln((1+1)/(4+2-1-1)) = ln(4/2) - ln(2/4) = 2 ln 2 = 1.386294
    #    var = 1/(3+1) + 1/(1+1) = 0.75 ; z = 1.386294 / sqrt(0.75) = 1.600755
    res = log_odds({"a": 3, "b": 1}, {"a": 1, "b": 3}, {"a": 1, "b": 1})
    assert res["a"] == pytest.approx((1.386294, 1.600755), rel=1e-5)
    assert res["b"] == pytest.approx((-1.386294, -1.600755), rel=1e-5)


def test_log_odds_asymmetric_hand_case():
    # counts_i = {x: 2, y: 2}, counts_j = {y: 4}, prior x: 0.5, y: 1.5 -> a0 = 2, n_i = n_j = 4.
    # x: ln(2.5/(4+2-2-0.5)) - ln(0.5/(4+2-0-0.5)) = ln(2.5/3.5) - ln(0.5/5.5)
    #    = -0.336472 + 2.397895 = 2.061423
    #    var = 1/2.5 + 1/0.5 = 2.4 ; z = 2.061423 / 1.549193 = 1.330643
    # y: ln(3.5/2.5) - ln(5.5/0.5) = 0.336472 - 2.397895 = -2.061423
    #    var = 1/3.5 + 1/5.5 = 0.467532 ; z = -2.061423 / 0.683763 = -3.014819
    res = log_odds({"x": 2, "y": 2}, {"y": 4}, {"x": 0.5, "y": 1.5})
    assert res["x"] == pytest.approx((2.061423, 1.330643), rel=1e-5)
    assert res["y"] == pytest.approx((-2.061423, -3.014819), rel=1e-5)


def test_log_odds_needs_a_prior_for_every_term():
    with pytest.raises(ValueError):
        log_odds({"a": 1}, {"b": 1}, {"a": 1})


def test_is_content():
    assert is_content("lawsuit") and is_content("ai")
    assert not any(is_content(w) for w in ("the", "and", "2024", "1,200", "'s", "-", "x"))


def test_noun_phrases_drop_determiners_pronouns_numbers(nlp):
    got = noun_phrases(
        nlp("The independent AI lab signed a new licensing deal with its two biggest rivals.")[:]
    )
    phrases = got.split("|")
    assert "independent ai lab" in phrases
    assert "new licensing deal" in phrases
    assert "big rival" in phrases
    assert not any(w in p.split() for p in phrases for w in ("the", "a", "its", "two"))
    assert noun_phrases(nlp("Meta owns Facebook.")[:]) == ""  # single-word chunks are lemmas already


def _sentences(rows):
    return pd.DataFrame(
        [
            {
                "source": src,
                "sentence_id": f"{src}:{i:03d}",
                "kind": kind,
                "lemmas": lem,
                **({"noun_phrases": np_} if np_ is not None else {}),
            }
            for i, (src, kind, lem, np_) in enumerate(rows)
        ]
    )


def test_build_terms_finds_each_sources_own_words():
    rows = (
        [("A", "body", "the court hear the lawsuit", "")] * 4
        + [("A", "body", "the company sign a partnership", "")]
        + [("B", "body", "the company sign a partnership", "")] * 4
        + [("B", "heading", "lawsuit lawsuit lawsuit", "")]
        + [("B", "body", "the firm face a lawsuit", "")]
    )
    table = build_terms(_sentences(rows), min_count=2)
    assert list(table.columns) == columns("terms")
    a = table[table["source"] == "A"]
    b = table[table["source"] == "B"]
    assert a["term"].iloc[0] in {"court", "hear", "lawsuit"}
    assert "partnership" not in set(a["term"]) and "partnership" in set(b["term"])
    assert (table["z"] > 0).all()
    assert list(a["z"]) == sorted(a["z"], reverse=True)
    assert a.set_index("term").loc["lawsuit", "count"] == 4
    assert a.set_index("term").loc["lawsuit", "example_sentence_id"] == "A:000"
    assert "lawsuit" not in set(b["term"])  # heading units do not count


def test_build_terms_uses_noun_phrase_column_or_bigrams():
    rows = [("A", "body", "the ai lab sign a deal", "ai lab")] * 3 + [
        ("B", "body", "the regulator open a probe", "")
    ] * 3
    assert "ai lab" in set(build_terms(_sentences(rows))["term"])
    no_np = [(s, k, lem, None) for s, k, lem, _ in rows]
    terms = set(build_terms(_sentences(no_np))["term"])
    assert {"ai lab", "open probe"} & terms


def test_build_terms_single_source_and_min_count():
    rows = [("A", "body", "lawsuit filed", "")] * 3
    assert build_terms(_sentences(rows)).empty
    rows = [("A", "body", "lawsuit filed", ""), ("B", "body", "deal signed", "")]
    assert build_terms(_sentences(rows), min_count=2).empty
    assert len(build_terms(_sentences(rows), min_count=1, top_n=1)) == 2  # one per source


def test_terms_are_shown_as_written_not_as_lemmas():
    import pandas as pd

    from analysis.terms import build_terms

    rows = []
    for i in range(4):
        rows.append({"article_id": "a", "source": "A", "sentence_id": f"a:{i:03d}", "kind": "body",
                     "lemmas": "social medium platform grow", "tokens": "social media platforms grew",
                     "noun_phrases": ""})
        rows.append({"article_id": "b", "source": "B", "sentence_id": f"b:{i:03d}", "kind": "body",
                     "lemmas": "bank raise rate", "tokens": "bank raised rates", "noun_phrases": ""})
    terms = build_terms(pd.DataFrame(rows))
    shown = set(terms[terms.source == "A"]["term"])
    assert "media" in shown and "medium" not in shown
