"""The app-side glue every page shares: cached pipeline and analysis, sidebar filters, small widgets.

This is the only module that wraps the analysis layer in Streamlit caches: the spaCy pipeline and the
analysed tables with ``st.cache_resource`` (one copy per server, keyed on the corpus folder's file stats
and the configuration), so a filter change never re-runs analysis: filters are applied after the cached
call. A corpus analysed before opens from the on-disk result without importing or loading spaCy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.cache import Cache
from analysis.nlp import ModelMissingError, find_model_name, load_nlp
from analysis.reopen import reopen_or_analyse
from analysis.versions import config_fingerprint, folder_fingerprint

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
SEEDS_ID = "seeds"


@st.cache_resource(show_spinner="Loading the spaCy English pipeline…")
def get_nlp():
    """The spaCy pipeline, loaded once per server process."""
    return load_nlp()


def corpus_path(corpus_id: str) -> Path:
    """Folder of a corpus: the bundled seeds or a saved corpus in the data directory."""
    if corpus_id == SEEDS_ID:
        return SEEDS_DIR
    from analysis.store import CorpusStore

    return CorpusStore().path(corpus_id)


def themes_path() -> str | None:
    """The themes file in use: ``$COVERAGE_LENS_THEMES`` or None for the bundled one."""
    return os.environ.get("COVERAGE_LENS_THEMES") or None


# cache_resource, not cache_data: every session shares one copy of the tables instead of unpickling its
# own (70 MB and growing per browser tab at 1,000 articles). Pages and analysis functions never mutate
# a table in place; they filter into new frames.
@st.cache_resource(show_spinner="Analysing the corpus…", max_entries=6)
def cached_tables(corpus_id: str, fingerprint: str, config: str = "") -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table of one corpus version and configuration (the cache key) and the theme names.

    A folder analysed before (same files, configuration, code and model) is read straight from the
    disk cache; otherwise the corpus is loaded and analysed, reusing every cached article.
    """
    path = corpus_path(corpus_id)

    def analyse():
        from analysis.corpus import load_corpus
        from analysis.pipeline import run_analysis

        loaded = load_corpus(path)
        return run_analysis(loaded.articles, skipped=loaded.skipped, nlp=get_nlp(),
                            themes_path=themes_path(), cache=Cache())

    tables, theme_names, _ = reopen_or_analyse(path, analyse, Cache(), themes_path=themes_path())
    return tables, theme_names


@dataclass(frozen=True)
class View:
    """What a page draws from: all tables of the corpus and the active sidebar filters."""

    corpus_id: str
    tables: dict[str, pd.DataFrame]
    theme_names: list[str]
    sources: list[str]   # selected sources (all when the filter is empty)
    themes: list[str]    # selected themes (all when the filter is empty)
    version: str = ""    # corpus content + configuration: a key for anything derived from the tables

    def key(self, *parts: object) -> str:
        """A cache key for something built from this corpus version, the filters and ``parts``."""
        return repr((self.corpus_id, self.version, sorted(self.sources), sorted(self.themes), parts))

    @property
    def all_sources(self) -> list[str]:
        return sorted(self.tables["articles"]["source"].unique())

    def table(self, name: str) -> pd.DataFrame:
        """A table filtered by the sidebar's sources (rows of other sources dropped)."""
        df = self.tables[name]
        if "source" in df.columns and set(self.sources) != set(self.all_sources):
            df = df[df["source"].isin(self.sources)]
        if name == "coverage":
            df = df[df["theme"].isin(self.themes)]
        return df


@st.cache_resource(max_entries=256, show_spinner=False)
def cached_derived(key: str, _build: Callable[[], Any]) -> Any:
    """Something built from the tables (a chart, a filtered frame) once per ``key`` (see View.key), then
    shared by every session and rerun. Callers treat the result as read-only.

    Building a plotly figure validates every property of every trace (about a second for the
    1,000-article timeline), and per-source selections scan 37k sentences: a rerun with unchanged
    inputs should pay neither again. Streamlit serialises a figure without changing it.
    """
    return _build()


def saved_corpora() -> dict[str, str]:
    """Saved corpora as {id: display name}; empty when the store is not available."""
    try:
        from analysis.store import CorpusStore
    except ImportError:
        return {}
    try:
        return {c.corpus_id: c.name for c in CorpusStore().list()}
    except OSError:
        return {}


