"""load_corpus / load_files: folders, manifests, CSV/JSONL records, HTML pages, duplicates, titles, dates."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import (
    ARTICLE_COLUMNS,
    LoadedCorpus,
    headline_from_text,
    load_corpus,
    load_files,
    normalize_published,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "data" / "corpus"
NEWS_PAGE = (FIXTURES / "news_page.html").read_bytes()


def test_seeds_load_with_manifest():
    loaded = load_corpus(SEEDS)
    assert isinstance(loaded, LoadedCorpus)
    arts = loaded.articles.set_index("article_id")
    assert list(loaded.articles.columns) == ARTICLE_COLUMNS
    assert len(arts) == 5 and loaded.skipped.empty
    assert arts.loc["003_429ad4be7a559e8a", "source"] == "OSBAN"
    # unknown outlets fall back to the article id, never an invented name
    assert arts.loc["000_d48b450aa215407f", "source"] == "000_d48b450aa215407f"
    assert (
        arts.loc["004_54de52ff19631516", "title"]
        == "Meta Teams Up With Midjourney for Future Creative AI Models"
    )
    assert (arts.drop(index="004_54de52ff19631516")["title"] == "").all()
    assert (
        (arts["published"] == "").all() and (arts["published_from"] == "").all() and (arts["url"] == "").all()
    )
    assert arts.loc["001_bb9ea6bdd15c2010", "text"].startswith("Meta Platforms has announced")


def test_seed_manifest_records_only_what_is_known():
    manifest = pd.read_csv(SEEDS / "sources.csv", dtype=str, keep_default_na=False)
    assert list(manifest.columns) == ["file", "source", "title", "published", "url"]
    assert sorted(manifest["file"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert (manifest["published"] == "").all() and (manifest["url"] == "").all()
    assert set(manifest["source"]) == {"", "OSBAN"}


def test_content_hash_is_sha256_of_text():
    import hashlib

    row = load_corpus(SEEDS).articles.iloc[0]
    assert row["content_hash"] == hashlib.sha256(row["text"].encode("utf-8")).hexdigest()


def test_html_page_main_text_and_metadata():
    loaded = load_files([("news_page.html", NEWS_PAGE)])
    row = loaded.articles.iloc[0]
    for marker in (
        "NAV_MARKER",
        "SCRIPT_MARKER",
        "STYLE_MARKER",
        "RELATED_MARKER",
        "COMMENT_MARKER",
        "FOOTER_MARKER",
        "dataLayer",
    ):
        assert marker not in row["text"]
    assert "A streaming service has agreed to pay $2.5 billion" in row["text"]
    assert "- 120 live matches a season" in row["text"]  # list structure survives for split_units
    assert row["title"] == "Streaming Giant Wins Football Rights in Record Deal"
    assert row["source"] == "The Example Ledger"
    assert (row["published"], row["published_from"]) == ("2025-02-13", "html")
    assert row["url"] == "https://ledger.example.com/sport/streaming-rights-deal"


def test_html_date_never_guessed_from_body_text():
    html = (
        b"<html><body><article><p>The meeting took place on 12 March 2023 in Paris, officials "
        b"said on Monday, and talks will resume next month.</p></article></body></html>"
    )
    row = load_files([("p.html", html)]).articles.iloc[0]
    assert row["published"] == "" and row["published_from"] == ""


def test_manifest_overrides_and_reports_missing_files(tmp_path):
    (tmp_path / "a.txt").write_text("Regulators approved the merger on Friday.", encoding="utf-8")
    (tmp_path / "page.html").write_bytes(NEWS_PAGE)
    (tmp_path / "sources.csv").write_text(
        "file,source,title,published,url\n"
        'a.txt,Wire One,Merger approved,"Aug 20, 2025",https://w.example/a\n'
        "page.html,Ledger (manifest),,,\n"
        "gone.txt,Nobody,,,\n",
        encoding="utf-8",
    )
    loaded = load_corpus(tmp_path)
    arts = loaded.articles.set_index("article_id")
    assert arts.loc["a", ["source", "title", "published", "published_from", "url"]].tolist() == [
        "Wire One",
        "Merger approved",
        "2025-08-20",
        "manifest",
        "https://w.example/a",
    ]
    # manifest source wins over the page's site name; page title and date still fill the blanks
    assert arts.loc["page", "source"] == "Ledger (manifest)"
    assert arts.loc["page", "published_from"] == "html"
    assert any("gone.txt" in r for r in loaded.skipped["reason"])


def test_csv_records(tmp_path):
    path = tmp_path / "batch.csv"
    pd.DataFrame(
        {
            "id": ["r1", "", "r3", "r4"],
            "source": ["Wire", "Daily", "", "Wire"],
            "title": ['=HYPERLINK("http://evil")', "T2", "", ""],
            "published": ["2025-03-01", "next week?", "2025", ""],
            "url": ["", "", "", ""],
            "text": [
                "Recall widened to 2 million cars.",
                "Bank held rates.",
                "",
                "=1+1 is not a formula here.",
            ],
            "extra": ["x", "y", "z", "w"],
        }
    ).to_csv(path, index=False)
    loaded = load_corpus(path)
    arts = loaded.articles.set_index("article_id")
    assert list(arts.index) == ["r1", "batch-row2", "r4"]
    assert arts.loc["r1", "title"] == '=HYPERLINK("http://evil")'  # text here; neutralised only on export
    assert arts.loc["r4", "text"] == "=1+1 is not a formula here."
    assert arts.loc["batch-row2", ["published", "published_from"]].tolist() == ["", ""]
    assert arts.loc["r1", ["published", "published_from"]].tolist() == ["2025-03-01", "field"]
    assert arts.loc["r3" if "r3" in arts.index else "r4", "source"]  # never blank
    assert arts.loc["r4", "path"].endswith("batch.csv row 4")
    reasons = " | ".join(loaded.skipped["reason"])
    assert "row 2: published 'next week?' is not a date; left blank" in reasons
    assert "row 3: empty text" in reasons
    assert "extra" not in loaded.articles.columns


def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Chip ban widened.", "source": "Wire", "published": "Aug 20, 2025"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"text": "Second story, no id.", "views": 12}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_corpus(path)
    assert loaded.articles["article_id"].tolist() == ["a", "feed-row5"]
    assert loaded.articles.iloc[0]["published"] == "2025-08-20"
    reasons = loaded.skipped["reason"].tolist()
    assert any(r.startswith("row 2: not valid JSON") for r in reasons)
    assert "row 3: not a JSON object" in reasons and "row 4: empty text" in reasons


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("no_text.csv", "id,body\n1,hello\n", "no 'text' column"),
        ("no_text.jsonl", '{"body": "hello"}\n', "no 'text' field"),
    ],
)
def test_records_without_text_column_skipped_whole(tmp_path, name, content, reason):
    loaded = load_files([(name, content.encode())])
    assert loaded.articles.empty
    assert loaded.skipped.iloc[0]["path"] == name and reason in loaded.skipped.iloc[0]["reason"]


def test_duplicates_analysed_once():
    text = b"The regulator fined the bank on Monday.\n\nIt will appeal."
    loaded = load_files(
        [("one.txt", text), ("two.md", b"The regulator fined the bank on Monday.\nIt will  appeal.")]
    )
    assert loaded.articles["article_id"].tolist() == ["one"]
    assert loaded.skipped.to_dict("records") == [{"path": "two.md", "reason": "duplicate of one"}]


def test_upload_names_are_sanitised_and_unique():
    files = [
        ("../../etc/passwd.txt", b"First story text here."),
        ("a/b/passwd.txt", b"Second story text here."),
        ("C:\\Users\\x\\passwd.txt", b"Third story text here."),
        ("..", b"Fourth story."),
        ("rapport\u202e\u0007 été.txt", b"Fifth story text here."),
    ]
    arts = load_files(files).articles
    ids = arts["article_id"].tolist()
    assert ids[:3] == ["passwd", "passwd-2", "passwd-3"]
    assert len(set(ids)) == len(ids)
    for value in list(arts["article_id"]) + list(arts["path"]):
        assert "/" not in value and "\\" not in value and ".." not in value
        assert not any(ord(c) < 32 for c in value)
    assert "été" in ids[-1]


def test_headline_rule_is_generic():
    assert (
        headline_from_text("Central Bank Holds Rates Steady Again\nThe bank kept rates at 2%.")
        == "Central Bank Holds Rates Steady Again"
    )
    assert headline_from_text("Key Takeaways\n- Rates held.\nThe bank kept rates.") == ""  # section label
    assert headline_from_text("The bank kept rates at 2% on Wednesday.") == ""
    assert (
        headline_from_text("# Chip Makers Brace for Export Curbs\n\nShares fell on Tuesday.")
        == "Chip Makers Brace for Export Curbs"
    )


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2025-08-20", "2025-08-20"),
        ("2025-08-20T10:00:00Z", "2025-08-20"),
        ("2025-08-20T23:30:00-05:00", "2025-08-20"),
        ("Aug 20, 2025", "2025-08-20"),
        ("20 August 2025", "2025-08-20"),
        ("2025", ""),
        ("August 2025", ""),
        ("next week?", ""),
        ("yesterday", ""),
        ("2025-02-30", ""),
        ("", ""),
    ],
)
def test_normalize_published(value, expected):
    iso, problem = normalize_published(value)
    assert iso == expected
    assert (problem is None) == (expected != "" or value == "")


def test_missing_path_raises_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="Corpus path not found"):
        load_corpus(tmp_path / "nope")


def test_single_file_and_unsupported_types(tmp_path):
    f = tmp_path / "story.md"
    f.write_text(
        "# Data Breach Lawsuit Filed Against Retailer\n\nA class action was filed.", encoding="utf-8"
    )
    row = load_corpus(f).articles.iloc[0]
    assert (row["article_id"], row["title"]) == ("story", "Data Breach Lawsuit Filed Against Retailer")
    loaded = load_files([("scan.pdf", b"%PDF-1.4"), ("photo.JPG", b"\xff\xd8"), ("README", b"text")])
    assert loaded.skipped["reason"].tolist() == [
        "unsupported file type .pdf",
        "unsupported file type .jpg",
        "unsupported file type (no file extension)",
    ]
