"""Timeline: publication dates and dated mentions per article, claim first appearances, date conflicts.

Corpus-level and cheap: the per-sentence work (finding mentions) is done by analysis.dates.date_mentions
during parsing; here each distinct (date_text, anchor, tense) is resolved once (resolve_date is cached).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pandas as pd

from analysis.dates import classify_date_text, resolve_date
from analysis.schema import columns

TIMELINE_COLUMNS = columns("timeline")
FIRST_SEEN_COLUMNS = ["claim_id", "text", "first_date", "first_source", "first_article_id", "n_sources"]
CONFLICT_COLUMNS = [
    "event",
    "basis",
    "source_a",
    "date_a",
    "source_b",
    "date_b",
    "text_a",
    "text_b",
    "sentence_id_a",
    "sentence_id_b",
]

_EVENT_KINDS = {"body": "event", "list_item": "event", "citation": "citation"}


def _anchor(published: object) -> dt.date | None:
    """A full publication day, or None: only a known day may anchor relative dates."""
    if not isinstance(published, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published.strip()):
        return None
    try:
        return dt.date.fromisoformat(published.strip())
    except ValueError:
        return None


def _sort(df: pd.DataFrame) -> pd.DataFrame:
    """Date order (ISO strings sort correctly across precisions), unresolved last, then source."""
    key = df["date"].eq("")
    out = df.assign(_blank=key).sort_values(
        ["_blank", "date", "source", "article_id", "sentence_id"], kind="mergesort"
    )
    return out.drop(columns="_blank").reset_index(drop=True)


def build_timeline(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    date_mentions: pd.DataFrame,
    claims: pd.DataFrame | None = None,
    claim_evidence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Timeline table (schema 'timeline'): one 'published' row per dated article plus every dated mention.

    Mentions in body/list_item sentences are 'event', in reference lists 'citation'; headings and
    boilerplate are skipped. Relative mentions resolve against the article's publication date when known,
    else stay unresolved. claims/claim_evidence are accepted for the pipeline's uniform call; per-claim
    first appearances come from claim_first_seen().
    """
    rows: list[dict] = []
    anchors: dict[str, dt.date | None] = {}
    for art in articles.itertuples(index=False):
        published = getattr(art, "published", "")
        anchors[art.article_id] = _anchor(published)
        if isinstance(published, str) and published.strip():
            p = published.strip()
            precision = {10: "day", 7: "month", 4: "year"}.get(len(p), "day")
            rows.append(
                {
                    "date": p,
                    "precision": precision,
                    "kind": "published",
                    "date_text": "",
                    "article_id": art.article_id,
                    "source": art.source,
                    "sentence_id": "",
                    "text": getattr(art, "title", "") or "",
                }
            )
    if len(date_mentions) and len(sentences):
        sent_cols = ["sentence_id", "kind", "text"]
        merged = date_mentions.drop(
            columns=[c for c in ("kind", "text") if c in date_mentions.columns]
        ).merge(sentences[sent_cols], on="sentence_id", how="inner", validate="many_to_one")
        has_tense = "tense" in merged.columns
        for m in merged.itertuples(index=False):
            kind = _EVENT_KINDS.get(m.kind)
            if kind is None or classify_date_text(m.date_text) != "point":
                continue
            tense = (getattr(m, "tense", "") or None) if has_tense else None
            if not isinstance(tense, str):
                tense = None
            r = resolve_date(m.date_text, anchors.get(m.article_id), tense)
            rows.append(
                {
                    "date": r.date,
                    "precision": r.precision,
                    "kind": kind,
                    "date_text": m.date_text,
                    "article_id": m.article_id,
                    "source": m.source,
                    "sentence_id": m.sentence_id,
                    "text": m.text,
                }
            )
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    return _sort(out)[TIMELINE_COLUMNS] if len(out) else out


