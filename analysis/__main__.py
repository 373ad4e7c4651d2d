"""Command line: ``python -m analysis export CORPUS --out DIR`` and ``python -m analysis evaluate``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Coverage Lens: compare how news sources cover one story.")
    sub = parser.add_subparsers(dest="command", required=True)

    exp = sub.add_parser("export", help="analyse a corpus and write every table as CSV")
    exp.add_argument("corpus", help="folder of .txt/.md/.html files (optional sources.csv), or one .csv/.jsonl")
    exp.add_argument("--out", required=True, help="output folder for the CSV files")
    exp.add_argument("--themes", help="themes TOML file (default: the bundled analysis/data/themes.toml)")
    exp.add_argument("--aliases", help="entity aliases TOML file (default: the bundled aliases.toml)")
    exp.add_argument("--cache", help="cache folder (default: $COVERAGE_LENS_CACHE or ~/.cache/coverage-lens)")
    exp.add_argument("--no-cache", action="store_true", help="analyse everything afresh, write no cache")
    exp.add_argument("--workers", type=int, default=None,
                     help="parallel parsing processes (default: one per core, up to 4, when 100 or more "
                          "articles need parsing; else 1)")
    exp.add_argument("--max-file-mb", type=float, help="per-file size cap in MB (default 5)")
    exp.add_argument("--quiet", action="store_true", help="print only the summary line")

    ev = sub.add_parser("evaluate", help="print precision/recall and correlations on the labelled dev sets")
    ev.add_argument("--area", default="all",
                    choices=["themes", "tone", "claims", "claims_grid", "dates", "entities", "cleaning", "all"])
    return parser


def _export(args: argparse.Namespace) -> int:
    from analysis.cache import Cache
    from analysis.corpus import load_corpus
    from analysis.export import write_tables
    from analysis.nlp import load_nlp
    from analysis.pipeline import run_analysis

    start = time.perf_counter()
    max_bytes = int(args.max_file_mb * 1024 * 1024) if args.max_file_mb else None
    try:
        loaded = load_corpus(args.corpus, max_bytes=max_bytes)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    nlp = load_nlp()
    cache = None if args.no_cache else Cache(args.cache)

    def progress(done: int, total: int, message: str) -> None:
        if not args.quiet and sys.stderr.isatty():
            print(f"\r[{done}/{total}] {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    analysis = run_analysis(loaded.articles, skipped=loaded.skipped, nlp=nlp, themes_path=args.themes,
                            aliases_path=args.aliases, cache=cache,
                            workers=None if args.workers is None else max(1, args.workers),
                            progress=progress)
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    tables = analysis.export_tables()
    write_tables(tables, args.out)
    n_articles = len(tables["articles"])
    summary = (f"analysed {n_articles} article(s) from {tables['articles']['source'].nunique()} source(s): "
               f"{int(tables['articles']['n_sentences'].sum())} sentences, {len(tables['claims'])} claims, "
               f"{len(tables['timeline'])} timeline rows; skipped {len(tables['skipped'])}; "
               f"wrote {len(tables)} CSV files to {Path(args.out)} in {time.perf_counter() - start:.1f}s"
               + (f" (cache hits {cache.hits}, misses {cache.misses})" if cache else ""))
    print(summary)
    if not args.quiet:
        for row in tables["skipped"].itertuples(index=False):
            print(f"  skipped {row.path}: {row.reason}", file=sys.stderr)
    return 0 if n_articles else 1


def _evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.evaluate import run_evaluations
    from analysis.nlp import load_nlp

    nlp = load_nlp()
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.precision", 3):
        for area, table in run_evaluations(nlp, area=args.area).items():
            print(f"\n== {area} ==")
            print(table.to_string(index=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m analysis``."""
    from analysis.nlp import ModelMissingError

    args = _build_parser().parse_args(argv)
    try:
        if args.command == "export":
            return _export(args)
        return _evaluate(args)
    except ModelMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
