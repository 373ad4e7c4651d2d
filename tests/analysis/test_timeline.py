"""Timeline table, claim first appearances and date conflicts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.dates import date_mentions
from analysis.schema import columns
from analysis.timeline import build_timeline, claim_first_seen, date_conflicts

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _frames(nlp, docs: dict[str, tuple[str, str, list[tuple[str, str]]]]):
    """articles/sentences/date_mentions like the pipeline makes them, from (source, published, units)."""
    arts, sents, dms = [], [], []
    for aid, (source, published, units) in docs.items():
        arts.append({"article_id": aid, "source": source, "published": published, "title": ""})
        pos = 0
        for kind, text in units:
            doc = nlp(text)
            spans = list(doc.sents) if kind in ("body", "list_item") else [doc[:]]
            for s in spans:
                sid = f"{aid}:{pos:03d}"
                sents.append(
                    {
                        "article_id": aid,
                        "source": source,
                        "sentence_id": sid,
                        "position": pos,
                        "kind": kind,
                        "text": s.text,
                        "lemmas": " ".join(t.lemma_.lower() for t in s if not t.is_punct),
                    }
                )
                for m in date_mentions(s):
                    dms.append(
                        {"article_id": aid, "source": source, "sentence_id": sid, "position": pos, **m}
                    )
                pos += 1
    return (
        pd.DataFrame(arts),
        pd.DataFrame(sents),
        pd.DataFrame(
            dms,
            columns=[
                "article_id",
                "source",
                "sentence_id",
                "position",
                "date_text",
                "start_char",
                "end_char",
                "tense",
            ],
        ),
    )


@pytest.fixture(scope="module")
def small(nlp):
    return _frames(
        nlp,
        {
            "a1": (
                "Wire",
                "2025-08-20",
                [
                    ("heading", "Results due on Tuesday"),
                    (
                        "body",
                        "The company said on Tuesday that profit fell last year. "
                        "Shares have dropped for two years.",
                    ),
                    ("citation", 'Smith, J. "Earnings." Daily News, 5 Aug. 2025.'),
                ],
            ),
            "b1": (
                "Blog",
                "",
                [("body", "Last summer the firm cut jobs, and it reported results in March 2024.")],
            ),
        },
    )


def test_timeline_rows_kinds_anchor_and_order(small):
    articles, sentences, mentions = small
    before = (articles.copy(), sentences.copy(), mentions.copy())
    tl = build_timeline(articles, sentences, mentions)
    assert list(tl.columns) == columns("timeline")
    rows = {(r.date_text, r.kind): (r.date, r.precision) for r in tl.itertuples()}
    assert rows[("", "published")] == ("2025-08-20", "day")
    assert rows[("Tuesday", "event")] == ("2025-08-19", "day")  # anchored on publication
    assert rows[("last year", "event")] == ("2024", "year")
    assert rows[("5 Aug. 2025", "citation")] == ("2025-08-05", "day")
    assert rows[("Last summer", "event")] == ("", "unresolved")  # blog has no date: not guessed
    assert rows[("March 2024", "event")] == ("2024-03", "month")
    assert not any("two years" in t for t in tl["date_text"])  # duration dropped
    assert "Results due on Tuesday" not in set(tl["text"])  # headings skipped
    assert (tl["kind"] == "published").sum() == 1 and tl.loc[tl["kind"] == "published", "sentence_id"].eq(
        ""
    ).all()
    dated = tl[tl["date"] != ""]["date"].tolist()
    assert dated == sorted(dated) and tl["date"].iloc[-1] == ""  # by date, unresolved last
    for got, orig in zip((articles, sentences, mentions), before, strict=True):
        pd.testing.assert_frame_equal(got, orig)  # inputs untouched


def test_seed_timeline_golden(nlp):
    from analysis.cleaning import split_units

    docs = {}
    for path in sorted(SEEDS.glob("*.txt")):
        units = [(u.kind, u.text) for u in split_units(path.read_text(encoding="utf-8"))]
        docs[path.stem] = (path.stem, "", units)
    articles, sentences, mentions = _frames(nlp, docs)
    tl = build_timeline(articles, sentences, mentions)
    assert not (tl["kind"] == "published").any()  # seed dates are unknown
    cites = tl[tl["article_id"].str.startswith("000") & (tl["kind"] == "citation")]
    assert sorted(zip(cites["date_text"], cites["date"], cites["precision"], strict=True)) == sorted(
        [
            ("20 Aug. 2025", "2025-08-20", "day"),
            ("15 Aug. 2025", "2025-08-15", "day"),
            ("10 July 2025", "2025-07-10", "day"),
            ("28 July 2025", "2025-07-28", "day"),
            ("5 Aug. 2025", "2025-08-05", "day"),
        ]
    )
    summer = tl[tl["article_id"].str.startswith("004") & (tl["date_text"] == "this summer")]
    assert len(summer) == 1 and summer.iloc[0]["precision"] == "unresolved" and summer.iloc[0]["date"] == ""


def test_claim_first_seen_earliest_source_ties_and_unknown_dates():
    articles = pd.DataFrame(
        {
            "article_id": ["x", "y", "z", "w"],
            "source": ["X", "Y", "Z", "W"],
            "published": ["2025-08-21", "2025-08-20", "2025-08-20", ""],
        }
    )
    claims = pd.DataFrame({"claim_id": ["C001", "C002", "C003"], "text": ["t1", "t2", "t3"]})
    ev = pd.DataFrame(
        {
            "claim_id": ["C001", "C001", "C001", "C002", "C002", "C003"],
            "article_id": ["x", "y", "z", "x", "y", "w"],
            "source": ["X", "Y", "Z", "X", "Y", "W"],
            "sentence_id": ["x:1", "y:1", "z:1", "x:2", "y:2", "w:1"],
            "stance": ["supports", "hedged", "supports", "supports", "contradicts", "supports"],
        }
    )
    fs = claim_first_seen(claims, ev, articles).set_index("claim_id")
    assert fs.loc["C001", ["first_date", "first_source", "n_sources"]].tolist() == ["2025-08-20", "Y;Z", 3]
    # a contradiction is not the claim appearing
    assert fs.loc["C002", ["first_date", "first_source", "n_sources"]].tolist() == ["2025-08-21", "X", 1]
    assert fs.loc["C003", "first_date"] == "" and fs.loc["C003", "n_sources"] == 1


def _tl(rows):
    tl = pd.DataFrame(
        rows,
        columns=["date", "precision", "kind", "date_text", "article_id", "source", "sentence_id", "text"],
    )
    sents = (
        tl[["sentence_id", "text"]]
        .drop_duplicates()
        .assign(lemmas=lambda d: d["text"].str.lower().str.replace(r"[^\w\s]", "", regex=True))
    )
    return tl, sents


def test_date_conflicts_same_event_different_dates():
    tl, sents = _tl(
        [
            (
                "2025-03-03",
                "day",
                "event",
                "March 3",
                "a",
                "A",
                "a:1",
                "The regulator approved the merger of Alpha and Beta on March 3.",
            ),
            (
                "2025-03-05",
                "day",
                "event",
                "March 5",
                "b",
                "B",
                "b:1",
                "The regulator approved the merger of Alpha and Beta on March 5.",
            ),
            (
                "2025-03",
                "month",
                "event",
                "March",
                "c",
                "C",
                "c:1",
                "The regulator approved the merger of Alpha and Beta in March.",
            ),
            (
                "2025-03-09",
                "day",
                "event",
                "March 9",
                "d",
                "A",
                "d:1",
                "The regulator approved the merger of Alpha and Beta on March 9.",
            ),
            (
                "2024-06",
                "month",
                "event",
                "June 2024",
                "e",
                "E",
                "e:1",
                "Gamma opened a new factory in Ohio in June 2024.",
            ),
        ]
    )
    out = date_conflicts(tl, sents)
    pairs = {tuple(sorted((r.source_a, r.source_b))) for r in out.itertuples()}
    assert ("A", "B") in pairs
    assert not any("C" in p for p in pairs)  # month precision agrees with both days
    assert not any("E" in p for p in pairs)  # different event
    assert all(r.source_a != r.source_b for r in out.itertuples())


def test_date_conflicts_from_claim_evidence():
    tl, sents = _tl(
        [
            ("2025-07", "month", "event", "July", "a", "A", "a:1", "Shipments began in July."),
            ("2025-09", "month", "event", "September", "b", "B", "b:1", "Deliveries started in September."),
        ]
    )
    ev = pd.DataFrame(
        {"claim_id": ["C001", "C001"], "sentence_id": ["a:1", "b:1"], "stance": ["supports"] * 2}
    )
    out = date_conflicts(tl, sents, ev)
    assert out[["event", "basis", "date_a", "date_b"]].values.tolist() == [
        ["C001", "claim", "2025-07", "2025-09"]
    ]
