"""End-to-end analysis of the seeds: golden facts an analyst would check first."""

import pandas as pd
import pytest

from analysis.article import _chunks, analyze_texts
from analysis.schema import TABLES


def test_every_export_table_has_its_schema_columns(seed_analysis):
    for name, table in seed_analysis.export_tables().items():
        assert list(table.columns) == list(TABLES[name]), name


def test_seed_articles_metadata_is_not_invented(seed_analysis):
    arts = seed_analysis.articles.set_index("article_id")
    assert len(arts) == 5
    # no seed states its own publication date: all stay blank
    assert (arts["published"].fillna("") == "").all()
    assert arts.loc["004_54de52ff19631516", "title"] == "Meta Teams Up With Midjourney for Future Creative AI Models"
    assert arts.loc["003_429ad4be7a559e8a", "source"] == "OSBAN"
    assert (arts["n_sentences"] > 5).all()


def test_sentence_ids_are_unique_and_tied_to_articles(seed_analysis):
    s = seed_analysis.sentences
    assert s["sentence_id"].is_unique
    assert set(s["article_id"]) == set(seed_analysis.articles["article_id"])
    assert (s["sentence_id"].str.split(":").str[0] == s["article_id"]).all()


def test_unit_kinds_on_the_seeds(seed_analysis):
    s = seed_analysis.sentences
    kinds = s.groupby("article_id")["kind"].agg(set)
    assert {"heading", "list_item", "citation", "body"} <= kinds["000_d48b450aa215407f"]
    assert "boilerplate" in kinds["003_429ad4be7a559e8a"]
    cited = s[(s.article_id == "000_d48b450aa215407f") & (s.kind == "citation")]
    assert cited["text"].str.contains("Shapiro").any()
    # superscript citation markers are gone from the text
    assert not s["text"].str.contains("[¹²³⁴⁵]", regex=True).any()
    # headings never merge into the next sentence
    heads = s[s.kind == "heading"]["text"]
    assert "Key Takeaways" in set(heads)


def test_only_body_and_list_items_are_tagged_and_scored(seed_analysis):
    s = seed_analysis.sentences
    other = s[~s.kind.isin(["body", "list_item"])]
    assert (other["themes"].fillna("") == "").all()
    assert (other["sentiment"] == 0).all()


def test_coverage_has_all_sources_and_default_themes(seed_analysis):
    cov = seed_analysis.coverage
    assert set(cov["theme"]) == {"ethics", "copyright", "strategy", "products"}
    assert cov["source"].nunique() == 5
    assert cov["share"].between(0, 1).all()
    # every seed is about the partnership: strategy is covered by all five
    assert (cov[cov.theme == "strategy"]["sentences"] > 0).all()


def test_long_units_are_chunked_under_the_limit():
    text = ("word " * 30 + ". ") * 2000
    pieces = _chunks(text, limit=5000)
    assert all(len(p) <= 5000 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_a_giant_single_line_is_analysed_not_crashed(nlp):
    text = "The merger was approved by regulators after a long review. " * 6000  # ~360k chars, one line
    (frame,) = analyze_texts([text], nlp)
    assert (frame["kind"] == "body").sum() > 1000


@pytest.mark.slow
def test_workers_give_identical_results(nlp, seed_corpus, tmp_path):
    from analysis.pipeline import analyze_article_tables

    arts = pd.concat([seed_corpus.articles] * 2, ignore_index=True)
    arts["article_id"] = [f"x{i}" for i in range(len(arts))]
    single = analyze_article_tables(arts, nlp=nlp, workers=1, chunk_size=2)
    multi = analyze_article_tables(arts, nlp=nlp, workers=2, chunk_size=2)
    for aid in arts["article_id"]:
        pd.testing.assert_frame_equal(single[aid].to_pandas(), multi[aid].to_pandas())


def test_auto_workers_parallel_only_for_large_batches(monkeypatch):
    """By default a large batch gets one process per core (capped); a small one stays in-process, where a
    worker's start-up would cost more than it saves; an explicit count or the environment wins."""
    from analysis import pipeline

    monkeypatch.delenv(pipeline.WORKERS_ENV, raising=False)
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 8)
    assert pipeline.auto_workers(pipeline.AUTO_MIN_ARTICLES - 1) == 1
    assert pipeline.auto_workers(pipeline.AUTO_MIN_ARTICLES) == pipeline.AUTO_MAX_WORKERS
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    assert pipeline.auto_workers(1000) == 2
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 1)
    assert pipeline.auto_workers(1000) == 1
    assert pipeline.auto_workers(1000, requested=3) == 3
    assert pipeline.auto_workers(5, requested=0) == 1
    monkeypatch.setenv(pipeline.WORKERS_ENV, "2")
    assert pipeline.auto_workers(5) == 2
    assert pipeline.auto_workers(5, requested=1) == 1
    monkeypatch.setenv(pipeline.WORKERS_ENV, "many")  # not a count: ignored
    assert pipeline.auto_workers(5) == 1


def test_default_workers_stay_in_process_for_a_pipeline_workers_cannot_load(monkeypatch, seed_corpus):
    """Workers load the pipeline by name; with another pipeline, parsing stays in this process unless
    parallel parsing is asked for."""
    import spacy

    from analysis import pipeline

    monkeypatch.setattr(pipeline, "AUTO_MIN_ARTICLES", 1)
    started = []
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", lambda *a, **k: started.append(k) or 1 / 0)
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    monkeypatch.setattr(pipeline, "analyze_texts", lambda texts, nlp: [pd.DataFrame({"text": [t]}) for t in texts])
    monkeypatch.setattr(pipeline, "to_table", lambda frame: frame)
    tables = pipeline.analyze_article_tables(seed_corpus.articles, nlp=blank, chunk_size=1)
    assert len(tables) == len(seed_corpus.articles) and not started
