"""Scoring labelled pairs and contradictions on a built claims grid."""

from __future__ import annotations

import pandas as pd

from analysis.claims_grid_eval import score_grid


def _evidence(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["claim_id", "text", "stance"])


def test_pairs_are_joined_only_by_a_shared_claim_id() -> None:
    evidence = _evidence([
        ("C1", "Acme bought Beta for $2 billion.", "supports"),
        ("C1", "Beta was acquired by Acme in a $2bn deal.", "supports"),
        ("C2", "Acme shares rose 4% on Monday.", "supports"),
    ])
    pairs = pd.DataFrame({
        "text_a": ["Acme bought Beta for $2 billion.", "Acme bought Beta for $2 billion.",
                   "Acme shares rose 4% on Monday.", "A sentence the grid does not hold."],
        # Labels may quote a sentence without its final punctuation or in other case.
        "text_b": ["beta was acquired by Acme in a $2bn deal", "Acme shares rose 4% on Monday.",
                   "Beta was acquired by Acme in a $2bn deal.", "Acme shares rose 4% on Monday."],
        "same": [1, 0, 1, 0],
    })
    m = score_grid(evidence, pairs, pd.DataFrame(columns=["claim_text", "other_text", "stance"]))
    assert m["pair_accuracy"] == 0.75  # the third pair is split across C1 / C2
    assert (m["same_precision"], m["n_joined"]) == (1.0, 1)
    assert (m["same_recall"], m["n_same"]) == (0.5, 2)


def test_a_contradiction_counts_only_inside_one_claim_with_a_contradicting_stance() -> None:
    evidence = _evidence([
        ("C1", "About 1,150 workers went on strike.", "supports"),
        ("C1", "Some 1,400 dockworkers walked out.", "contradicts"),
        ("C2", "Some 1,400 dockworkers walked out.", "supports"),
        ("C3", "The port said talks would resume.", "supports"),
        ("C3", "Talks will resume on Friday.", "supports"),
    ])
    stances = pd.DataFrame({
        "claim_text": ["About 1,150 workers went on strike.", "The port said talks would resume.",
                       "About 1,150 workers went on strike."],
        "other_text": ["Some 1,400 dockworkers walked out.", "Talks will resume on Friday.",
                       "Talks will resume on Friday."],
        "stance": ["contradicts", "contradicts", "contradicts"],
    })
    m = score_grid(evidence, pd.DataFrame(columns=["text_a", "text_b", "same"]), stances)
    # Found: the strike figures (one claim, a contradicting row). Not found: the talks pair (same claim,
    # no contradiction shown) and the last pair (never in one claim).
    assert (m["contradictions_found"], m["n_contradictions"]) == (1, 3)


def test_story_of_groups_an_annotated_corpus_by_story_and_keeps_the_seeds_whole() -> None:
    from analysis.claims_grid_eval import story_of

    assert story_of("cloud-outage-byte-line") == story_of("cloud-outage-atlas-newswire") == "cloud-outage"
    assert story_of("chip-plant-wire") != story_of("courier-ruling-wire")
    assert story_of("000_d48b450aa215407f") == story_of("004_54de52ff19631516") == ""


def test_meaning_model_is_fitted_on_the_rows_it_is_given(tmp_path) -> None:
    # Synthetic rows where only the meaning feature separates the labels: the fitted model must weigh it
    # most and keep the shipped threshold; nothing here touches the shipped JSON.
    import numpy as np

    from analysis import claims
    from analysis.claims_grid_eval import MEANING_THRESHOLD, fit_meaning_pair_model

    rng = np.random.default_rng(1)
    n = 200
    same = rng.integers(0, 2, n)
    rows = pd.DataFrame({f: rng.random(n) for f in claims.MEANING_FEATURES})
    rows["meaning"] = same * 0.5 + rng.random(n) * 0.4
    rows["same"] = same
    shipped = claims._MEANING_MODEL
    try:
        model = fit_meaning_pair_model(None, out_path=tmp_path / "m.json", rows=rows)
    finally:
        claims._MEANING_MODEL = shipped
    coef = dict(zip(model.features, model.coef, strict=True))
    assert max(coef, key=lambda f: abs(coef[f])) == "meaning" and coef["meaning"] > 0
    assert model.threshold == MEANING_THRESHOLD
    assert model.probability({**{f: 0.5 for f in model.features}, "meaning": 0.85}) > 0.9
