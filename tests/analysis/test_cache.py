"""Per-article and whole-result cache: hits are identical, changes invalidate, corruption rebuilds."""

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from analysis.cache import Cache
from analysis.pipeline import run_analysis

TEXT_A = ("Acme Corp announced a partnership with Globex on Tuesday. The deal was praised by analysts.\n"
          "Critics warned of copyright lawsuits over the training data.")
TEXT_B = "Initech has not yet released its new phone. The company faces a lawsuit."


def _articles(texts):
    import hashlib

    rows = []
    for i, text in enumerate(texts):
        rows.append({"article_id": f"a{i}", "source": f"S{i}", "title": "", "published": "",
                     "published_from": "", "url": "", "path": f"a{i}.txt", "text": text,
                     "content_hash": hashlib.sha256(text.encode()).hexdigest()})
    return pd.DataFrame(rows)


@pytest.fixture()
def cache(tmp_path):
    return Cache(tmp_path / "cache")


def test_warm_run_hits_and_returns_identical_tables(nlp, cache):
    cold = run_analysis(_articles([TEXT_A, TEXT_B]), nlp=nlp, cache=cache)
    assert cache.misses == 2 and cache.hits == 0
    warm = run_analysis(_articles([TEXT_A, TEXT_B]), nlp=nlp, cache=cache)
    assert warm.stats.get("result_cache_hit") == 1.0
    for name, table in cold.export_tables().items():
        pdt.assert_frame_equal(table.reset_index(drop=True), warm.export_tables()[name].reset_index(drop=True),
                               check_dtype=False)


def test_changed_article_recomputes_only_itself(nlp, cache):
    run_analysis(_articles([TEXT_A, TEXT_B]), nlp=nlp, cache=cache)
    cache.hits = cache.misses = 0
    result = run_analysis(_articles([TEXT_A, TEXT_B + " It was delayed."]), nlp=nlp, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    assert "delayed" in " ".join(result.sentences["text"])


def test_metadata_change_rebuilds_corpus_tables_without_parsing(nlp, cache):
    run_analysis(_articles([TEXT_A, TEXT_B]), nlp=nlp, cache=cache)
    cache.hits = cache.misses = 0
    arts = _articles([TEXT_A, TEXT_B])
    arts.loc[0, "source"] = "Renamed outlet"
    result = run_analysis(arts, nlp=nlp, cache=cache)
    assert (cache.hits, cache.misses) == (2, 0)
    assert "Renamed outlet" in set(result.articles["source"])


def test_theme_config_change_invalidates_result(nlp, cache, tmp_path):
    first = run_analysis(_articles([TEXT_A]), nlp=nlp, cache=cache)
    themes = tmp_path / "themes.toml"
    themes.write_text('[[theme]]\nname = "phones"\ndefinition = "Phones."\ncues = ["phone", "deal"]\n',
                      encoding="utf-8")
    second = run_analysis(_articles([TEXT_A]), nlp=nlp, cache=cache, themes_path=themes)
    assert second.theme_names == ["phones"] and first.theme_names != ["phones"]
    assert "phones" in set(second.coverage["theme"])


def test_corrupted_cache_files_are_rebuilt(nlp, cache):
    first = run_analysis(_articles([TEXT_A]), nlp=nlp, cache=cache)
    for f in Path(cache.root).rglob("*.parquet"):
        f.write_bytes(b"not parquet at all")
    again = run_analysis(_articles([TEXT_A]), nlp=nlp, cache=cache)
    pdt.assert_frame_equal(first.sentences.reset_index(drop=True), again.sentences.reset_index(drop=True),
                           check_dtype=False)
