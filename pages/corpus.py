"""Corpus page: upload and save a corpus, review and edit article metadata, switch, rename, delete, zip.

Thin: storage is analysis.store, loading analysis.corpus, analysis analysis.pipeline. Everything a user
supplied (file names, titles, sources, corpus names) is shown through dataframes, st.text or escaped.
Actions that change the sidebar's corpus run as button callbacks: the sidebar picker is drawn before
this page, and a widget's value can only be changed before it is drawn.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from analysis.decoding import max_file_bytes
from analysis.store import (
    ALLOWED_EXTENSIONS,
    CorpusStore,
    ManifestError,
    StoreError,
    manifest_edits,
    metadata_rows,
    upload_status,
)
from analysis.textsafe import escape_markdown
from pages import common

REPORT_KEY = "_corpus_report"
UPLOAD_ROUND = "_corpus_upload_round"
EDIT_ROUND = "_corpus_edit_round"
ARTICLE_COLUMNS = {
    "article_id": st.column_config.TextColumn("Article id"),
    "source": st.column_config.TextColumn("Source"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "published": st.column_config.TextColumn("Published"),
    "published_from": st.column_config.TextColumn("Date from",
                                                  help="manifest, field, html, dateline or blank"),
    "url": st.column_config.TextColumn("URL"),
    "path": st.column_config.TextColumn("File"),
}
UPLOAD_TYPES = [ext.lstrip(".") for ext in ALLOWED_EXTENSIONS]
STATUS_COLUMNS = {
    "file": st.column_config.TextColumn("File (as uploaded)"),
    "stored_as": st.column_config.TextColumn("Stored as"),
    "status": st.column_config.TextColumn("Status"),
    "articles": st.column_config.NumberColumn("Articles", format="%d"),
    "reason": st.column_config.TextColumn("Reason / notes", width="large"),
}


def _store() -> CorpusStore:
    return CorpusStore()


def _report(kind: str, message: str, status: pd.DataFrame | None = None, *, slot: str = "upload") -> None:
    """Remember the outcome of an action; it is shown in its section until the next action."""
    st.session_state[REPORT_KEY] = {"kind": kind, "message": message, "status": status, "slot": slot}


def _progress_callback(bar):
    def progress(done: int, total: int, message: str) -> None:
        share = done / total if total else 1.0
        bar.progress(min(1.0, max(0.0, share)), text=f"Analysing: {done} of {total} article(s)")
    return progress


def _analyse_saved(saved, status_from_store: pd.DataFrame | None = None) -> bool:
    """Load and analyse a freshly saved corpus (warming the cache) and switch to it; False on failure."""
    from analysis.cache import Cache
    from analysis.corpus import load_corpus
    from analysis.pipeline import run_analysis

    store = _store()
    loaded = load_corpus(saved.path)
    status = upload_status(store.files(saved.corpus_id), store.rejected(saved.corpus_id),
                           loaded.articles, loaded.skipped)
    if loaded.articles.empty:
        store.delete(saved.corpus_id)
        _report("error", "None of the files holds usable article text, so nothing was saved. "
                "The reasons are listed below.", status)
        return False
    bar = st.progress(0.0, text="Analysing…")
    try:
        run_analysis(loaded.articles, skipped=loaded.skipped, nlp=common.get_nlp(),
                     themes_path=os.environ.get("COVERAGE_LENS_THEMES") or None, cache=Cache(),
                     progress=_progress_callback(bar))
    except Exception as exc:  # noqa: BLE001 - the saved files must stay usable whatever failed
        _report("error", f"The files were saved as corpus “{escape_markdown(saved.name)}”, but the analysis "
                f"failed ({escape_markdown(type(exc).__name__)}). The corpus is kept; open it again later "
                "or report the problem.", status)
        return False
    finally:
        bar.empty()
    _select(saved.corpus_id)
    n_ok = int((status["status"] == "accepted").sum())
    n_bad = int((status["status"] == "rejected").sum())
    _report("success", f"Saved and analysed “{escape_markdown(saved.name)}”: {len(loaded.articles)} "
            f"article(s) from {n_ok} file(s); {n_bad} file(s) rejected. It is now the selected corpus.",
            status)
    return True


def _on_analyze() -> None:
    round_ = st.session_state.get(UPLOAD_ROUND, 0)
    uploads = st.session_state.get(f"corpus-upload-{round_}") or []
    name = (st.session_state.get("corpus-new-name") or "").strip()
    if not uploads:
        _report("warning", "Choose one or more files first.")
        return
    files = [(f.name, f.getvalue()) for f in uploads]
    if not name:
        first = uploads[0].name.rsplit(".", 1)[0]
        name = f"{first} and {len(uploads) - 1} more" if len(uploads) > 1 else first
    try:
        saved = _store().create(name, files)
    except StoreError as exc:
        rejected = pd.DataFrame({"file": [f.name for f in uploads], "stored_as": "", "status": "rejected",
                                 "articles": 0, "reason": str(exc)})
        _report("error", "Nothing was saved: none of the files is of an accepted type and size.", rejected)
        return
    if _analyse_saved(saved):
        st.session_state[UPLOAD_ROUND] = round_ + 1  # a fresh, empty uploader
        st.session_state["corpus-new-name"] = ""


def _on_copy_seeds() -> None:
    seeds = common.SEEDS_DIR
    files = [(p.name, p.read_bytes()) for p in sorted(seeds.iterdir())
             if p.is_file() and not p.name.startswith(".") and p.name != "sources.csv"]
    manifest = None
    if (seeds / "sources.csv").is_file():
        manifest = pd.read_csv(seeds / "sources.csv", dtype=str, keep_default_na=False)
    try:
        saved = _store().create("Copy of the bundled seeds", files, manifest=manifest)
    except StoreError as exc:
        _report("error", escape_markdown(str(exc)))
        return
    _analyse_saved(saved)


def _select(corpus_id: str) -> None:
    """Make a corpus the sidebar's (and this page's list's) choice; only valid inside a callback."""
    st.session_state["corpus"] = corpus_id
    st.session_state["corpus-open-choice"] = corpus_id


