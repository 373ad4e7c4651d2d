"""Dev-set evaluation of every analysis: the figures the README and the pages' notes quote."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def _evaluators() -> dict[str, Callable]:
    from analysis.claims import evaluate_claims
    from analysis.cleaning import evaluate_cleaning
    from analysis.dates import evaluate_dates
    from analysis.entities import evaluate_entities
    from analysis.themes import evaluate_themes
    from analysis.tone import evaluate_tone

    def themes_by_split(nlp) -> pd.DataFrame:
        # The held-out split holds whole stories never used for tuning; report both.
        parts = []
        for split in ("dev", "test"):
            part = evaluate_themes(nlp, split=split)
            part.insert(0, "split", split)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    return {"themes": themes_by_split, "tone": evaluate_tone, "claims": evaluate_claims,
            "dates": evaluate_dates, "entities": evaluate_entities,
            "cleaning": evaluate_cleaning}


def run_evaluations(nlp, area: str = "all") -> dict[str, pd.DataFrame]:
    """Run the named evaluation (or all of them) on the labelled dev sets in tests/data/."""
    evaluators = _evaluators()
    chosen = evaluators if area == "all" else {area: evaluators[area]}
    return {name: fn(nlp) for name, fn in chosen.items()}
