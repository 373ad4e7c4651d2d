"""Hostile and broken inputs: each is reported with a plain reason and never sinks the rest of the batch."""

from __future__ import annotations

import codecs
import random
import time

import pytest

from analysis.cleaning import split_units
from analysis.corpus import load_corpus, load_files

GOOD = b"The central bank held rates on Wednesday. Analysts had expected the decision."


def one(name: str, data: bytes, **kw):
    """Load a single upload next to a good file; the good file must always survive."""
    loaded = load_files([("good.txt", GOOD), (name, data)], **kw)
    assert loaded.articles["article_id"].iloc[0] == "good"
    return loaded


def reason_for(loaded, name: str) -> str:
    rows = loaded.skipped[loaded.skipped["path"] == name]
    assert len(rows) == 1, loaded.skipped
    return rows.iloc[0]["reason"]


def test_empty_file():
    assert reason_for(one("empty.txt", b""), "empty.txt") == "file is empty"


def test_whitespace_only():
    assert "only whitespace" in reason_for(one("ws.txt", b" \n\t\r\n  "), "ws.txt")


def test_nul_bytes():
    assert "NUL" in reason_for(one("nul.txt", b"Some text\x00 with\x00 NULs\x00"), "nul.txt")


def test_random_bytes():
    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(5000))
    assert "binary" in reason_for(one("noise.txt", data), "noise.txt")


def test_cp1252_curly_quotes():
    loaded = one("win.txt", "He said “no” to the café’s offer.".encode("cp1252"))
    assert loaded.articles.iloc[1]["text"] == "He said “no” to the café’s offer."


def test_latin1():
    loaded = one("l1.txt", "Économie: la Banque a maintenu ses taux, a déclaré Müller.".encode("latin-1"))
    assert loaded.articles.iloc[1]["text"] == "Économie: la Banque a maintenu ses taux, a déclaré Müller."


def test_utf16_bom():
    loaded = one("u16.txt", codecs.BOM_UTF16_LE + "Rates held – “as expected”.".encode("utf-16-le"))
    assert loaded.articles.iloc[1]["text"] == "Rates held – “as expected”."


def test_utf8_bom():
    loaded = one("u8.txt", codecs.BOM_UTF8 + b"Rates held.")
    assert loaded.articles.iloc[1]["text"] == "Rates held."


def test_wrong_declared_html_charset():
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Zürich Bank Holds Rates</title></head><body><article>'
        "<p>The Zürich-based bank’s chief said “rates stay”, and the café owners cheered the decision.</p>"
        "</article></body></html>"
    ).encode()
    row = one("p.html", html).articles.iloc[1]
    assert "Zürich-based bank’s chief said “rates stay”" in row["text"] and "Ã" not in row["text"]


