"""Per-article and whole-result cache: hits are identical, changes invalidate, corruption rebuilds."""

import shutil
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from analysis.article import analyze_texts
from analysis.cache import Cache
from analysis.nlp import model_version
from analysis.pipeline import analyze_article_tables, article_key, assemble_sentences, run_analysis

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


def test_arrow_assembly_equals_pandas_concat_when_article_columns_differ(cache):
    """Tables read back from the cache assemble into exactly the frame pd.concat of their frames gives."""
    frames = [
        pd.DataFrame({"position": [0, 1], "kind": ["body", "body"], "text": ["a", "b"],
                      "claim_is_claim": [True, False], "claim_hedge": ["may", ""]}),
        pd.DataFrame({"claim_hedge": ["", ""], "text": ["c", "d"], "kind": ["heading", "body"],
                      "claim_is_claim": [False, True], "position": [0, 1]}),  # same columns, another order
        pd.DataFrame({"position": [0], "kind": ["boilerplate"], "text": ["e"]}),  # no claim columns at all
        pd.DataFrame({"position": [0, 1], "kind": ["body", "body"], "text": ["f", "g"],
                      "claim_is_claim": [True, True], "claim_hedge": [None, None]}),  # all-null: Arrow type null
        pd.DataFrame({"position": [0], "kind": ["body"], "text": ["h"], "claim_is_claim": [False],
                      "claim_hedge": ["reportedly"], "extra": [1.5]}),
    ]
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(frames))],
                             "source": [f"S{i % 2}" for i in range(len(frames))]})
    keys = [f"{i:02d}k" for i in range(len(frames))]
    for key, frame in zip(keys, frames, strict=True):
        cache.put_article(key, frame)
    tables = {a: cache.get_article_table(k) for a, k in zip(articles["article_id"], keys, strict=True)}
    expected = assemble_sentences(articles, {a: t.to_pandas() for a, t in tables.items()})  # pandas only
    got = assemble_sentences(articles, tables)
    pdt.assert_frame_equal(got, expected, check_exact=True)
    assert got["text"].tolist() == list("abcdefgh")
    assert got["sentence_id"].tolist()[:3] == ["a0:000", "a0:001", "a1:000"]


def test_cached_tables_of_real_articles_assemble_like_fresh_frames(nlp, cache):
    """An article without body sentences (no claim columns) among others: cached, fresh and plain pandas agree."""
    arts = _articles([TEXT_A, "Subscribe to our newsletter", TEXT_B])
    frames = dict(zip(arts["article_id"], analyze_texts(list(arts["text"]), nlp), strict=True))
    assert len({tuple(f.columns) for f in frames.values()}) == 2
    expected = assemble_sentences(arts, frames)  # the frames as parsed, concatenated by pandas
    cold = analyze_article_tables(arts, nlp=nlp, cache=cache)
    warm = analyze_article_tables(arts, nlp=nlp, cache=cache)
    assert (cache.hits, cache.misses) == (3, 3)
    for tables in (cold, warm, analyze_article_tables(arts, nlp=nlp)):
        pdt.assert_frame_equal(assemble_sentences(arts, tables), expected, check_exact=True)


def test_corrupted_article_file_is_a_miss_and_rebuilt(nlp, cache):
    arts = _articles([TEXT_A, TEXT_B])
    first = run_analysis(arts, nlp=nlp, cache=cache)
    path = cache._article_path(article_key(arts.loc[1, "content_hash"], model_version(nlp)))
    path.write_bytes(b"PAR1 truncated")
    shutil.rmtree(cache.root / "results")  # so the corpus step reads the articles again
    cache.hits = cache.misses = 0
    again = run_analysis(arts, nlp=nlp, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    assert path.exists() and cache.get_article_table(path.stem) is not None
    pdt.assert_frame_equal(again.sentences, first.sentences, check_exact=True)
