"""Dev-set evaluation of every analysis: the figures the README and the pages' notes quote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEV_DATA = ROOT / "tests" / "data"


def _evaluators() -> dict[str, Callable]:
    from analysis.claims import evaluate_claims
    from analysis.claims_grid_eval import evaluate_claims_grid
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
            "claims_grid": evaluate_claims_grid,
            "dates": evaluate_dates, "entities": evaluate_entities,
            "cleaning": evaluate_cleaning}


def run_evaluations(nlp, area: str = "all") -> dict[str, pd.DataFrame]:
    """Run the named evaluation (or all of them) on the labelled dev sets in tests/data/."""
    evaluators = _evaluators()
    chosen = evaluators if area == "all" else {area: evaluators[area]}
    return {name: fn(nlp) for name, fn in chosen.items()}


def evaluation_key(model: str | None = None) -> str:
    """Hash of everything a dev-set figure depends on: the analysis code and data, the dev sets, the model.

    ``model`` is the pipeline's version string; by default the installed one, read without loading it.
    """
    from analysis.cache import digest
    from analysis.meaning import model_id
    from analysis.versions import installed_model_version

    here = Path(__file__).resolve().parent
    # Files only: the encoder's weights folder is named by model_id() rather than hashed (45 MB).
    files = sorted(here.glob("*.py")) + sorted(p for p in (here / "data").glob("*") if p.is_file())
    files += sorted(p for p in DEV_DATA.rglob("*") if p.is_file()) if DEV_DATA.exists() else []
    return digest("evaluation", model or installed_model_version(), model_id(),
                  *[(f.name, f.read_bytes().hex()) for f in files])


def cached_evaluation(area: str, cache=None, *, nlp=None, load_model: Callable | None = None) -> pd.DataFrame:
    """One area's dev-set figures, computed once per code/data version and kept in the on-disk cache.

    Measuring re-parses a few hundred labelled sentences (tens of seconds); the dashboard shows the
    figures on every page, so they are measured once per version, not once per server start. The
    pipeline (``nlp``, else ``load_model()``, else ``load_nlp()``) is loaded only when measuring.
    """
    from analysis.cache import Cache
    from analysis.nlp import load_nlp, model_version

    cache = cache or Cache()
    key = f"eval-{area}-{evaluation_key(model_version(nlp) if nlp is not None else None)}"
    hit = cache.get_result(key, [area])
    if hit is not None:
        return hit[area]
    nlp = nlp if nlp is not None else (load_model or load_nlp)()
    table = run_evaluations(nlp, area)[area]
    from analysis.pipeline import _parquet_safe

    cache.put_result(key, {area: _parquet_safe(table)})
    return table