def _on_open() -> None:
    # Read the choice now: args bound at render time would hold the previous run's value.
    choice = st.session_state.get("corpus-open-choice")
    if choice == common.SEEDS_ID or _store().exists(str(choice)):
        _select(choice)
    st.session_state.pop(REPORT_KEY, None)


def _on_delete(corpus_id: str, name: str) -> None:
    try:
        _store().delete(corpus_id)
    except StoreError as exc:
        _report("error", escape_markdown(str(exc)))
        return
    _select(common.SEEDS_ID)
    _report("success", f"Deleted “{escape_markdown(name)}”. The bundled seeds are selected again.",
            slot="manage")


def _edited_frame(shown: pd.DataFrame, state: object) -> pd.DataFrame:
    """The editor's table with its pending cell edits applied (the edit state holds only the deltas)."""
    edited = shown.copy()
    rows = (state or {}).get("edited_rows", {}) if isinstance(state, dict) else {}
    for index, changes in rows.items():
        i = int(index)
        for col, value in (changes or {}).items():
            if 0 <= i < len(edited) and col in edited.columns:
                edited.iloc[i, edited.columns.get_loc(col)] = "" if value is None else value
    return edited


def _on_save_metadata(corpus_id: str, shown: pd.DataFrame, manifest: pd.DataFrame, edit_key: str) -> None:
    edited = _edited_frame(shown, st.session_state.get(edit_key))
    try:
        _store().write_manifest(corpus_id, manifest_edits(shown, edited, manifest))
    except ManifestError as exc:
        # The editor keeps its key, so the user's edits stay in the table to be fixed.
        _report("error", escape_markdown(str(exc)) + "  \nNothing was saved; your edits are still in the "
                "table.", slot="meta")
        return
    st.session_state[EDIT_ROUND] = st.session_state.get(EDIT_ROUND, 0) + 1
    _report("success", "Metadata saved; every page now uses it.", slot="meta")


def _on_rename(corpus_id: str) -> None:
    new_name = st.session_state.get(f"corpus-rename-{corpus_id}", "")
    try:
        _store().rename(corpus_id, new_name)
    except StoreError as exc:
        _report("error", escape_markdown(str(exc)), slot="manage")
        return
    _report("success", f"Renamed to “{escape_markdown(new_name.strip())}”.", slot="manage")


def _show_report(slot: str) -> None:
    report = st.session_state.get(REPORT_KEY)
    if not report or report.get("slot", "upload") != slot:
        return
    {"success": st.success, "warning": st.warning, "error": st.error}[report["kind"]](report["message"])
    status = report.get("status")
    if status is not None and len(status):
        st.dataframe(status, hide_index=True, column_config=STATUS_COLUMNS, width="stretch")


