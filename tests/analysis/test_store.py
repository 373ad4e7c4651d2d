"""Saved corpora store: create/list/rename/delete/zip, safe names, atomic manifest, concurrency."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.store import (
    ALLOWED_EXTENSIONS,
    CorpusNotFound,
    CorpusStore,
    ManifestError,
    StoreError,
    default_data_dir,
    safe_file_name,
    validate_date,
)

STORY = (b"Regulators approved the merger of two drugmakers on Tuesday, clearing the way for a "
         b"combined company with annual sales of about $40 billion.\n")


@pytest.fixture()
def store(tmp_path: Path) -> CorpusStore:
    return CorpusStore(tmp_path / "data")


def _all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_create_writes_raw_bytes_manifest_and_lists(store: CorpusStore) -> None:
    cp1252 = b"The \x93deal\x94 was signed in Z\xfcrich.\n"
    saved = store.create("Pharma merger", [("reuters.txt", STORY), ("wire.html", b"<p>x</p>"),
                                            ("old.txt", cp1252)])
    assert saved.n_files == 3 and saved.name == "Pharma merger"
    assert saved.corpus_id.startswith("pharma-merger-")
    names = sorted(p.name for p in saved.path.iterdir() if not p.name.startswith("."))
    assert names == ["000_reuters.txt", "001_wire.html", "002_old.txt", "sources.csv"]
    # Raw bytes, never re-encoded (the loader decodes them later).
    assert (saved.path / "002_old.txt").read_bytes() == cp1252
    listed = store.list()
    assert [c.corpus_id for c in listed] == [saved.corpus_id]
    assert store.path(saved.corpus_id) == saved.path
    manifest = store.read_manifest(saved.corpus_id)
    assert list(manifest.columns) == ["file", "source", "title", "published", "url"]
    assert manifest["file"].tolist() == ["000_reuters.txt", "001_wire.html", "002_old.txt"]
    assert (manifest.drop(columns="file") == "").all().all()
    files = store.files(saved.corpus_id)
    assert files["original"].tolist() == ["reuters.txt", "wire.html", "old.txt"]


def test_rejected_types_and_oversize_are_not_written(store: CorpusStore) -> None:
    saved = store.create("mixed", [("good.md", STORY), ("evil.exe", b"MZ\x90\x00"), ("noext", STORY),
                                    ("big.txt", b"a" * 2048)], max_bytes=1024)
    assert saved.n_files == 1
    reasons = dict(saved.rejected)
    assert "unsupported file type .exe" in reasons["evil.exe"]
    assert "unsupported file type" in reasons["noext"]
    assert "limit" in reasons["big.txt"]
    assert sorted(p.name for p in saved.path.iterdir() if not p.name.startswith(".")) == \
        ["000_good.md", "sources.csv"]
    assert store.rejected(saved.corpus_id)["original"].tolist() == ["evil.exe", "noext", "big.txt"]


def test_nothing_storable_leaves_nothing_on_disk(store: CorpusStore) -> None:
    with pytest.raises(StoreError, match="none of the files"):
        store.create("bad", [("a.pdf", b"%PDF")])
    assert store.list() == []
    assert [p for p in store.corpora_dir.iterdir()] == []


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd", "../../etc/passwd.txt", "a/b.txt", "a\\b.txt", "..", "../..txt", ".txt",
    "/abs/path.md", "..\\..\\win.ini.txt", "con.txt", "x" * 5000 + ".txt", "\x00evil\r\n.txt",
    "ｆｕｌｌ／ｗｉｄｔｈ．ｔｘｔ", "رسالة-خبر.txt", "🚗 recall ✓.html", "naïve café.md", "‮txt.exe",
    "file.TXT", "report.tar.gz.jsonl",
])
def test_unsafe_names_never_escape_the_corpus_dir(store: CorpusStore, hostile: str) -> None:
    try:
        saved = store.create("hostile", [(hostile, STORY)])
    except StoreError:
        # Refused entirely (e.g. no allowed extension): then nothing at all may be on disk.
        assert _all_files(store.root) == []
        return
    corpus = saved.path.resolve()
    for f in _all_files(store.root):
        assert f.resolve().parent == corpus, f
    stored = [p.name for p in saved.path.iterdir() if not p.name.startswith(".")]
    stored.remove("sources.csv")
    assert len(stored) == 1
    name = stored[0]
    assert name.isascii() and "/" not in name and "\\" not in name and ".." not in name
    assert len(name) <= 4 + 40 + len(".jsonl")
    assert Path(name).suffix in ALLOWED_EXTENSIONS
    # The original name is kept for display only, cleaned of separators and control characters.
    original = store.files(saved.corpus_id)["original"].iloc[0]
    assert "/" not in original and "\x00" not in original and len(original) <= 255


def test_safe_file_name_shapes() -> None:
    assert safe_file_name(7, "../../etc/passwd.txt") == "007_passwd.txt"
    assert safe_file_name(0, "Ünïcödé Story.HTM") == "000_Unicode_Story.htm"
    assert safe_file_name(1, "notes.markdown") == "001_notes.md"
    assert safe_file_name(2, "....txt") == "002_file.txt"
    with pytest.raises(StoreError):
        safe_file_name(0, "passwd")
    with pytest.raises(StoreError):
        safe_file_name(0, "shell.php")


def test_rename_keeps_id_and_files(store: CorpusStore) -> None:
    saved = store.create("EV recall", [("a.txt", STORY)])
    renamed = store.rename(saved.corpus_id, "  EV recall (March)  ")
    assert renamed.corpus_id == saved.corpus_id and renamed.name == "EV recall (March)"
    assert store.list()[0].name == "EV recall (March)"
    with pytest.raises(StoreError):
        store.rename(saved.corpus_id, "   ")


def test_delete_removes_everything(store: CorpusStore) -> None:
    keep = store.create("keep", [("a.txt", STORY)])
    gone = store.create("gone", [("b.txt", STORY)])
    store.delete(gone.corpus_id)
    assert [c.corpus_id for c in store.list()] == [keep.corpus_id]
    assert not gone.path.exists()
    assert not [p for p in store.corpora_dir.iterdir() if p.name.startswith(".trash")]
    with pytest.raises(CorpusNotFound):
        store.path(gone.corpus_id)


@pytest.mark.parametrize("bad_id", ["../x", "..", "", "a/b", "UPPER", "x" * 100, "seeds"])
def test_path_rejects_unknown_or_malformed_ids(store: CorpusStore, bad_id: str) -> None:
    store.create("one", [("a.txt", STORY)])
    with pytest.raises(CorpusNotFound):
        store.path(bad_id)


def test_zip_holds_raw_files_and_manifest(store: CorpusStore) -> None:
    saved = store.create("zip me", [("a.txt", STORY), ("b.jsonl", b'{"text": "x"}\n')])
    store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["000_a.txt"], "source": ["Reuters"]}))
    with zipfile.ZipFile(io.BytesIO(store.zip_bytes(saved.corpus_id))) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(f"{saved.corpus_id}/{n}" for n in ("000_a.txt", "001_b.jsonl", "sources.csv"))
        assert zf.read(f"{saved.corpus_id}/000_a.txt") == STORY
        manifest = pd.read_csv(zf.open(f"{saved.corpus_id}/sources.csv"), dtype=str, keep_default_na=False)
    assert manifest.set_index("file").loc["000_a.txt", "source"] == "Reuters"


def test_write_manifest_round_trip_and_partial_update(store: CorpusStore) -> None:
    saved = store.create("meta", [("a.txt", STORY), ("b.txt", STORY + b"More.\n")])
    store.write_manifest(saved.corpus_id, pd.DataFrame({
        "file": ["001_b.txt"], "source": ["The Verge"], "title": ["=HYPERLINK(\"x\")"],
        "published": ["2025-08-22"], "url": ["https://example.com/b"]}))
    m = store.read_manifest(saved.corpus_id).set_index("file")
    assert m.loc["001_b.txt"].tolist() == ["The Verge", "=HYPERLINK(\"x\")", "2025-08-22", "https://example.com/b"]
    assert m.loc["000_a.txt"].tolist() == ["", "", "", ""]
    # On disk the formula is neutralised for spreadsheets; read_manifest undoes it (exact round trip).
    assert "'=HYPERLINK" in (saved.path / "sources.csv").read_text(encoding="utf-8")
    store.write_manifest(saved.corpus_id, store.read_manifest(saved.corpus_id))
    again = store.read_manifest(saved.corpus_id).set_index("file")
    assert again.loc["001_b.txt", "title"] == "=HYPERLINK(\"x\")"


@pytest.mark.parametrize("bad", ["2025-13-01", "2025-02-30", "next week", "20/08/2025", "2025-08", "2025"])
def test_write_manifest_bad_date_raises_and_writes_nothing(store: CorpusStore, bad: str) -> None:
    saved = store.create("dates", [("a.txt", STORY), ("b.txt", STORY + b"x")])
    store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["000_a.txt"], "source": ["AP"]}))
    before = (saved.path / "sources.csv").read_bytes()
    edit = pd.DataFrame({"file": ["000_a.txt", "001_b.txt"], "source": ["Changed", "Also"],
                         "published": ["2025-01-02", bad]})
    with pytest.raises(ManifestError) as err:
        store.write_manifest(saved.corpus_id, edit)
    message = str(err.value)
    assert "001_b.txt" in message and "YYYY-MM-DD" in message or "calendar" in message
    assert (saved.path / "sources.csv").read_bytes() == before


def test_write_manifest_rejects_unknown_files(store: CorpusStore) -> None:
    saved = store.create("x", [("a.txt", STORY)])
    with pytest.raises(ManifestError, match="not a file of this corpus"):
        store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["../../etc/passwd"], "source": ["x"]}))


def test_manifest_write_is_atomic(store: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = store.create("atomic", [("a.txt", STORY)])
    store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["000_a.txt"], "source": ["AP"]}))
    before = (saved.path / "sources.csv").read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["000_a.txt"], "source": ["BBC"]}))
    monkeypatch.undo()
    assert (saved.path / "sources.csv").read_bytes() == before
    assert not [p for p in saved.path.iterdir() if ".tmp-" in p.name]


def test_add_files_continues_numbering_and_keeps_metadata(store: CorpusStore) -> None:
    saved = store.create("grow", [("a.txt", STORY)])
    store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["000_a.txt"], "source": ["AP"]}))
    grown = store.add_files(saved.corpus_id, [("a.txt", STORY + b"Update.\n"), ("x.pdf", b"%PDF")])
    assert grown.n_files == 2 and dict(grown.rejected)["x.pdf"].startswith("unsupported")
    m = store.read_manifest(saved.corpus_id)
    assert m["file"].tolist() == ["000_a.txt", "001_a.txt"]
    assert m["source"].tolist() == ["AP", ""]


def test_create_with_manifest_keyed_by_uploaded_names(store: CorpusStore) -> None:
    given = pd.DataFrame({"file": ["a.txt", "b.txt"], "source": ["Reuters", "AP"],
                          "published": ["2025-08-20", "not a date"], "title": ["", "B"], "url": ["", ""]})
    saved = store.create("copy", [("a.txt", STORY), ("b.txt", STORY + b"b")], manifest=given)
    m = store.read_manifest(saved.corpus_id)
    assert m["source"].tolist() == ["Reuters", "AP"]
    assert m["published"].tolist() == ["2025-08-20", ""]


def test_concurrent_creates_both_survive(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    results: list = []
    errors: list = []
    barrier = threading.Barrier(8)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            # Two separate store objects on one folder, as two browser sessions would have.
            results.append(CorpusStore(root).create("Same name", [(f"s{i}.txt", STORY + bytes([65 + i]))]))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ids = {c.corpus_id for c in CorpusStore(root).list()}
    assert ids == {r.corpus_id for r in results} and len(ids) == 8
    for r in results:
        assert len([p for p in r.path.iterdir() if p.suffix == ".txt"]) == 1


def test_concurrent_manifest_edits_do_not_lose_rows(store: CorpusStore) -> None:
    files = [(f"f{i}.txt", STORY + bytes([65 + i])) for i in range(6)]
    saved = store.create("edits", files)
    names = store.read_manifest(saved.corpus_id)["file"].tolist()

    def edit(name: str) -> None:
        store.write_manifest(saved.corpus_id, pd.DataFrame({"file": [name], "source": [f"src-{name}"]}))

    threads = [threading.Thread(target=edit, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    m = store.read_manifest(saved.corpus_id)
    assert m["source"].tolist() == [f"src-{n}" for n in names]


def test_validate_date() -> None:
    assert validate_date("") == "" and validate_date(None) == "" and validate_date(float("nan")) == ""
    assert validate_date(" 2024-02-29 ") == "2024-02-29"
    with pytest.raises(ValueError):
        validate_date("2023-02-29")


def test_data_dir_env_and_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COVERAGE_LENS_DATA", str(tmp_path / "d"))
    assert default_data_dir() == tmp_path / "d"
    assert CorpusStore().root == tmp_path / "d"
    monkeypatch.delenv("COVERAGE_LENS_DATA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "coverage-lens"


def test_saved_corpus_loads_with_the_cli_loader(store: CorpusStore) -> None:
    """The saved folder is a normal corpus folder: manifest metadata applies, hidden files are ignored."""
    corpus = pytest.importorskip("analysis.corpus")
    saved = store.create("cli", [("a.txt", STORY), ("b.md", b"# Chip export ban widened\n\n" + STORY[:-1]
                                                    + b" Officials said more rules would follow.\n")])
    store.write_manifest(saved.corpus_id, pd.DataFrame({"file": ["000_a.txt"], "source": ["Reuters"],
                                                        "published": ["2025-03-04"]}))
    loaded = corpus.load_corpus(saved.path)
    arts = loaded.articles.set_index("article_id")
    assert set(arts.index) == {"000_a", "001_b"}
    assert arts.loc["000_a", "source"] == "Reuters" and arts.loc["000_a", "published"] == "2025-03-04"
    assert loaded.skipped.empty, loaded.skipped.to_dict("records")


def test_record_files_in_a_saved_corpus_are_loaded_as_records(store: CorpusStore) -> None:
    corpus = pytest.importorskip("analysis.corpus")
    csv_bytes = (b"id,source,title,published,text\n"
                 b"r1,AP,Recall widens,2025-03-01,\"The carmaker widened the recall to 90,000 vehicles.\"\n")
    jsonl = b'{"source": "BBC", "text": "The streaming service won the football rights for five years."}\n'
    saved = store.create("records", [("feed.csv", csv_bytes), ("feed.jsonl", jsonl)])
    loaded = corpus.load_corpus(saved.path)
    arts = loaded.articles.set_index("article_id")
    assert set(arts["source"]) == {"AP", "BBC"}
    assert arts.loc["r1", "published"] == "2025-03-01"
    assert loaded.skipped.empty, loaded.skipped.to_dict("records")


def test_upload_status_and_metadata_edits() -> None:
    from analysis.store import manifest_edits, metadata_rows, upload_status

    files = pd.DataFrame({"file": ["000_a.txt", "001_b.csv", "002_c.txt"],
                          "original": ["a.txt", "b.csv", "c.txt"]})
    rejected = pd.DataFrame({"original": ["x.pdf"], "reason": ["unsupported file type .pdf"]})
    articles = pd.DataFrame({"article_id": ["000_a", "r1"], "source": ["000_a", "AP"], "title": ["T", ""],
                             "published": ["2025-01-02", ""], "url": ["", ""],
                             "path": ["000_a.txt", "001_b.csv row 1"]})
    skipped = pd.DataFrame({"path": ["001_b.csv row 2", "002_c.txt"],
                            "reason": ["row 2: empty text", "file is empty"]})
    status = upload_status(files, rejected, articles, skipped).set_index("file")
    assert status["status"].to_dict() == {"a.txt": "accepted", "b.csv": "accepted", "c.txt": "rejected",
                                          "x.pdf": "rejected"}
    assert status.loc["b.csv", "reason"] == "row 2: empty text" and status.loc["b.csv", "articles"] == 1
    manifest = pd.DataFrame({"file": ["000_a.txt", "001_b.csv", "002_c.txt"], "source": ["", "", ""],
                             "title": ["", "", ""], "published": ["", "", ""], "url": ["", "", ""]})
    shown = metadata_rows(articles, manifest)
    assert shown["file"].tolist() == ["000_a.txt"]  # records are not edited through the manifest
    edited = shown.copy()
    edited.loc[0, "source"] = "Reuters"
    out = manifest_edits(shown, edited, manifest).set_index("file")
    assert out.loc["000_a.txt", "source"] == "Reuters"
    # Unchanged cells stay blank: the loader's values (title, dateline date) keep their provenance.
    assert out.loc["000_a.txt", "title"] == "" and out.loc["000_a.txt", "published"] == ""


def test_an_uploaded_sources_csv_is_the_manifest_not_an_article(tmp_path):
    from analysis.corpus import load_corpus
    from analysis.store import CorpusStore

    store = CorpusStore(tmp_path)
    manifest = b"file,source,title,published,url\nrecall.txt,Daily Wire Service,Recall widens,2025-03-04,\n"
    text = b"The carmaker recalled 40,000 vehicles over a brake defect, the regulator said on Tuesday."
    saved = store.create("Recall", [("recall.txt", text), ("sources.csv", manifest)])
    rows = store.read_manifest(saved.corpus_id)
    assert len(rows) == 1
    assert rows.loc[0, "source"] == "Daily Wire Service" and rows.loc[0, "published"] == "2025-03-04"
    loaded = load_corpus(store.path(saved.corpus_id))
    assert list(loaded.articles["source"]) == ["Daily Wire Service"]
    assert loaded.skipped.empty
