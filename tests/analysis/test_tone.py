"""Sentence tone: negation, intensity, news vocabulary, explanations, and the floor against VADER."""

from __future__ import annotations

import math

import pytest

from analysis import tone
from analysis.tone import ToneScore, format_terms, score_sentence, score_text, score_tokens


def s(nlp, text: str) -> float:
    return score_text(text, nlp).score


def test_negation_flips_a_positive_word(nlp):
    assert s(nlp, "The launch was a success.") > 0.2
    assert s(nlp, "The launch was not a success.") < -0.2


def test_negated_negative_is_mildly_positive(nlp):
    plain = s(nlp, "Regulators found evidence of wrongdoing.")
    negated = s(nlp, "Regulators found no evidence of wrongdoing.")
    assert plain < -0.2
    assert 0 < negated < abs(plain)


def test_negation_does_not_leak_into_the_subject(nlp):
    # "did not" negates the predicate, not the subject: the lawsuit stays negative news.
    terms = dict(score_text("The lawsuit did not name the chief executive.", nlp).terms)
    assert terms.get("lawsuit", 0) < 0


def test_no_as_autonomy_is_not_negative(nlp):
    assert s(nlp, "The lab has no outside investors.") == 0.0


def test_intensifier_raises_and_downtoner_lowers_magnitude(nlp):
    base = s(nlp, "Shares of the company declined after the report.")
    strong = s(nlp, "Shares of the company declined sharply after the report.")
    weak = s(nlp, "Shares of the company declined slightly after the report.")
    assert strong < base < weak < 0


def test_adjective_booster_and_its_own_valence(nlp):
    assert s(nlp, "The company faces a major lawsuit.") < s(nlp, "The company faces a lawsuit.") < 0
    assert s(nlp, "The retailer reported record revenue.") > 0.3


def test_news_vocabulary(nlp):
    assert s(nlp, "The company faces a lawsuit over the merger.") < -0.2
    assert s(nlp, "The carmaker announced a recall of 40,000 vehicles.") < -0.2
    assert s(nlp, "The acclaimed director joined the studio.") > 0.2
    assert s(nlp, "The bank was hit by a data breach.") < -0.3
    # VADER's social-media senses that are neutral in news
    assert s(nlp, "Interest rates and share prices were unchanged, like last month.") == 0.0


def test_multiword_lag_behind(nlp):
    res = score_text("Its own video tools lag behind competitors.", nlp)
    assert res.score < -0.2
    assert any("lag behind" in t for t, _ in res.terms)


def test_change_verbs_compose_with_the_quantity(nlp):
    assert s(nlp, "Quarterly profits fell 12%.") < -0.2
    assert s(nlp, "Quarterly profits rose 12%.") > 0.2
    assert s(nlp, "Losses narrowed in the third quarter.") > 0.2
    assert s(nlp, "Unemployment rose to 6%.") < -0.2


def test_shifters_reverse_what_they_govern(nlp):
    assert s(nlp, "The company avoided layoffs this year.") > 0
    assert s(nlp, "The report criticised a lack of transparency.") < 0
    assert s(nlp, "The team failed to win the contract.") < 0


def test_hedge_damps_but_does_not_flip(nlp):
    sure = s(nlp, "The merger will face regulatory scrutiny.")
    hedged = s(nlp, "The merger could face regulatory scrutiny.")
    assert sure < hedged < 0


def test_contrast_weights_the_clause_after_but(nlp):
    assert s(nlp, "The quarter was profitable, but the outlook is deeply uncertain.") < 0
    assert s(nlp, "The outlook is uncertain, but the quarter was very profitable.") > 0


def test_neutral_sentence_scores_zero(nlp):
    res = score_text("The company will hold its annual meeting in Chicago on May 4.", nlp)
    assert res == ToneScore(0.0, ())
    assert s(nlp, "The minutes of the meeting will be published in two weeks.") == 0.0


def test_names_are_not_opinions(nlp):
    assert s(nlp, "Joy Chen met United Airlines executives in Paris.") == 0.0


@pytest.mark.parametrize("text", [
    "An extremely successful, widely acclaimed, award-winning, brilliant and beloved breakthrough triumph.",
    "A catastrophic, deadly, fraudulent scandal: lawsuits, layoffs, bankruptcy, crashes and deaths.",
    "",
    "...",
])
def test_bounds(nlp, text):
    res = score_text(text, nlp)
    assert -1.0 <= res.score <= 1.0


def test_terms_explain_the_score(nlp):
    res = score_text("The acclaimed lab faces a copyright lawsuit, but its growth remains strong.", nlp)
    assert res.terms
    total = sum(v for _, v in res.terms)
    assert math.copysign(1, total) == math.copysign(1, res.score)
    assert abs(total - res.score) < 0.01
    labels = [t for t, _ in res.terms]
    assert "lawsuit" in labels and "acclaimed" in labels


def test_format_terms():
    assert format_terms((("lawsuit", -0.45), ("acclaimed", 0.52))) == "lawsuit -0.45; acclaimed +0.52"
    assert format_terms(()) == ""


def test_score_tokens_on_a_clause(nlp):
    doc = nlp("The startup won praise for its design, but the regulator opened an investigation.")
    opened = next(t for t in doc if t.lemma_ == "open")
    comma = next(t.i for t in doc if t.text == ",")
    clause_neg = score_tokens(list(opened.subtree))
    clause_pos = score_tokens(list(doc[:comma]))
    assert clause_neg.score < 0
    assert clause_pos.score > 0
    assert score_sentence(doc[:]) == score_tokens(list(doc))


def test_scoring_does_not_need_the_pipeline_again(nlp, monkeypatch):
    doc = nlp("Sales declined sharply.")
    monkeypatch.setattr(nlp, "__call__", lambda *a, **k: pytest.fail("nlp() called"))
    assert score_sentence(doc[:]).score < 0


def test_lexicon_version_is_a_string():
    assert isinstance(tone.LEXICON_VERSION, str) and tone.LEXICON_VERSION


# Floor against VADER on the held-out split (measured: see evaluate_tone; margins below those numbers).
HELD_OUT_PEARSON = 0.737


def test_floor_against_vader_on_held_out_split(nlp):
    table = tone.evaluate_tone(nlp)
    test = table[table["split"] == "test"].set_index("method")
    ours, vader = test.loc["coverage_lens", "pearson"], test.loc["vader", "pearson"]
    assert test.loc["coverage_lens", "n"] >= 60
    assert ours > vader + 0.1
    assert ours >= HELD_OUT_PEARSON - 0.05
    assert set(table.columns) >= {"method", "split", "n", "pearson", "spearman", "sign_accuracy"}


def test_dev_set_shape():
    import pandas as pd

    df = pd.read_csv(tone.DEV_PATH)
    assert list(df.columns) == ["text", "rating", "origin", "split"]
    assert len(df) >= 150
    assert df["rating"].between(-1, 1).all()
    others = df[df["origin"].str.startswith("other:")]
    assert len(others) >= 100 and others["origin"].nunique() >= 8
    assert (~df["origin"].str.startswith("other:")).sum() >= 45