def claim_first_seen(
    claims: pd.DataFrame, claim_evidence: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    """When each claim first appeared and who had it first (ties: all sources of that day, ';'-joined).

    Counts evidence that asserts or reports the claim (stance supports/hedged; contradictions are not the
    claim appearing). first_* stay blank when none of its articles has a known publication date.
    """
    if claims is None or not len(claims):
        return pd.DataFrame(columns=FIRST_SEEN_COLUMNS)
    ev = claim_evidence
    if "stance" in ev.columns:
        ev = ev[ev["stance"].isin(["supports", "hedged"])]
    pub = articles.set_index("article_id")["published"].map(lambda p: p.strip() if isinstance(p, str) else "")
    ev = ev.assign(published=ev["article_id"].map(pub).fillna(""))
    by_claim = {cid: g for cid, g in ev.groupby("claim_id", sort=False)}
    rows = []
    for c in claims.itertuples(index=False):
        g = by_claim.get(c.claim_id)
        if g is None or not len(g):
            rows.append([c.claim_id, c.text, "", "", "", 0])
            continue
        n_sources = g["source"].nunique()
        dated = g[g["published"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")]
        if not len(dated):
            rows.append([c.claim_id, c.text, "", "", "", n_sources])
            continue
        first = dated["published"].min()
        top = dated[dated["published"] == first]
        rows.append(
            [
                c.claim_id,
                c.text,
                first,
                ";".join(sorted(top["source"].unique())),
                ";".join(sorted(top["article_id"].unique())),
                n_sources,
            ]
        )
    return pd.DataFrame(rows, columns=FIRST_SEEN_COLUMNS)


def _compatible(a: str, b: str) -> bool:
    """Two ISO dates agree when one is a prefix of the other ('2025' vs '2025-08-20')."""
    return a.startswith(b) or b.startswith(a)


# Words that carry no event identity: stop words, date words, reporting verbs, numbers.
_NON_EVENT = frozenset(
    """
a an the and or but of to in on at by for from with as is be been was were are it its this that these
those than then there their they he she his her we our you your i not no have has had do does did will
would could should may might can shall also said say says tell told report reported according which who
whom whose what when where while after before since until during over under about into onto up out
last next year years month months week weeks day days today yesterday tomorrow early late mid earlier
later quarter first second third fourth half season summer winter spring autumn fall january february
march april may june july august september october november december monday tuesday wednesday thursday
friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec ago new more most some any all
one two three four five six seven eight nine ten percent company firm
""".split()
)


def _event_terms(lemmas: str) -> frozenset[str]:
    return frozenset(
        w for w in lemmas.split() if w not in _NON_EVENT and not any(ch.isdigit() for ch in w) and len(w) > 2
    )


def date_conflicts(
    timeline: pd.DataFrame,
    sentences: pd.DataFrame,
    claim_evidence: pd.DataFrame | None = None,
    min_shared: int = 3,
    min_jaccard: float = 0.4,
) -> pd.DataFrame:
    """Pairs of sources that give incompatible dates for the same event.

    Same event = sentences that are evidence for the same claim (when claim_evidence is given), or event
    sentences from different sources that share >= min_shared content lemmas (dates, numbers, stop and
    reporting words excluded) with Jaccard >= min_jaccard. Candidate pairs come from an inverted index on
    content lemmas, so the work grows with the pairs that share words, not with n^2. Dates conflict when
    no date of one sentence is compatible (prefix) with any date of the other.
    """
    ev = timeline[(timeline["kind"] == "event") & (timeline["date"] != "")]
    if not len(ev):
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    # Plain dicts, not pandas lookups: emit runs for every candidate pair (29k at 1,000 articles), and
    # a DataFrame.at lookup costs ~40 µs against ~0.1 µs for a dict.
    dates = {sid: tuple(sorted(set(ds))) for sid, ds in ev.groupby("sentence_id")["date"]}
    first = ev.drop_duplicates("sentence_id")
    source_of = dict(zip(first["sentence_id"], first["source"], strict=True))
    text_of = dict(zip(first["sentence_id"], first["text"], strict=True))
    rows: list[list] = []
    seen: set[tuple[str, str]] = set()

    def emit(sa: str, sb: str, event: str, basis: str) -> None:
        key = (min(sa, sb), max(sa, sb))
        if key in seen:
            return
        if source_of[sa] == source_of[sb]:
            return
        da, db = dates[sa], dates[sb]
        if any(_compatible(x, y) for x in da for y in db):
            return
        seen.add(key)
        a, b = (sa, sb) if source_of[sa] <= source_of[sb] else (sb, sa)
        rows.append([event, basis, source_of[a], ";".join(dates[a]), source_of[b], ";".join(dates[b]),
                     text_of[a], text_of[b], a, b])

    if claim_evidence is not None and len(claim_evidence):
        ce = claim_evidence[claim_evidence["sentence_id"].isin(list(dates))]
        # Contradicting evidence is kept: a source giving another date for the claim is the conflict itself.
        for cid, g in ce.groupby("claim_id", sort=False):
            sids = list(dict.fromkeys(g["sentence_id"]))
            for i, sa in enumerate(sids):
                for sb in sids[i + 1 :]:
                    emit(sa, sb, str(cid), "claim")

    if "lemmas" in sentences.columns:
        lem = sentences.set_index("sentence_id")["lemmas"]
    else:
        lem = sentences.set_index("sentence_id")["text"].str.lower().str.replace(r"[^\w\s]", " ", regex=True)
    lem_of = lem.to_dict()
    terms = {sid: _event_terms(lem_of.get(sid, "") or "") for sid in dates}
    # Terms in very many dated sentences (the story's own names) would pair everything with everything:
    # they still count in the Jaccard test, but only rarer terms propose candidate pairs.
    df_count: dict[str, int] = defaultdict(int)
    for ts in terms.values():
        for w in ts:
            df_count[w] += 1
    cap = min(200, max(25, len(terms) // 3))
    index: dict[str, list[str]] = defaultdict(list)
    for sid, ts in terms.items():
        for w in ts:
            if df_count[w] <= cap:
                index[w].append(sid)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for sids in index.values():
        for i, sa in enumerate(sids):
            for sb in sids[i + 1 :]:
                shared[(sa, sb)] += 1
    for (sa, sb), n in shared.items():
        if n < min_shared:
            continue
        ta, tb = terms[sa], terms[sb]
        common = ta & tb
        if len(common) / max(len(ta | tb), 1) < min_jaccard:
            continue
        emit(sa, sb, "shared: " + ", ".join(sorted(common)[:6]), "shared terms")
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
