"""Corpus page (AppTest): upload -> saved and selected, metadata edit, switch, rename, delete, seeds copy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("streamlit.testing.v1")
from conftest import open_corpus_page, status_table, upload  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MERGER = (b"Regulators approved the merger of two drugmakers on Tuesday. The combined company will have "
          b"annual sales of about $40 billion, the companies said.\n\nAnalysts said the deal could still "
          b"face scrutiny from competition authorities in Europe.\n")
RECALL = (b"<html><head><title>Carmaker recalls 80,000 electric SUVs</title></head><body><nav>Home | World"
          b"</nav><article><h1>Carmaker recalls 80,000 electric SUVs</h1><p>The carmaker said on Monday it "
          b"would recall about 80,000 electric SUVs over a battery fault that can cause fires.</p><p>"
          b"Regulators said no injuries had been reported so far.</p></article></body></html>")


def articles_shown(at: AppTest) -> pd.DataFrame:
    return at.data_editor[0].value


def test_seeds_are_read_only_with_copy_button(corpus_dirs: Path) -> None:
    at = open_corpus_page()
    assert at.session_state["corpus"] == "seeds"
    assert len(at.data_editor) == 0  # no editing of the bundled seeds
    assert any(b.label == "Save a copy as a new corpus" for b in at.button)
    assert any("No saved corpora yet" in i.value for i in at.info)
    # The note names the data directory and the upload cap.
    notes = " ".join(m.value for m in at.markdown)
    assert str(corpus_dirs / "corpora") in notes and "5 MB" in notes


def test_upload_txt_and_html_creates_and_selects_corpus(corpus_dirs: Path) -> None:
    at = open_corpus_page()
    upload(at, [("merger.txt", MERGER, "text/plain"), ("recall.html", RECALL, "text/html")], "Two stories")
    corpus_id = at.session_state["corpus"]
    assert corpus_id.startswith("two-stories-")
    assert at.sidebar.selectbox(key="corpus").value == corpus_id
    status = status_table(at)
    assert status.set_index("file")["status"].to_dict() == {"merger.txt": "accepted",
                                                            "recall.html": "accepted"}
    assert any("Two stories" in s.value for s in at.success)
    # The page now shows the new corpus's articles, with the HTML title found by the loader.
    shown = articles_shown(at).set_index("file")
    assert set(shown.index) == {"000_merger.txt", "001_recall.html"}
    assert shown.loc["001_recall.html", "title"] == "Carmaker recalls 80,000 electric SUVs"
    # The raw bytes are on disk under the data directory.
    folder = corpus_dirs / "corpora" / corpus_id
    assert (folder / "000_merger.txt").read_bytes() == MERGER
    listing = next(d.value for d in at.dataframe if "created" in d.value.columns)
    assert listing["id"].tolist() == [corpus_id]


def test_metadata_edit_updates_articles_and_rejects_bad_dates(corpus_dirs: Path) -> None:
    at = open_corpus_page()
    upload(at, [("merger.txt", MERGER, "text/plain"), ("recall.html", RECALL, "text/html")], "Meta edit")
    editor = at.data_editor[0]
    rows = editor.value.reset_index(drop=True)
    i = int(rows.index[rows["file"] == "000_merger.txt"][0])
    at.session_state[editor.key] = {"edited_rows": {i: {"source": "Reuters", "published": "2025-13-40"}},
                                    "added_rows": [], "deleted_rows": []}
    next(b for b in at.button if b.label == "Save metadata").click()
    at.run()
    assert any("not a real calendar date" in e.value or "YYYY-MM-DD" in e.value for e in at.error)
    corpus_id = at.session_state["corpus"]
    from analysis.store import CorpusStore

    assert CorpusStore(corpus_dirs).read_manifest(corpus_id)["source"].tolist() == ["", ""]  # nothing written
    at.session_state[at.data_editor[0].key] = {
        "edited_rows": {i: {"source": "Reuters", "published": "2025-03-04"}},
        "added_rows": [], "deleted_rows": []}
    next(b for b in at.button if b.label == "Save metadata").click()
    at.run()
    assert not at.exception
    assert any("Metadata saved" in s.value for s in at.success)
    shown = articles_shown(at).set_index("file")
    assert shown.loc["000_merger.txt", "source"] == "Reuters"
    assert shown.loc["000_merger.txt", "published"] == "2025-03-04"
    # The sidebar's analysis was redone with the new metadata: the source filter offers the new outlet.
    assert "Reuters" in at.sidebar.multiselect(key="source").options
    manifest = CorpusStore(corpus_dirs).read_manifest(corpus_id).set_index("file")
    # Untouched cells stay blank in the manifest (the loader's own values keep their provenance).
    assert manifest.loc["001_recall.html", "title"] == ""


def test_switch_rename_delete(corpus_dirs: Path) -> None:
    at = open_corpus_page()
    upload(at, [("merger.txt", MERGER, "text/plain")], "First corpus")
    first = at.session_state["corpus"]
    upload(at, [("recall.html", RECALL, "text/html")], "Second corpus")
    second = at.session_state["corpus"]
    assert first != second
    # Switch through the page's own list.
    at.selectbox(key="corpus-open-choice").set_value(first)
    at.run()
    next(b for b in at.button if b.label == "Open").click()
    at.run()
    assert at.session_state["corpus"] == first
    assert set(articles_shown(at)["file"]) == {"000_merger.txt"}
    # Rename keeps the id; the sidebar shows the new name.
    at.text_input(key=f"corpus-rename-{first}").set_value("Merger coverage")
    at.button(key="corpus-rename-btn").click()
    at.run()
    assert at.session_state["corpus"] == first
    assert "Merger coverage" in at.sidebar.selectbox(key="corpus").options
    from analysis.store import CorpusStore

    assert {c.corpus_id: c.name for c in CorpusStore(corpus_dirs).list()}[first] == "Merger coverage"
    # Download is offered; delete needs confirmation, then the seeds are selected again.
    assert any(b.label.startswith("Download this corpus") for b in at.get("download_button"))
    assert at.button(key="corpus-delete-btn").disabled
    at.checkbox(key=f"corpus-delete-sure-{first}").check()
    at.run()
    at.button(key="corpus-delete-btn").click()
    at.run()
    assert not at.exception
    assert at.session_state["corpus"] == "seeds"
    assert [c.corpus_id for c in CorpusStore(corpus_dirs).list()] == [second]
    assert not (corpus_dirs / "corpora" / first).exists()


def test_save_a_copy_of_the_seeds(corpus_dirs: Path) -> None:
    at = open_corpus_page()
    next(b for b in at.button if b.label == "Save a copy as a new corpus").click()
    at.run()
    assert not at.exception
    corpus_id = at.session_state["corpus"]
    assert corpus_id.startswith("copy-of-the-bundled-seeds-")
    assert len(articles_shown(at)) == 5
    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    stored = sorted(p.name for p in (corpus_dirs / "corpora" / corpus_id).glob("*.txt"))
    assert len(stored) == len(seeds) and all(s.endswith(t) for s, t in zip(stored, seeds, strict=True))