def _upload_section() -> None:
    st.subheader("Add a corpus")
    cap_mb = max_file_bytes() / (1024 * 1024)
    round_ = st.session_state.get(UPLOAD_ROUND, 0)
    st.file_uploader("Article files", type=UPLOAD_TYPES, accept_multiple_files=True,
                     key=f"corpus-upload-{round_}", max_upload_size=max(1, round(cap_mb)),
                     help="One article per .txt/.md/.html file, or many articles in a .csv/.jsonl file with "
                          "a 'text' column (optional id, source, title, published, url columns).")
    cols = st.columns([3, 1], vertical_alignment="bottom")
    cols[0].text_input("Corpus name", key="corpus-new-name", max_chars=120,
                       placeholder="e.g. Chip export ban, week 1")
    cols[1].button("Analyze", type="primary", on_click=_on_analyze, icon=":material/play_arrow:",
                   width="stretch")
    _show_report("upload")


def _files_not_used(store: CorpusStore, corpus_id: str, skipped: pd.DataFrame) -> None:
    if corpus_id == common.SEEDS_ID:
        table = skipped.rename(columns={"path": "file"})
    else:
        files = store.files(corpus_id)
        table = upload_status(files, store.rejected(corpus_id), pd.DataFrame(columns=["path"]), skipped)
        table = table[table["reason"] != "no article text found"].drop(columns=["status", "articles"])
    st.markdown("**Files and rows not used**")
    if table.empty:
        st.caption("None: every file was used.")
    else:
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={k: v for k, v in STATUS_COLUMNS.items() if k in table.columns})


def _metadata_section(view: common.View, store: CorpusStore) -> None:
    st.subheader("Articles and metadata")
    articles = view.tables["articles"]
    shown_cols = ["article_id", "source", "title", "published", "published_from", "url", "path"]
    if view.corpus_id == common.SEEDS_ID:
        st.caption("The bundled seeds are read-only. Save a copy to edit sources, titles and dates.")
        st.dataframe(articles.reindex(columns=shown_cols), hide_index=True, width="stretch",
                     column_config=ARTICLE_COLUMNS)
        st.button("Save a copy as a new corpus", on_click=_on_copy_seeds, icon=":material/content_copy:")
        _files_not_used(store, view.corpus_id, view.tables["skipped"])
        return
    manifest = store.read_manifest(view.corpus_id)
    shown = metadata_rows(articles, manifest)
    records = articles[~articles["path"].isin(set(manifest["file"]))]
    st.caption("Edit the source, title, date (YYYY-MM-DD) or URL, then **Save metadata**: every page "
               "updates. A cell you leave as it is keeps what was found in the file; clear a cell to "
               "drop your value.")
    edit_key = f"corpus-meta-{view.corpus_id}-{st.session_state.get(EDIT_ROUND, 0)}"
    st.data_editor(
        shown, key=edit_key, hide_index=True, width="stretch", num_rows="fixed",
        disabled=["file", "article_id"],
        column_config={
            "file": st.column_config.TextColumn("Stored file"),
            "article_id": st.column_config.TextColumn("Article id"),
            "source": st.column_config.TextColumn("Source", max_chars=200),
            "title": st.column_config.TextColumn("Title", max_chars=500, width="large"),
            "published": st.column_config.TextColumn("Published", max_chars=10,
                                                     validate=r"^(\d{4}-\d{2}-\d{2})?$",
                                                     help="YYYY-MM-DD, or blank when unknown"),
            "url": st.column_config.TextColumn("URL", max_chars=2000),
        })
    st.button("Save metadata", type="primary", icon=":material/save:", key="corpus-save-meta",
              on_click=_on_save_metadata, args=(view.corpus_id, shown, manifest, edit_key))
    _show_report("meta")
    if len(records):
        st.markdown("**Articles from CSV/JSONL records** (their metadata comes from the file's own columns)")
        st.dataframe(records.reindex(columns=shown_cols), hide_index=True, width="stretch",
                     column_config=ARTICLE_COLUMNS)
    _files_not_used(store, view.corpus_id, view.tables["skipped"])