def test_oversize_file(monkeypatch):
    big = b"word " * (1024 * 1024 // 5 * 3)  # 3 MB
    assert (
        reason_for(one("big.txt", big, max_bytes=2 * 1024 * 1024), "big.txt")
        == "file is 3.0 MB; the limit is 2 MB"
    )
    monkeypatch.setenv("COVERAGE_LENS_MAX_FILE_MB", "1")
    assert "the limit is 1 MB" in reason_for(one("big.txt", big), "big.txt")


def test_oversize_file_on_disk_is_never_read(tmp_path, monkeypatch):
    (tmp_path / "big.txt").write_bytes(b"x" * 2048)
    (tmp_path / "ok.txt").write_bytes(GOOD)
    from pathlib import Path

    real = Path.read_bytes

    def guarded(self):
        assert self.name != "big.txt", "oversize file was read"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    loaded = load_corpus(tmp_path, max_bytes=1024)
    assert loaded.articles["article_id"].tolist() == ["ok"]
    assert "the limit is" in reason_for(loaded, "big.txt")


def test_one_300k_char_line_is_fast():
    line = (
        "The regulator said the merger would be reviewed in depth and that a decision was due "
        "within ninety days, officials said, "
    ) * 2700
    start = time.perf_counter()
    loaded = one("long.txt", line.encode())
    units = split_units(loaded.articles.iloc[1]["text"])
    assert len(line) > 300_000 and len(units) == 1 and units[0].kind == "body"
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("pattern", ["*x ", "[", "_a ", "[a](", "<a ", "**a ", "Yes. - ", "By A "])
def test_pathological_300k_lines_do_not_backtrack(pattern):
    text = pattern * (300_000 // len(pattern))
    start = time.perf_counter()
    split_units(text)
    assert time.perf_counter() - start < 10


def test_malformed_html():
    html = (
        b"<html><body><div><p>Chipmakers warned on Tuesday that new export rules would cut their sales "
        b"<b>sharply<i> this year, <p>executives said<div></span></table> in a joint statement to investors "
        b"and regulators."
    )
    row = one("broken.html", html).articles.iloc[1]
    assert "Chipmakers warned on Tuesday" in row["text"]


def test_comment_only_html():
    loaded = one("c.html", b"<html><head></head><body><!-- nothing but a comment --></body></html>")
    assert reason_for(loaded, "c.html") == "no article text found in the HTML"


def test_script_iframe_event_handler_svg_html():
    html = (
        b'<html><head><script>alert("SCRIPT_X")</script></head><body>'
        b'<iframe src="javascript:alert(1)">IFRAME_X</iframe>'
        b"<img src=x onerror=\"alert('ONERROR_X')\">"
        b'<svg onload="alert(1)"><script>SVG_SCRIPT_X</script><text>SVG_TEXT_X</text></svg>'
        b'<article><p onclick="steal()">Regulators fined the airline $2 million on Monday for failing to '
        b"refund passengers whose flights were cancelled, the transport department said.</p></article>"
        b"</body></html>"
    )
    text = one("xss.html", html).articles.iloc[1]["text"]
    assert "Regulators fined the airline" in text
    for marker in ("SCRIPT_X", "IFRAME_X", "ONERROR_X", "SVG_SCRIPT_X", "alert", "onclick", "<"):
        assert marker not in text


def test_csv_missing_text_column():
    assert "no 'text' column" in reason_for(one("x.csv", b"id,body\n1,Rates held.\n"), "x.csv")


def test_jsonl_missing_text_column():
    assert "no 'text' field" in reason_for(one("x.jsonl", b'{"body": "Rates held."}\n'), "x.jsonl")


def test_csv_empty_rows_and_bad_date_and_extra_columns():
    data = (
        b"text,published,mood,=cmd\n"
        b"Rates held.,2025-08-20,calm,x\n"
        b",2025-08-21,,\n"
        b",,,\n"
        b"Rates rose.,next week?,,\n"
    )
    loaded = one("rows.csv", data)
    arts = loaded.articles.set_index("article_id")
    assert arts.loc["rows-row1", "published"] == "2025-08-20"
    assert arts.loc["rows-row4", "published"] == ""
    reasons = loaded.skipped["reason"].tolist()
    assert "row 2: empty text" in reasons
    assert any(r.startswith("row 4: published 'next week?' is not a date; left blank") for r in reasons)
    assert not any("row 3" in r for r in reasons)  # a fully blank line is not a record
    assert set(loaded.articles.columns) == set(arts.reset_index().columns)


def test_formula_looking_values_kept_as_text():
    data = b'id,source,title,text\n=1+2,@evil,+title,"=HYPERLINK(""http://x"") said the regulator."\n'
    row = one("f.csv", data).articles.iloc[1]
    assert (row["source"], row["title"]) == ("@evil", "+title")
    assert row["text"] == '=HYPERLINK("http://x") said the regulator.'
    assert row["article_id"] == "1-2"  # sanitised id, never a formula


def test_duplicate_articles():
    loaded = one("copy.txt", GOOD.replace(b". ", b".  \n"))
    assert reason_for(loaded, "copy.txt") == "duplicate of good"


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/cron.d/evil.txt",
        "..\\..\\win.txt",
        "/abs/path.txt",
        "..",
        "a/../../b.txt",
        "nul\x00name.txt",
        "\u202etxt.exe.txt",
        "日本語 ニュース.txt",
        "emoji 📰 story.txt",
        ".hidden.txt",
        "CON.txt",
    ],
)
def test_hostile_upload_names(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = load_files([(name, b"A story about a chip export ban.")])
    if name == "..":  # no name and no extension left: reported, not guessed
        assert loaded.skipped.to_dict("records") == [
            {"path": "unnamed", "reason": "unsupported file type (no file extension)"}
        ]
    else:
        assert len(loaded.articles) == 1
    values = [*loaded.articles["article_id"], *loaded.articles["path"], *loaded.skipped["path"]]
    for value in values:
        assert "/" not in value and "\\" not in value and ".." not in value and "\x00" not in value
    assert list(tmp_path.iterdir()) == []  # nothing was written anywhere


def test_mixed_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    files = {
        "good1.txt": GOOD,
        "sub/good2.md": b"# Pharma Merger Cleared by Regulators\n\nThe deal was approved on Friday.",
        "good3.html": b"<html><head><title>EV Recall Widens</title></head><body><article>"
        b"<p>The carmaker widened its recall to 2 million vehicles on Thursday after more brake failures.</p>"
        b"</article>"
        b"</body></html>",
        "records.csv": b"id,text,source\nr1,Streaming rights sold for $2.5 billion.,Wire\n",
        "win1252.txt": "Caf\u00e9 \u201cowners\u201d cheered.".encode("cp1252"),
        "empty.txt": b"",
        "nul.txt": b"\x00\x01\x02binary",
        "scan.pdf": b"%PDF-1.4",
        "image.png": b"\x89PNG\r\n",
        "zz_dup.txt": GOOD,
        "nocol.csv": b"a,b\n1,2\n",
        "comment.html": b"<html><!-- only --></html>",
        ".DS_Store": b"\x00\x00",
        ".git/config": b"[core]",
    }
    for rel, data in files.items():
        (tmp_path / rel).write_bytes(data)
    loaded = load_corpus(tmp_path)
    assert sorted(loaded.articles["article_id"]) == ["good1", "good2", "good3", "r1", "win1252"]
    skipped = dict(zip(loaded.skipped["path"], loaded.skipped["reason"], strict=True))
    assert skipped == {
        "comment.html": "no article text found in the HTML",
        "zz_dup.txt": "duplicate of good1",
        "empty.txt": "file is empty",
        "image.png": "unsupported file type .png",
        "nocol.csv": "no 'text' column; the file was skipped",
        "nul.txt": "file looks binary (it contains NUL bytes), not a text article",
        "scan.pdf": "unsupported file type .pdf",
    }
    arts = loaded.articles.set_index("article_id")
    assert arts.loc["good2", "title"] == "Pharma Merger Cleared by Regulators"
    assert arts.loc["good2", "path"] == "sub/good2.md"
    assert arts.loc["good3", "title"] == "EV Recall Widens"
