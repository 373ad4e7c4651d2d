"""The bundled sentence encoder (analysis.meaning) and how the claims pair decision uses it."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import meaning
from analysis.article import analyze_texts
from analysis.claim_features import claim_features
from analysis.claims import (
    MEANING_JOIN,
    _model,
    explain_pair,
    info_from_features,
    pair_features,
    same_claim,
    same_claim_score,
)

pytestmark = pytest.mark.skipif(not meaning.enabled(), reason="sentence encoder weights not installed")


def _info(nlp, text: str, with_vector: bool = True):
    feats = claim_features(nlp(text)[:])
    if with_vector:
        feats["claim_vector"] = meaning.to_cell(meaning.encode([text])[0])
    return info_from_features(feats, text)


def test_encoder_reproduces_the_published_similarities():
    # The model card's example for all-MiniLM-L6-v2 (sentence-transformers): 0.6660, 0.1046, 0.1411.
    # All 6 layers: the forward pass is the published model's (claims use the first 3, tested below).
    v = meaning.encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."],
                       layers=6)
    sims = v @ v.T
    assert sims[0, 1] == pytest.approx(0.6660, abs=2e-3)
    assert sims[0, 2] == pytest.approx(0.1046, abs=2e-3)
    assert sims[1, 2] == pytest.approx(0.1411, abs=2e-3)


def test_vectors_are_unit_length_and_shaped():
    out = meaning.encode(["Parliament passed the bill.", "It rained in Paris on Sunday afternoon."])
    assert out.shape == (2, meaning.DIM) and out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert meaning.encode([]).shape == (0, meaning.DIM)


def test_padding_and_batch_order_do_not_change_a_vector():
    # Batches are sorted by length and padded: a sentence's vector must not depend on its neighbours.
    short = "Shares fell."
    long = ("The regulator said on Tuesday that it had opened a formal investigation into the bank's "
            "handling of customer complaints about frozen accounts and delayed withdrawals.")
    alone = meaning.encode([short])[0]
    together = meaning.encode([long, short, long])
    assert np.allclose(together[1], alone, atol=1e-5)
    assert np.allclose(together[0], together[2], atol=1e-6)


@pytest.mark.parametrize("layers", [6, meaning.LAYERS])
def test_paraphrase_is_closer_than_same_names_different_assertion(layers):
    # The truncated encoder claims use keeps the order, with a smaller gap (its cosines are higher
    # overall, hence the 0.85 join bar against the full model's 0.7).
    a, para, other = meaning.encode([
        "The union went on strike at the Detroit plant on Monday.",
        "Workers at the Detroit plant went on strike on Monday.",
        "The union signed a new pension agreement for the Detroit plant on Monday.",
    ], layers=layers)
    assert float(a @ para) > float(a @ other) + (0.2 if layers == 6 else 0.05)


def test_claims_use_the_first_layers_only():
    text = ["The regulator fined the bank 2 million euros."]
    assert meaning.load_encoder().layers == meaning.LAYERS < 6
    assert f"L{meaning.LAYERS}" in meaning.MODEL_ID  # a different depth is a different cache key
    assert float(meaning.encode(text)[0] @ meaning.encode(text, layers=6)[0]) < 0.99
    with pytest.raises(ValueError):
        meaning.SentenceEncoder(layers=7)


def test_vector_cells_round_trip_and_reject_malformed_cells():
    vec = meaning.encode(["The deal closed in March."])[0]
    back = meaning.from_cell(meaning.to_cell(vec))
    assert back is not None and float(back @ vec) > 0.9999
    assert len(meaning.to_cell(vec)) == 1024
    assert meaning.from_cell("") is None
    assert meaning.from_cell("A" * 10) is None
    assert meaning.from_cell("!" * 1024) is None  # right length, not base64
    assert meaning.from_cell(b"\x00" * 768) is None
    assert meaning.similarity(vec, None) is None


def test_switch_turns_the_encoder_off(monkeypatch):
    monkeypatch.setenv(meaning.ENV_SWITCH, "0")
    assert not meaning.enabled() and meaning.model_id() == "off"
    monkeypatch.setenv(meaning.ENV_SWITCH, "1")
    assert meaning.enabled() and meaning.model_id() == meaning.MODEL_ID


def test_article_frames_carry_vectors_for_claim_sentences_only(nlp):
    text = ("# Rail strike\n\nThe union said 4,000 drivers would strike on Friday. Will trains run?\n\n"
            "Managers offered a 3% raise last week.")
    frame = analyze_texts([text], nlp)[0]
    sizes = {bool(c): {len(v) for v in frame.loc[frame["claim_is_claim"] == c, "claim_vector"]}
             for c in (True, False)}
    assert sizes[True] == {1024}
    assert sizes[False] == {0}  # the heading and the question are not claims


def test_an_articles_vectors_do_not_depend_on_its_batch(nlp):
    # Articles are encoded by two threads (the encoder thread from the front of the queue, the parsing
    # thread from the back once parsing ends): whichever encodes it, an article's vectors are the
    # ones it gets when analysed alone, so its cached result is reproducible.
    texts = [f"The union said {n},000 drivers would strike on Friday. Managers offered a {n}% raise."
             for n in range(2, 8)]
    together = analyze_texts(texts, nlp)
    for text, frame in zip(texts, together, strict=True):
        alone = analyze_texts([text], nlp)[0]
        assert (frame["claim_vector"] != "").sum() == 2
        assert frame["claim_vector"].tolist() == alone["claim_vector"].tolist()


def test_article_frames_without_encoder_have_empty_vectors(nlp, monkeypatch):
    monkeypatch.setenv(meaning.ENV_SWITCH, "0")
    frame = analyze_texts(["The union said 4,000 drivers would strike on Friday."], nlp)[0]
    assert set(frame["claim_vector"]) == {""}


def test_meaning_feature_only_when_both_sentences_have_vectors(nlp):
    a = _info(nlp, "Halden Bank froze customer withdrawals on Tuesday.")
    b = _info(nlp, "Halden Bank stopped processing withdrawal requests from customers on Tuesday.")
    feats, shared = pair_features(a, b)
    assert 0.0 < feats["meaning"] <= 1.0
    assert "meaning" not in pair_features(a, _info(nlp, b.text, with_vector=False))[0]
    text = explain_pair(_model(), feats, shared, 0.8)
    assert f"meaning similarity {feats['meaning']:.2f}" in text


def test_meaning_joins_a_paraphrase_the_lexical_model_misses(nlp):
    a = "Halden Bank froze customer withdrawals on Tuesday."
    b = "Halden Bank stopped processing withdrawal requests from customers on Tuesday."
    lexical_ok, _ = same_claim(_info(nlp, a, False), _info(nlp, b, False))
    ok, why, _ = same_claim_score(_info(nlp, a), _info(nlp, b))
    assert ok and not lexical_ok
    assert why.startswith("same meaning") and "shared:" in why  # the similarity and the shared terms


def test_meaning_alone_never_joins_without_a_shared_content_word(nlp):
    # Close in meaning but sharing only a name: explainability needs a shared term, so no join.
    a = _info(nlp, "Halden Bank froze customer withdrawals on Tuesday.")
    b = _info(nlp, "Halden Bank halted redemptions.")
    ok, why, _ = same_claim_score(a, b)
    assert pair_features(a, b)[0]["meaning"] >= MEANING_JOIN - 0.2
    assert not ok, why


def test_meaning_does_not_join_different_assertions_about_the_same_parties(nlp):
    pairs = [
        ("Halden Bank froze customer withdrawals on Tuesday.",
         "Halden Bank reported a 12% rise in quarterly profit."),
        ("Meta has announced a partnership with Midjourney.",
         "Midjourney remains an independent, community-funded lab."),
    ]
    for a, b in pairs:
        ok, why, _ = same_claim_score(_info(nlp, a), _info(nlp, b))
        assert not ok, why


def test_build_rejects_weights_that_are_not_the_published_ones(tmp_path):
    from analysis.build_meaning_model import build

    (tmp_path / "model.safetensors").write_bytes(b"not the model")
    (tmp_path / "tokenizer.json").write_bytes(b"{}")
    with pytest.raises(SystemExit, match="not the published"):
        build(tmp_path)


def test_grouping_shows_the_shared_terms_behind_a_meaning_join(nlp):
    # The clustering loop decides without reason texts; the cue an analyst reads must still name the
    # shared terms next to the meaning similarity.
    from analysis.claims import group_claims

    texts = ["Halden Bank froze customer withdrawals on Tuesday.",
             "Halden Bank stopped processing withdrawal requests from customers on Tuesday.",
             "Parliament passed the budget after a long night of votes."]
    grouping = group_claims([_info(nlp, t) for t in texts])
    assert [0, 1] in grouping.clusters
    why = grouping.reasons[(0, 1)]
    assert why.startswith("same meaning") and "shared: " in why and "customer" in why
    assert "meaning similarity" not in why  # stated once, in "same meaning (0.9x >= 0.85)"