def leave_pages_directory_mode() -> None:
    """Make sure the app runs under ``st.navigation``, not Streamlit's legacy ``pages/`` mode.

    Streamlit decides at server start that an app with a ``pages/`` folder (our layout) is a legacy
    multipage app, and runs the very first script run in that mode: the sidebar then lists the raw file
    names (app, common, ...) until the next rerun. ``st.navigation`` clears the flag for later runs; we
    clear it here too and rerun once, so even the first visitor sees the real navigation.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        from streamlit.runtime import Runtime

        # Only a real server needs the rerun; AppTest resets the flag before every run of its own.
        if Runtime.exists():
            st.rerun()


def render_sidebar() -> View | None:
    """Draw the corpus picker and the source/theme filters (bound to the URL); remember the view."""
    leave_pages_directory_mode()
    corpora = {SEEDS_ID: "Bundled seeds: Meta × Midjourney", **saved_corpora()}
    # The corpus is kept in the URL by its id, not its display name (a widget bound to the URL would
    # store the label), so a shared link survives a rename and two corpora with one name stay apart.
    wanted = st.query_params.get("corpus")
    if "corpus" not in st.session_state and wanted in corpora:
        st.session_state["corpus"] = wanted
    if st.session_state.get("corpus") not in corpora:
        st.session_state["corpus"] = SEEDS_ID
    with st.sidebar:
        corpus_id = st.selectbox("Corpus", list(corpora), format_func=lambda c: corpora.get(c, c),
                                 key="corpus",
                                 help="The bundled seeds, or a corpus you uploaded on the Corpus page.")
    if corpus_id == SEEDS_ID:
        st.query_params.pop("corpus", None)
    elif st.query_params.get("corpus") != corpus_id:
        st.query_params["corpus"] = corpus_id
    try:
        # Only checks that a pipeline is installed: the model itself is loaded when something is analysed.
        find_model_name()
        version = f"{folder_fingerprint(corpus_path(corpus_id))}:{config_fingerprint(themes_path())}"
        tables, theme_names = cached_tables(corpus_id, *version.split(":"))
    except ModelMissingError as exc:
        st.error(str(exc))
        st.stop()
    all_sources = sorted(tables["articles"]["source"].unique())
    with st.sidebar:
        chosen_sources = st.multiselect("Sources", all_sources, key="source", bind="query-params",
                                        placeholder="All sources",
                                        help="Leave empty for all sources. The filter applies to every page.")
        chosen_themes = st.multiselect("Themes", theme_names, key="theme", bind="query-params",
                                       placeholder="All themes",
                                       help="Leave empty for all themes (from the themes TOML file).")
        st.caption(f"{len(tables['articles'])} articles · {len(all_sources)} sources · "
                   f"{len(tables['skipped'])} skipped")
    view = View(corpus_id=corpus_id, tables=tables, theme_names=theme_names,
                sources=chosen_sources or all_sources, themes=chosen_themes or theme_names, version=version)
    st.session_state["_view"] = view
    return view


def _sidebar_drawn_this_run() -> bool:
    """Whether the frame already drew the sidebar in this script run (its "corpus" widget exists).

    A page run on its own (tests open pages directly) must draw the sidebar itself instead of reusing
    the view stored by an earlier run. Where Streamlit's run state cannot be read, trust the stored view.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    ids = getattr(getattr(ctx, "shared", None), "widget_ids_this_run", None)
    if ids is None:
        return True
    snapshot = ids.snapshot() if hasattr(ids, "snapshot") else ids
    return any(str(w).endswith("-corpus") for w in snapshot)


def current_view() -> View:
    """The view the sidebar built on this run (pages call this first)."""
    leave_pages_directory_mode()
    view = st.session_state.get("_view")
    if view is None or not _sidebar_drawn_this_run():  # a page run without the frame (e.g. in a test): build it now
        view = render_sidebar()
    return view


@st.cache_data(show_spinner="Measuring accuracy on the labelled dev set…")
def dev_metrics(area: str) -> pd.DataFrame | None:
    """Dev-set figures of one analysis area (analysis.evaluate), kept on disk per code version."""
    from analysis.evaluate import cached_evaluation

    try:
        return cached_evaluation(area, Cache(), load_model=get_nlp)
    except Exception:  # an unfinished evaluator must not take a page down; the note then says so
        return None


def how_computed(text: str, metrics: pd.DataFrame | dict[str, pd.DataFrame | None] | None = None) -> None:
    """A collapsed "How this is computed" note, with the measured dev-set figures when given.

    ``metrics`` is one table, or several as {label: table} (e.g. {"themes": dev_metrics("themes")}).
    """
    with st.expander("How this is computed", icon=":material/info:"):
        st.markdown(text)
        if isinstance(metrics, pd.DataFrame):
            metrics = {"": metrics}
        if metrics:
            st.caption("Measured on the project's labelled dev set (tests/data), computed at start-up:")
        for label, table in (metrics or {}).items():
            if table is None or table.empty:
                st.caption(f"{label}: dev-set figures unavailable.")
                continue
            if label:
                st.markdown(f"**{label}**")
            st.dataframe(table, hide_index=True, width="content")


def empty_state(message: str, icon: str = ":material/filter_alt_off:") -> None:
    """A visible explanation instead of a blank chart (the default icon says "a filter emptied this")."""
    st.info(message, icon=icon)


def download_csv(df: pd.DataFrame, name: str, *, label: str | None = None, key: str | None = None) -> None:
    """A CSV download of exactly the table shown, with spreadsheet formulas neutralised."""
    from analysis.csvsafe import to_csv_bytes

    # Deferred: the CSV is built only when the button is clicked (building every table's CSV on every
    # rerun cost seconds at 1,000 articles), and the click does not rerun the page.
    st.download_button(label or f"Download {name}.csv", data=partial(to_csv_bytes, df), file_name=f"{name}.csv",
                       mime="text/csv", key=key or f"dl-{name}", icon=":material/download:", on_click="ignore")