def _manage_section(view: common.View, store: CorpusStore) -> None:
    st.subheader("Manage corpora")
    saved = store.list()
    names = {common.SEEDS_ID: "Bundled seeds", **{c.corpus_id: c.name for c in saved}}
    if saved:
        listing = pd.DataFrame([{"name": c.name, "id": c.corpus_id, "files": c.n_files,
                                 "created": c.created.replace("T", " ")[:16]} for c in saved])
        st.dataframe(listing, hide_index=True, width="stretch", column_config={
            "name": st.column_config.TextColumn("Name"), "id": st.column_config.TextColumn("Id (in links)"),
            "files": st.column_config.NumberColumn("Files", format="%d"),
            "created": st.column_config.TextColumn("Created (UTC)")})
    else:
        common.empty_state("No saved corpora yet: upload files above to create one.")
    cols = st.columns([3, 1], vertical_alignment="bottom")
    if st.session_state.get("corpus-open-choice") not in names:
        fallback = view.corpus_id if view.corpus_id in names else common.SEEDS_ID
        st.session_state["corpus-open-choice"] = fallback
    choice = cols[0].selectbox("Open a corpus", list(names), format_func=lambda c: names.get(c, c),
                               key="corpus-open-choice")
    cols[1].button("Open", on_click=_on_open, width="stretch",
                   disabled=choice == view.corpus_id, icon=":material/folder_open:")
    _show_report("manage")
    if view.corpus_id == common.SEEDS_ID or view.corpus_id not in names:
        return
    current = names[view.corpus_id]
    st.markdown(f"**Selected corpus:** {escape_markdown(current)}")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input("New name", value=current, max_chars=120, key=f"corpus-rename-{view.corpus_id}")
    c2.button("Rename", width="stretch", icon=":material/edit:", key="corpus-rename-btn",
              on_click=_on_rename, args=(view.corpus_id,))
    st.download_button("Download this corpus (.zip)", data=lambda: store.zip_bytes(view.corpus_id),
                       file_name=f"{view.corpus_id}.zip", mime="application/zip",
                       icon=":material/download:", key="corpus-zip",
                       help="The raw uploaded files and sources.csv: unzip and run "
                            "`python -m analysis export <folder> --out tables/`.")
    with st.expander("Delete this corpus", icon=":material/delete:"):
        st.text(f"This removes “{current}” and its {len(store.files(view.corpus_id))} file(s) "
                "from the data directory. It cannot be undone.")
        sure = st.checkbox("Yes, delete it", key=f"corpus-delete-sure-{view.corpus_id}")
        st.button("Delete", type="primary", disabled=not sure, on_click=_on_delete,
                  args=(view.corpus_id, current), key="corpus-delete-btn", icon=":material/delete_forever:")


def _how_computed(store: CorpusStore) -> None:
    cap_mb = max_file_bytes() / (1024 * 1024)
    common.how_computed(
        f"""
**Accepted files:** {", ".join(ALLOWED_EXTENSIONS)}; at most {cap_mb:g} MB each (set
`COVERAGE_LENS_MAX_FILE_MB` to change it). `.txt`/`.md`/`.html` files hold one article each; `.csv`
and `.jsonl` files hold one article per row with a `text` column (optional `id`, `source`, `title`,
`published`, `url`). Anything else, empty, binary or undecodable files are listed with the reason and
never analysed; the other files of the upload are.

**Encodings:** byte-order marks (UTF-8/16/32), UTF-8, the charset an HTML page declares (checked
against the bytes), automatic detection, then Windows-1252. HTML is reduced to the main article text
(menus, scripts, footers and comments are dropped).

**Metadata:** the source, title, date and URL come from the table above where you set them, else
from the file (CSV/JSONL columns, HTML metadata, a heading line, a dateline); the source falls back to
the file name, never an invented outlet. Dates must be `YYYY-MM-DD` or blank.

**Storage:** uploads are kept as the original bytes under generated file names (never the uploaded
name) in `{store.corpora_dir}` (set `COVERAGE_LENS_DATA` to move it), with a `sources.csv` manifest, so
the same folder works with `python -m analysis export`. Analysis results live in a separate cache; a
failed analysis never touches the saved files.

**Privacy:** the server binds to this machine only (127.0.0.1, in `.streamlit/config.toml`); files
are not sent anywhere.
""")


view = common.current_view()
store = _store()
st.title("Corpus")
st.caption("Upload articles about one story, fix their metadata, and switch between saved corpora.")
_upload_section()
st.divider()
_metadata_section(view, store)
st.divider()
_manage_section(view, store)
_how_computed(store)
