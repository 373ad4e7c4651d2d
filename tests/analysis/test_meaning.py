"""The bundled sentence encoder (analysis.meaning) and how the claims pair decision uses it."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import meaning
from analysis.article import analyze_texts
from analysis.claim_features import claim_features
from analysis.claims import (
    _meaning_model,
    centre_infos,
    explain_pair,
    group_claims,
    info_from_features,
    meaning_pairs,
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


# One story's sentences, so the vectors are centred on a corpus as build_claims centres them.
BANK_STORY = [
    "Halden Bank froze customer withdrawals on Tuesday.",
    "Halden Bank stopped processing withdrawal requests from customers on Tuesday.",
    "Halden Bank reported a 12% rise in quarterly profit.",
    "The regulator said it had opened an investigation into Halden Bank.",
    "Shares in Halden Bank fell 30% in early trading.",
    "The bank's chief executive resigned on Wednesday.",
    "Depositors queued outside branches in the capital.",
    "The central bank said the wider banking system remained sound.",
    "Halden Bank has 1.2 million customers.",
    "Analysts said the bank had lent heavily to property developers.",
    "The finance ministry said it would guarantee deposits up to 100,000 euros.",
    "Nine people have been hospitalised.",
    "Nine patients have been admitted to hospital.",
]


@pytest.fixture(scope="module")
def story(nlp):
    return centre_infos([_info(nlp, t) for t in BANK_STORY])


def test_centring_removes_the_shared_direction_and_shrinks_for_few_sentences():
    rng = np.random.default_rng(0)
    common = rng.normal(size=meaning.DIM)
    vecs = [common + 0.5 * rng.normal(size=meaning.DIM) for _ in range(200)]
    vecs = [v / np.linalg.norm(v) for v in vecs]
    raw = np.mean([vecs[0] @ v for v in vecs[1:]])
    cent = meaning.centred(vecs + [None])
    assert cent[-1] is None
    assert all(abs(np.linalg.norm(c) - 1) < 1e-5 for c in cent[:-1])
    assert raw > 0.7 and abs(np.mean([cent[0] @ c for c in cent[1:-1]])) < 0.1
    # Two sentences alone: fully centred they would be exact opposites (cosine -1); shrunk they are not.
    two = meaning.centred(vecs[:2])
    assert float(two[0] @ two[1]) > 0.0


def test_meaning_feature_only_when_both_sentences_have_centred_vectors(nlp, story):
    a, b = story[0], story[1]
    feats, shared = pair_features(a, b)
    assert -1.0 <= feats["meaning"] <= 1.0
    assert feats["meaning"] < float(a.vector @ b.vector)  # centred: below the raw cosine
    assert "meaning" not in pair_features(a, _info(nlp, b.text, with_vector=False))[0]
    assert "meaning" not in pair_features(_info(nlp, a.text), _info(nlp, b.text))[0]  # not centred yet
    text = explain_pair(_meaning_model(), feats, shared, 0.8)
    assert f"meaning similarity {feats['meaning']:.2f}" in text


def test_meaning_model_joins_a_paraphrase_the_lexical_model_misses(nlp, story):
    lexical_ok, _ = same_claim(_info(nlp, BANK_STORY[0], False), _info(nlp, BANK_STORY[1], False))
    ok, why, p = same_claim_score(story[0], story[1])
    assert ok and not lexical_ok, why
    assert p >= _meaning_model().threshold
    assert "meaning similarity" in why and "shared:" in why  # the similarity and the shared terms


def test_meaning_does_not_join_different_assertions_about_the_same_parties(story):
    for i, j in [(0, 2), (0, 3), (2, 4), (3, 5)]:
        ok, why, _ = same_claim_score(story[i], story[j])
        assert not ok, (BANK_STORY[i], BANK_STORY[j], why)


def test_different_named_parties_with_different_figures_are_two_facts(nlp):
    """"Medora shares fell 6%" and "Nordhavn shares fell 7%" read alike; the model would join them, but two
    parties with two figures are two facts. The same party's figure in other words still joins."""
    texts = ["Medora shares fell 6 percent in after-hours trading.",
             "Nordhavn shares fell 7 percent in Copenhagen trading.",
             "Medora's stock dropped 6 percent after hours.",
             *BANK_STORY]
    infos = centre_infos([_info(nlp, t) for t in texts])
    ok, why, p = same_claim_score(infos[0], infos[1])
    assert not ok and "different named parties with different figures" in why and p >= _meaning_model().threshold
    assert same_claim_score(infos[0], infos[2])[0]


@pytest.mark.xfail(strict=True, reason="known weakness: 'has 1.2 million customers' takes its object as the "
                   "predicate, which 'froze customer withdrawals' contains, so the lexical features read the "
                   "same predicate and a rare shared word")
def test_a_light_verb_sentence_is_not_the_claim_it_shares_a_noun_with(story):
    ok, why, _ = same_claim_score(story[0], story[8])
    assert not ok, why


def test_meaning_neighbours_are_candidates_when_no_term_is_shared(story):
    # "hospitalised" / "admitted to hospital" share no key term: TF-IDF blocking never pairs them.
    assert not {t for t in story[11].terms & story[12].terms if not t.startswith("@")}
    assert (11, 12) in meaning_pairs(story, k=2)
    assert meaning_pairs(story[:1]) == set() and meaning_pairs([]) == set()


def test_build_rejects_weights_that_are_not_the_published_ones(tmp_path):
    from analysis.build_meaning_model import build

    (tmp_path / "model.safetensors").write_bytes(b"not the model")
    (tmp_path / "tokenizer.json").write_bytes(b"{}")
    with pytest.raises(SystemExit, match="not the published"):
        build(tmp_path)


def test_grouping_shows_the_meaning_similarity_behind_a_join(nlp):
    # The clustering loop decides without reason texts; the cue an analyst reads must still name the
    # shared terms and the meaning similarity that decided.
    infos = [_info(nlp, t) for t in BANK_STORY]  # group_claims centres them itself
    grouping = group_claims(infos)
    assert grouping.infos[0].centred is not None
    assert any({0, 1} <= set(c) for c in grouping.clusters)
    why = grouping.reasons[(0, 1)]
    assert "shared: " in why and "customer" in why and "meaning similarity" in why
    assert not any(2 in c and 0 in c for c in grouping.clusters)
