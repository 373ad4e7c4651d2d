"""Re-opening an analysed folder by file stats: same tables, no article read, stale aliases ignored."""

import json
import os
import sys
from pathlib import Path

import pandas.testing as pdt
import pytest

from analysis.cache import Cache
from analysis.nlp import load_nlp, model_version
from analysis.reopen import folder_alias, reopen_or_analyse
from analysis.versions import config_fingerprint, folder_fingerprint, installed_model_version

ARTICLE = ("Title: Acme and Globex\nSource: Daily Wire\n\nAcme Corp announced a partnership with Globex on "
           "Tuesday. Critics warned of copyright lawsuits.\n")


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE.replace("Daily Wire", "Trade Post").replace("Tuesday", "Monday"),
                             encoding="utf-8")
    return d


def _analyser(folder, nlp, cache, calls):
    def analyse():
        from analysis.corpus import load_corpus
        from analysis.pipeline import run_analysis

        calls.append(1)
        loaded = load_corpus(folder)
        return run_analysis(loaded.articles, skipped=loaded.skipped, nlp=nlp, cache=cache)
    return analyse


def test_second_open_reads_the_stored_tables_without_analysing(folder, nlp, tmp_path):
    cache, calls = Cache(tmp_path / "cache"), []
    first, themes, hit = reopen_or_analyse(folder, _analyser(folder, nlp, cache, calls), cache)
    assert (hit, len(calls)) == (False, 1)
    again, themes2, hit2 = reopen_or_analyse(folder, _analyser(folder, nlp, cache, calls), cache)
    assert (hit2, len(calls)) == (True, 1)  # the analyser was not called: no file read, no parse
    assert themes2 == themes and set(again) == set(first)
    for name in ("articles", "sentences", "claims", "coverage"):
        pdt.assert_frame_equal(first[name].reset_index(drop=True), again[name].reset_index(drop=True),
                               check_dtype=False)


def test_an_edited_file_or_config_gives_a_new_alias(folder, tmp_path):
    before = folder_alias(folder)
    themes = tmp_path / "themes.toml"
    themes.write_text('[themes.ethics]\ncues = ["ethic"]\n', encoding="utf-8")
    assert folder_alias(folder, themes) != before
    stat = (folder / "a.txt").stat()
    (folder / "a.txt").write_text(ARTICLE + "More text.\n", encoding="utf-8")
    os.utime(folder / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert folder_alias(folder) != before


def test_a_stale_or_broken_alias_falls_back_to_analysis(folder, nlp, tmp_path):
    cache, calls = Cache(tmp_path / "cache"), []
    reopen_or_analyse(folder, _analyser(folder, nlp, cache, calls), cache)
    alias = folder_alias(folder)
    record = json.loads(cache._alias_path(alias).read_text())
    # The result it points to was deleted (cache pruned by hand): analyse again, never crash.
    for f in (cache.root / "results" / record["result"]).iterdir():
        f.unlink()
    _, _, hit = reopen_or_analyse(folder, _analyser(folder, nlp, cache, calls), cache)
    assert (hit, len(calls)) == (False, 2)
    cache._alias_path(alias).write_text("{not json", encoding="utf-8")
    _, _, hit = reopen_or_analyse(folder, _analyser(folder, nlp, cache, calls), cache)
    assert (hit, len(calls)) == (False, 3)
    _, _, hit = reopen_or_analyse(folder, _analyser(folder, nlp, cache, calls), cache)
    assert hit  # and the alias was rewritten


def test_installed_model_version_matches_the_loaded_pipeline():
    assert installed_model_version() == model_version(load_nlp())


def test_fingerprints_read_no_contents_and_ignore_hidden_files(folder):
    before = folder_fingerprint(folder)
    (folder / ".DS_Store").write_bytes(b"junk")
    assert folder_fingerprint(folder) == before
    assert len(config_fingerprint()) == 16


def test_reopen_path_imports_no_spacy(folder, tmp_path):
    """The alias lookup must not import spaCy (1.4 s) or the pipeline: that is its whole point."""
    import subprocess

    code = ("import sys; from analysis.reopen import folder_alias; from analysis.cache import Cache; "
            f"Cache({str(tmp_path / 'c')!r}).get_alias(folder_alias({str(folder)!r})); "
            "print('spacy' in sys.modules, 'analysis.pipeline' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "False"]
