"""Session-wide fixtures: the spaCy pipeline and the seed analysis are built once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    """The English pipeline, loaded once."""
    from analysis.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_corpus():
    """The bundled seeds as loaded by the corpus loader."""
    from analysis.corpus import load_corpus

    return load_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_analysis(nlp, seed_corpus, tmp_path_factory):
    """The full analysis of the seeds (fresh cache, so it really runs)."""
    from analysis.cache import Cache
    from analysis.pipeline import run_analysis

    cache = Cache(tmp_path_factory.mktemp("seed-cache"))
    return run_analysis(seed_corpus.articles, skipped=seed_corpus.skipped, nlp=nlp, cache=cache)
