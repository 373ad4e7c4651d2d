"""Corpus-level claims evaluation: the labelled pairs scored on the grid the pipeline actually builds.

``evaluate_claims`` decides each labelled pair on its own. An analyst sees something else: every
article of a corpus analysed together, sentences clustered into claims (average linkage can keep a
pair apart that the pair rule joins, or join one it rejects through a third sentence), stances taken
against each claim's representative wording. This module runs the whole pipeline on each annotated
corpus in ``tests/data/claims_corpus_*`` and scores the same labels on its output:

- two labelled sentences are "the same claim" when the grid lists them under one claim_id;
- a labelled contradiction is found when both sentences are evidence of one claim and one of them
  has the stance "contradicts" there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_NON_WORD = re.compile(r"\W+")


def _norm(text: object) -> str:
    return _NON_WORD.sub(" ", str(text).lower()).strip()


class _GridIndex:
    """Claim ids and stances of every evidence sentence, found by exact or contained wording."""

    def __init__(self, evidence: pd.DataFrame) -> None:
        self.claims: dict[str, set[str]] = {}
        self.stance: dict[tuple[str, str], str] = {}
        for cid, text, st in zip(evidence["claim_id"], evidence["text"], evidence["stance"], strict=True):
            key = _norm(text)
            self.claims.setdefault(key, set()).add(str(cid))
            # A sentence listed twice under one claim keeps "contradicts" if either row says so.
            if self.stance.get((key, str(cid))) != "contradicts":
                self.stance[(key, str(cid))] = str(st)

    def find(self, text: str) -> str | None:
        """The evidence sentence a labelled text is (labels may quote a sentence in part)."""
        key = _norm(text)
        if key in self.claims:
            return key
        for k in self.claims:
            if key in k or (len(k) > 30 and k in key):
                return k
        return None


def score_grid(evidence: pd.DataFrame, pairs: pd.DataFrame, stances: pd.DataFrame) -> dict[str, float]:
    """Pair accuracy, same-claim P/R and contradiction recall of one grid against its labels."""
    index = _GridIndex(evidence)
    tp = fp = fn = correct = 0
    for a, b, same in zip(pairs["text_a"], pairs["text_b"], pairs["same"].astype(bool), strict=True):
        ka, kb = index.find(a), index.find(b)
        joined = bool(ka and kb and index.claims[ka] & index.claims[kb])
        correct += joined == same
        tp += joined and same
        fp += joined and not same
        fn += (not joined) and same
    found = 0
    contra = stances[stances["stance"] == "contradicts"]
    for a, b in zip(contra["claim_text"], contra["other_text"], strict=True):
        ka, kb = index.find(a), index.find(b)
        if ka and kb:
            found += any("contradicts" in (index.stance.get((ka, c)), index.stance.get((kb, c)))
                         for c in index.claims[ka] & index.claims[kb])
    return {"pair_accuracy": correct / len(pairs) if len(pairs) else 0.0, "n_pairs": len(pairs),
            "same_precision": tp / (tp + fp) if tp + fp else 0.0, "n_joined": tp + fp,
            "same_recall": tp / (tp + fn) if tp + fn else 0.0, "n_same": tp + fn,
            "contradictions_found": found, "n_contradictions": len(contra)}


def evaluate_claims_grid(nlp, data: Path = DATA, seeds: Path = SEEDS) -> pd.DataFrame:
    """Per corpus (the seeds, then each annotated one): split, metric, value, n.

    The seeds are scored on the seed pairs of every split; an annotated corpus on its own split's
    pairs that are not from the seeds.
    """
    from analysis.corpus import load_corpus
    from analysis.pipeline import run_analysis

    all_pairs = pd.read_csv(data / "claim_pairs.csv")
    all_stances = pd.read_csv(data / "claim_stances.csv")
    rows = []
    seed_pairs = all_pairs["origin"].astype(str).str.startswith("seeds")
    seed_stances = all_stances["origin"].astype(str).str.startswith("seeds")
    # The seeds, with the seed pairs and stance rows of every split; then each annotated corpus.
    corpora = [("seeds", seeds, all_pairs[seed_pairs], all_stances[seed_stances])] if seeds.is_dir() else []
    for folder in sorted(p for p in data.glob("claims_corpus_*") if p.is_dir()):
        split = folder.name.removeprefix("claims_corpus_")
        corpora.append((split, folder, all_pairs[(all_pairs["split"] == split) & ~seed_pairs],
                        all_stances[(all_stances["split"] == split) & ~seed_stances]))
    for split, folder, pairs, stances in corpora:
        result = run_analysis(load_corpus(folder).articles, nlp=nlp)
        m = score_grid(result.claim_evidence, pairs, stances)
        claims = result.claims
        rows += [
            {"split": split, "metric": "grid_pair_accuracy", "value": m["pair_accuracy"], "n": m["n_pairs"]},
            {"split": split, "metric": "grid_same_precision", "value": m["same_precision"], "n": m["n_joined"]},
            {"split": split, "metric": "grid_same_recall", "value": m["same_recall"], "n": m["n_same"]},
            {"split": split, "metric": "grid_contradiction_recall",
             "value": m["contradictions_found"] / m["n_contradictions"] if m["n_contradictions"] else 0.0,
             "n": m["n_contradictions"]},
            {"split": split, "metric": "claims_contested", "value": float((claims["status"] == "contested").sum()),
             "n": len(claims)},
        ]
    out = pd.DataFrame(rows, columns=["split", "metric", "value", "n"])
    out["value"] = out["value"].round(4)
    return out
