"""The CLI: export writes every table, summarises, reports skipped inputs and exits 0."""

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd

from analysis.schema import TABLES

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env_cache):
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**__import__("os").environ,
                                                       "COVERAGE_LENS_CACHE": str(env_cache)})


def test_export_of_the_seeds_writes_every_table(tmp_path):
    out = tmp_path / "out"
    res = _run("export", "seeds", "--out", str(out), "--quiet", env_cache=tmp_path / "c")
    assert res.returncode == 0, res.stderr
    assert "analysed 5 article(s)" in res.stdout
    for name, cols in TABLES.items():
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == list(cols), name
    arts = pd.read_csv(out / "articles.csv")
    assert len(arts) == 5


def test_export_of_a_user_folder_with_a_bad_file(tmp_path):
    corpus = tmp_path / "mine"
    corpus.mkdir()
    (corpus / "one.txt").write_text("Regulators approved the merger of two drug makers on Monday. "
                                    "Analysts said the deal could lift prices.", encoding="utf-8")
    (corpus / "two.html").write_text("<html><head><title>Recall widens</title></head><body><article><h1>Recall"
                                     " widens</h1><p>The carmaker recalled 40,000 vehicles over a brake "
                                     "defect, the regulator said.</p><p>Shares fell 3% after the news.</p>"
                                     "</article></body></html>", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    res = _run("export", str(corpus), "--out", str(out), "--quiet", env_cache=tmp_path / "c")
    assert res.returncode == 0, res.stderr
    skipped = pd.read_csv(out / "skipped.csv")
    assert skipped["path"].astype(str).str.contains("empty.txt").any()
    assert len(pd.read_csv(out / "articles.csv")) == 2


def test_export_of_nothing_usable_exits_nonzero(tmp_path):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    res = _run("export", str(corpus), "--out", str(tmp_path / "o"), "--quiet", env_cache=tmp_path / "c")
    assert res.returncode == 1
    assert (tmp_path / "o" / "skipped.csv").exists()


def test_missing_corpus_is_a_clear_error(tmp_path):
    res = _run("export", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), env_cache=tmp_path / "c")
    assert res.returncode == 2
    assert "nope" in res.stderr
