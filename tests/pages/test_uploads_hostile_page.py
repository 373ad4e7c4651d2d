"""Hostile uploads through the Corpus page: every bad file is listed with its reason, good files analysed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit.testing.v1")
from conftest import open_corpus_page, status_table, upload  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GOOD = (b"The central bank held interest rates at 4.5% on Thursday, saying inflation was easing more slowly "
        b"than it had expected.\n\nEconomists had forecast the decision.\n")
CP1252 = (b"The chip maker said the \x93export ban\x94 would cut its revenue by about 10% this year, "
          b"according to a filing in Z\xfcrich.\n")

BREACH = (b"<html><head><title>Bank fined over breach</title></head><body><article><h1>Bank fined over data "
          b"breach</h1><p>The regulator fined the bank $2 million on Wednesday over a data breach that "
          b"exposed the records of 40,000 customers, officials said.</p><p>The bank said it had "
          b"tightened its controls.</p></article></body></html>")


def _analyze(at: AppTest, files: list[tuple[str, bytes, str]], name: str = "Hostile") -> AppTest:
    return upload(at, files, name)


def test_hostile_uploads_rejected_with_reasons_good_ones_analysed(corpus_dirs: Path) -> None:
    at = _analyze(open_corpus_page(), [
        ("good.txt", GOOD, "text/plain"),
        ("legacy.txt", CP1252, "text/plain"),
        ("empty.txt", b"", "text/plain"),
        ("blank.md", b"  \n\t\n", "text/markdown"),
        ("binary.txt", bytes(range(256)) * 8, "text/plain"),
        ("huge.txt", b"word " * 1_200_000, "text/plain"),
        ("../../etc/passwd.txt", GOOD.replace(b"Thursday", b"Friday"), "text/plain"),
        ("a/b.html", BREACH, "text/html"),
        ("script.html", b"<script>alert(1)</script><img src=x onerror=alert(2)>", "text/html"),
        ("records.csv", b"id,title\n1,No text column here\n", "text/csv"),
    ])
    status = status_table(at).set_index("file")
    accepted = set(status.index[status["status"] == "accepted"])
    assert accepted == {"good.txt", "legacy.txt", "passwd.txt", "b.html"}
    reasons = status["reason"].to_dict()
    assert "empty" in reasons["empty.txt"]
    assert "whitespace" in reasons["blank.md"]
    assert "binary" in reasons["binary.txt"]
    assert "limit is 5 MB" in reasons["huge.txt"]
    assert reasons["script.html"]  # no article text in it
    assert "text" in reasons["records.csv"]
    for name in ("empty.txt", "blank.md", "binary.txt", "huge.txt", "script.html", "records.csv"):
        assert status.loc[name, "status"] == "rejected", name
    # Other types (.exe ...) never reach the page: Streamlit's uploader refuses them server-side (the
    # store refuses them too, see tests/analysis/test_store.py).
    # The corpus holds the good files; the cp1252 quotes were decoded properly.
    corpus_id = at.session_state["corpus"]
    shown = at.data_editor[0].value
    assert len(shown) == 4
    folder = corpus_dirs / "corpora" / corpus_id
    assert all(p.resolve().parent == folder.resolve() for p in folder.rglob("*") if p.is_file())
    assert not (folder / "huge.txt").exists() and not list(folder.glob("*.exe"))
    assert "Hostile" in at.sidebar.selectbox(key="corpus").options
    # The rejected files are listed again in the corpus's "not used" table (after the upload report).
    not_used = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert any("binary.txt" in set(t["file"]) for t in not_used[1:])


def test_upload_with_no_usable_file_saves_nothing(corpus_dirs: Path) -> None:
    at = _analyze(open_corpus_page(), [("empty.txt", b"", "text/plain"),
                            ("x.bin.txt", b"\x00\x01\x02" * 50, "text/plain")])
    assert at.session_state["corpus"] == "seeds"
    assert any("nothing was saved" in e.value for e in at.error)
    assert set(status_table(at)["status"]) == {"rejected"}
    assert not [p for p in (corpus_dirs / "corpora").iterdir() if not p.name.startswith(".")]


def test_names_and_titles_are_never_rendered_as_markdown(corpus_dirs: Path) -> None:
    evil = (b"<html><head><title>**bold** <img src=x onerror=alert(1)> :red[x]</title></head><body><p>"
            b"The streaming service won the rights to the league's matches for five years, it said.</p>"
            b"</body></html>")
    at = _analyze(open_corpus_page(), [("[click](javascript:alert(1)).html", evil, "text/html")],
                  name="<b>x</b> [link](http://evil) :red[boom]")
    assert not at.exception
    for m in list(at.markdown) + list(at.success):
        assert "<b>" not in m.value and "](http" not in m.value and ":red[" not in m.value.replace("\\", "")
