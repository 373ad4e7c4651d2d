"""Shared AppTest helpers for the page tests: an isolated cache/data dir and ``run_page``.

Every page test drives the real frame (app.py: sidebar, navigation) and then switches to its page, the
way a user arrives there. The analysis of the seeds is cached by Streamlit per process and on disk in a
session tmp dir, so only the first test pays for it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
# First run analyses the seeds and measures the dev sets on a shared, busy machine.
TIMEOUT = 300


@pytest.fixture(scope="session", autouse=True)
def lens_dirs(tmp_path_factory) -> Iterator[dict[str, Path]]:
    """COVERAGE_LENS_CACHE and COVERAGE_LENS_DATA in tmp dirs for the whole session (never the user's)."""
    dirs = {"COVERAGE_LENS_CACHE": tmp_path_factory.mktemp("lens-cache"),
            "COVERAGE_LENS_DATA": tmp_path_factory.mktemp("lens-data")}
    with pytest.MonkeyPatch.context() as mp:
        for name, path in dirs.items():
            mp.setenv(name, str(path))
        mp.chdir(ROOT)
        mp.syspath_prepend(str(ROOT))  # a page run as the main script imports pages.common and analysis
        yield dirs


def run_page(path: str, query: Mapping[str, str | Sequence[str]] | None = None, *,
             sources: Sequence[str] | None = None, themes: Sequence[str] | None = None,
             timeout: float = TIMEOUT) -> AppTest:
    """Run app.py, go to ``path`` (e.g. "pages/themes.py"), optionally with sidebar filters set; asserts
    the run raised nothing and returns the AppTest.

    With ``query`` (URL query params, e.g. {"metric": "Tone"}) the page script is run as the main script
    on its first run, the way a shared link opens it: a page switch clears the query string, and AppTest
    cannot open a url_path page on its first run. The page builds the sidebar itself (common.current_view).
    """
    if query:
        at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
        for key, value in query.items():
            at.query_params[key] = list(value) if isinstance(value, list | tuple) else value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if sources is not None or themes is not None:
        set_filters(at, sources=sources, themes=themes)
    return at


def set_filters(at: AppTest, *, sources: Sequence[str] | None = None,
                themes: Sequence[str] | None = None) -> AppTest:
    """Set the sidebar Sources/Themes multiselects and rerun (asserting no exception)."""
    if sources is not None:
        at.multiselect(key="source").set_value(list(sources))
    if themes is not None:
        at.multiselect(key="theme").set_value(list(themes))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """The unfiltered analysis tables the app is showing (from the sidebar's View in session state)."""
    return at.session_state["_view"].tables


def figures(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as plotly JSON dicts (test figures through their data)."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    """All markdown, caption and info text on the page, joined (for 'is this shown?' checks)."""
    parts = [el.value for kind in ("markdown", "caption", "info", "subheader", "header")
             for el in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def unescape(md: str) -> str:
    """Markdown as the reader sees it: backslash escapes, zero-width spaces and highlights removed."""
    import re

    md = re.sub(r":[a-z]+-background\[(.*?)\]", r"\1", md.replace("\u200b", ""))
    return re.sub(r"\\(.)", r"\1", md)


@pytest.fixture()
def app_env() -> dict[str, str]:
    """The environment the pages run with (handy when a test needs the data directory)."""
    return {k: os.environ[k] for k in ("COVERAGE_LENS_CACHE", "COVERAGE_LENS_DATA")}


# --- the Corpus page (uploads): shared by test_corpus_page.py and test_uploads_hostile_page.py ---------
CORPUS_PAGE = ROOT / "pages" / "corpus.py"
# A frame with the app's order of work (sidebar, then the page) holding only the Corpus page, so an
# upload's rerun stays on it.
CORPUS_HARNESS = f"""
import streamlit as st
from pages import common
nav = st.navigation([st.Page({str(CORPUS_PAGE)!r}, title="Corpus", url_path="corpus", default=True)])
common.render_sidebar()
nav.run()
"""


@pytest.fixture()
def corpus_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> Path:
    """A fresh data dir per test; one analysis cache for the session (the seeds are analysed once)."""
    data = tmp_path / "data"
    monkeypatch.setenv("COVERAGE_LENS_DATA", str(data))
    monkeypatch.setenv("COVERAGE_LENS_CACHE", str(tmp_path_factory.getbasetemp() / "corpus-page-cache"))
    monkeypatch.chdir(ROOT)
    return data


def open_corpus_page() -> AppTest:
    """Run the Corpus page in its frame; asserts the run raised nothing."""
    at = AppTest.from_string(CORPUS_HARNESS, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, files: Sequence[tuple[str, bytes, str]], name: str) -> AppTest:
    """Upload files under a corpus name and press Analyze (asserting no exception)."""
    at.file_uploader[0].set_value(list(files))
    at.text_input(key="corpus-new-name").set_value(name)
    next(b for b in at.button if b.label == "Analyze").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def status_table(at: AppTest) -> pd.DataFrame:
    """The upload status table (stored_as, status, reason)."""
    for df in at.dataframe:
        if {"stored_as", "status", "reason"} <= set(df.value.columns):
            return df.value
    raise AssertionError("no upload status table")
