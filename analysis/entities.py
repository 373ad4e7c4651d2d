"""Named entities per sentence (with clause-level tone) and the per-source entity table.

Per sentence (cached with the article): spaCy NER mentions of organisations, people, products and works,
cleaned of obvious noise, each with the tone of the clause that holds it.
Per corpus (cheap): alias merging, corpus-level noise rules, majority-vote labels and per-source counts.

Noise rules (all generic; company-specific spellings belong in aliases.toml):
  per sentence  - only ORG, PERSON, PRODUCT, WORK_OF_ART;
                - a mention is cut at an inner possessive ("Meta's Chief AI Officer" -> "Meta"), split at
                  commas, "and"/"or", slashes, dashes and quotes ("Facebook and Instagram" -> two);
                - edge punctuation, determiners, conjunctions, footnote markers and possessives are trimmed;
                - dropped: no letters / one letter, all-lowercase text, generic abbreviations ("AI", "CEO"),
                  dates (month/day/quarter words and numbers), URLs and e-mail addresses, and a multi-word
                  lead-in label that opens the sentence and ends at a colon ("Autonomy Maintained: ...").
  per corpus    - only body/list_item sentences (headings, citations and boilerplate are dropped);
                - hyphen compounds whose parts are all entities seen on their own are split ("A-B");
                - names whose words the corpus also writes in lower case are common phrases, not names
                  ("Social Media" when the text also says "social media");
                - labels by corpus-wide weighted majority vote; GPE/NORP tags of the same name vote too, and a
                  name whose vote is a place or nationality is dropped;
                - a lone surname merges into the one full name that ends with it ("Wang" -> "Alexandr Wang");
                - names tagged somewhere are also counted where NER missed them in another sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.cleaning import wire_dateline_end
from analysis.names import Aliases, load_aliases, name_key
from analysis.schema import columns

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

LABELS = ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")
# Also kept per sentence, as votes only: the small model often calls a company a place or a nationality
# ("Nvidia" GPE, "Rivian" NORP). A name enters the table only when its corpus-wide vote is one of LABELS.
VOTE_LABELS = ("GPE", "NORP")
COUNTED_KINDS = ("body", "list_item")
# Fields of one stored mention (entity_mentions), and the columns of the corpus-level mentions table.
MENTION_FIELDS = ("text", "label", "start_char", "end_char", "sentiment")
MENTION_COLUMNS = ("article_id", "source", "sentence_id", "position", *MENTION_FIELDS)
DEFAULT_DEV_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "entities_dev.csv"

# Abbreviations and role words NER often tags as organisations but that name no one in particular.
_GENERIC = frozenset(
    "ai agi genai ml llm llms api apis gpu gpus cpu ceo cto cfo coo cmo ipo ev evs ar vr xr ui ux app apps "
    "tv pc faq qa rd ma esg saas b2b b2c kpi roi gdp cpi the inc corp ltd".split()
)
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday q1 q2 q3 q4 "
    "h1 h2 fy quarter spring summer autumn fall winter today yesterday".split()
)
# Separators inside one NER span that join two names rather than belong to one.
_SPLIT_TEXT = {",", "and", "or", "&"}
_HARD_SPLIT = frozenset([";", "/", "–", "—", "“", "”", '"', "«", "»", "(", ")", "[", "]", "|"]) | frozenset(
    ["vs", "vs.", "versus", "with", "via"]
)
_TRIM_POS = {"PUNCT", "DET", "CCONJ", "ADP", "PART", "SPACE", "SYM"}
_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079*†‡.,;:]+$")
_URL = re.compile(r"(https?://|www\.|@|\w/\w)", re.IGNORECASE)
_POSS_TEXT = {"'s", "’s", "'", "’"}

# Clause boundaries for the tone of a mention: a verb heading one of these relations starts its own clause.
_CLAUSE_DEPS = {"ROOT", "conj", "advcl", "ccomp", "relcl", "parataxis", "csubj", "csubjpass"}
# Sister clauses cut out of a clause's subtree so that "X is praised, but Y faces a lawsuit" splits.
_SISTER_DEPS = {"conj", "advcl", "parataxis"}


def _score_tokens(tokens: Sequence[Token]) -> float:
    """Tone of a token run via analysis.tone (imported lazily: tone is an independent module)."""
    from analysis.tone import score_tokens

    return float(score_tokens(tokens).score)


def _is_clause_head(tok: Token) -> bool:
    return tok.dep_ in _CLAUSE_DEPS and tok.pos_ in ("VERB", "AUX")


def clause_tokens(root: Token, sent: Span) -> list[Token]:
    """Tokens of the clause holding ``root``: nearest verbal clause head's subtree minus sister clauses."""
    head = root
    # Walk up to the nearest clause head; the sentence root ends the walk in any case.
    while not _is_clause_head(head) and head.head.i != head.i and sent.start <= head.head.i < sent.end:
        head = head.head
    if head.dep_ == "ROOT" and not any(c.dep_ in _SISTER_DEPS for c in head.children):
        return list(sent)
    lo, hi = max(head.left_edge.i, sent.start), min(head.right_edge.i, sent.end - 1)
    cut = [
        (c.left_edge.i, c.right_edge.i)
        for c in head.children
        if c.dep_ in _SISTER_DEPS and c.pos_ in ("VERB", "AUX")
    ]
    doc = sent.doc
    return [doc[i] for i in range(lo, hi + 1) if not any(a <= i <= b for a, b in cut)]


def _pieces(ent: Span) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the names inside one NER span (cut at possessives, split at joins)."""
    toks = list(ent)
    # An inner possessive makes the rest a title or descriptor of the owner: keep the owner only.
    for k, t in enumerate(toks[:-1]):
        if t.tag_ == "POS" or t.text in _POSS_TEXT:
            toks = toks[:k]
            break
    end = toks[-1].i if toks else ent.start
    pieces: list[list[Token]] = [[]]
    for t in toks:
        if t.lower_ in _HARD_SPLIT:
            pieces.append([])
        elif (
            (t.lower_ in _SPLIT_TEXT or t.dep_ == "cc")
            and t.text != "&"
            and not any(t.i < p.head.i <= end for p in pieces[-1])
        ):
            # Split "Facebook and Instagram", but not "Food and Drug Administration": there the words
            # before the conjunction modify a head after it.
            pieces.append([])
        else:
            pieces[-1].append(t)
    out = []
    for piece in pieces:
        while piece and (piece[0].pos_ in _TRIM_POS or piece[0].lower_ in _SPLIT_TEXT | _HARD_SPLIT):
            piece = piece[1:]
        while piece and (
            piece[-1].pos_ in _TRIM_POS or piece[-1].tag_ == "POS" or piece[-1].text in _POSS_TEXT
        ):
            # Keep a closing bracket or a trailing period that belongs to the name ("Inc.", "U.S.").
            if piece[-1].text == "." and len(piece) > 1 and piece[-2].whitespace_ == "":
                break
            piece = piece[:-1]
        if piece:
            out.append((piece[0].i, piece[-1].i + 1))
    return out


def _noise_reason(text: str) -> str | None:
    """Why a (trimmed) mention text is not a name, or None when it may be one."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return "no letters" if not letters else "single character"
    if not any(c.isupper() for c in letters):
        return "lowercase"
    if _URL.search(text):
        return "url"
    key = name_key(text)
    if key in _GENERIC or not key:
        return "generic"
    words = [w.strip(".,").lower() for w in text.split()]
    if all(w in _DATE_WORDS or w.isdigit() or re.fullmatch(r"\d+(st|nd|rd|th)?|'?\d\d", w) for w in words):
        return "date"
    return None


def entity_mentions(sent: Span) -> list[dict[str, Any]]:
    """Cleaned ORG/PERSON/PRODUCT/WORK_OF_ART mentions of one sentence with the tone of their clause."""
    base = sent.start_char
    doc = sent.doc
    first_word = next((t.i for t in sent if not (t.is_punct or t.is_space)), sent.start)
    # A wire dateline's city and agency ("PRAGUE, Feb 5 (Meridian Wire) - ") are not in the story.
    skip = base + wire_dateline_end(sent.text)
    clause_scores: dict[tuple[int, int], float] = {}
    out: list[dict[str, Any]] = []
    for ent in sent.ents:
        if (ent.label_ not in LABELS and ent.label_ not in VOTE_LABELS) or ent.start_char < skip:
            continue
        for start, end in _pieces(ent):
            span = doc[start:end]
            text = span.text
            stripped = _FOOTNOTE.sub("", text) if not re.search(r"\b[A-Z]\.$", text) else text
            # A trailing period stays only on abbreviations ("Inc.", "Co."), not on a sentence end.
            if stripped.endswith(".") and not re.search(r"\b(inc|co|corp|ltd|jr|sr|st)\.$", stripped, re.I):
                stripped = stripped.rstrip(".")
            if not stripped or _noise_reason(stripped):
                continue
            # A multi-word heading-like label opening the sentence ("Autonomy Maintained: ...").
            if start == first_word and end - start > 1 and end < sent.end and doc[end].text == ":":
                continue
            tokens = clause_tokens(span.root, sent)
            key = (tokens[0].i, tokens[-1].i) if tokens else (sent.start, sent.end)
            if key not in clause_scores:
                clause_scores[key] = round(_score_tokens(tokens), 4) if tokens else 0.0
            s = span.start_char - base
            out.append(
                {
                    "text": stripped,
                    "label": ent.label_,
                    "start_char": s,
                    "end_char": s + len(stripped),
                    "sentiment": clause_scores[key],
                }
            )
    return out


# ---------------------------------------------------------------------------------------------- corpus level


# Words for the common-phrase check; apostrophes and hyphens stay inside words.
_WORD = re.compile(r"[^\W_][\w'’-]*")


def _word_counts(joined: str) -> tuple[Counter, Counter]:
    """Case-sensitive counts of words and adjacent word pairs (lower-case forms: common-phrase evidence)."""
    # One regex pass and C-level Counter updates: this runs over the whole corpus.
    words = _WORD.findall(joined)
    return Counter(words), Counter(zip(words, words[1:], strict=False))


def _split_hyphen(text: str, known: set[str]) -> list[tuple[int, str]]:
    """Parts (offset, text) of a hyphen compound when every part is a name seen on its own; else the whole."""
    parts = [(m.start(), m.group()) for m in re.finditer(r"[^-‐‑]+", text)]
    if len(parts) > 1 and all(name_key(p) in known for _, p in parts):
        return [(o, p.strip()) for o, p in parts]
    return [(0, text)]


_NEXT_CAP = re.compile(r"[ \t]+[A-Z]")


def _untagged_mentions(
    body: pd.DataFrame, joined: str, tagged: pd.DataFrame, kept: pd.DataFrame
) -> pd.DataFrame:
    """Occurrences of names NER tagged elsewhere in the corpus but missed in a sentence (it often does).

    Case-sensitive whole-word matches of spellings that were tagged at least once; the clause is not known
    here (no parse at corpus level), so the mention takes the sentence's tone. ``joined`` is the body texts
    joined by newlines (one regex scan for the corpus instead of one per sentence).
    """
    surfaces: dict[str, str] = {}
    for text, key in zip(kept["text"].tolist(), kept["key"].tolist(), strict=True):
        if len(text) >= 3 and text[0].isupper() and "\n" not in text:
            surfaces.setdefault(text, key)
    if not surfaces or body.empty:
        return kept.iloc[0:0]
    pattern = re.compile(
        r"(?<![\w&.-])(?:"
        + "|".join(re.escape(t) for t in sorted(surfaces, key=len, reverse=True))
        + r")(?![\w&-]|\.\w)"
    )
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for sid, a, b in zip(
        tagged["sentence_id"].tolist(),
        tagged["start_char"].tolist(),
        tagged["end_char"].tolist(),
        strict=True,
    ):
        spans[sid].append((int(a), int(b)))
    texts = body["text"].astype(str).tolist()
    starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    sids = body["sentence_id"].tolist()
    rows = []
    for hit in pattern.finditer(joined):
        k = bisect_right(starts, hit.start()) - 1
        a, b = hit.start() - starts[k], hit.end() - starts[k]
        text = texts[k]
        # Overlaps a tagged mention, or is the first word of a longer capitalised name.
        if any(a < y and x < b for x, y in spans.get(sids[k], ())) or _NEXT_CAP.match(text, b):
            continue
        rows.append((k, hit.group(), a, b))
    if not rows:
        return kept.iloc[0:0]
    idx = [r[0] for r in rows]
    sub = body.iloc[idx]

    def col(name: str, default: Any) -> list:
        return sub[name].tolist() if name in sub else [default] * len(sub)

    found = pd.DataFrame(
        {
            "article_id": col("article_id", None),
            "source": col("source", None),
            "sentence_id": col("sentence_id", None),
            "position": col("position", None),
            "text": [r[1] for r in rows],
            "label": "",
            "start_char": [r[2] for r in rows],
            "end_char": [r[3] for r in rows],
            "sentiment": [float(x or 0.0) for x in col("sentiment", 0.0)],
            "key": [surfaces[r[1]] for r in rows],
        }
    )
    return found.reindex(columns=kept.columns)


def resolve_mentions(
    sentences: pd.DataFrame, entity_mentions: pd.DataFrame, aliases: Aliases | None = None
) -> pd.DataFrame:
    """Counted-kind mentions with canonical ``entity`` and corpus-majority ``label``, corpus noise removed."""
    aliases = aliases or Aliases()
    cols = [*MENTION_COLUMNS, "entity", "key"]
    if entity_mentions is None or entity_mentions.empty:
        return pd.DataFrame(columns=cols)
    kinds = sentences.set_index("sentence_id")["kind"]
    m = entity_mentions.copy()
    m["kind"] = m["sentence_id"].map(kinds)
    m = m[m["kind"].isin(COUNTED_KINDS) & m["label"].isin(LABELS + VOTE_LABELS)]
    if m.empty:
        return pd.DataFrame(columns=cols)

    resolved: dict[str, str] = {}
    keys: dict[str, str] = {}

    def key_of(text: str) -> str:
        # Mentions repeat a handful of spellings; resolve each spelling once.
        if text not in keys:
            resolved[text] = aliases.resolve(text)
            keys[text] = name_key(resolved[text])
        return keys[text]

    texts = m["text"].astype(str).tolist()
    known = {key_of(t) for t in texts}
    starts = m["start_char"].astype(int).tolist()
    rows_idx, new_text, new_start = [], [], []
    for k, (text, start) in enumerate(zip(texts, starts, strict=True)):
        parts = _split_hyphen(text, known) if "-" in text else [(0, text)]
        for off, part in parts:
            rows_idx.append(k)
            new_text.append(part)
            new_start.append(start + off)
    m = m.iloc[rows_idx].reset_index(drop=True)
    m["text"] = new_text
    m["start_char"] = new_start
    m["end_char"] = [a + len(t) for a, t in zip(new_start, new_text, strict=True)]
    m["key"] = [key_of(t) for t in new_text]
    m["resolved"] = [resolved[t] for t in new_text]
    m = m[m["key"] != ""]

    # Common phrases: the corpus also writes all of the name's words in lower case.
    body = sentences[sentences["kind"].isin(COUNTED_KINDS)]
    joined = "\n".join(body["text"].astype(str).tolist())
    uni, bi = _word_counts(joined)
    alias_keys = set(aliases.canonical)
    per_key = m.groupby("key")["resolved"].agg(list)
    drop = set()
    for key, names in per_key.items():
        if key in alias_keys:
            continue
        words = _WORD.findall(Counter(names).most_common(1)[0][0].lower())
        if len(words) > 1:
            if all(bi[(a, b)] > 0 for a, b in zip(words, words[1:], strict=False)):
                drop.add(key)
        elif words and uni[words[0]] > len(names):
            drop.add(key)
    m = m[~m["key"].isin(drop)]
    if m.empty:
        return pd.DataFrame(columns=cols)

    # Label by weighted majority: a one-word PERSON that is nobody's surname is weak evidence, since
    # news introduces people by full name; NER often calls one-word brands and labs people.
    person_words = {
        name_key(t.split()[-1])
        for t, lab in zip(m["text"].tolist(), m["label"].tolist(), strict=True)
        if lab == "PERSON" and len(t.split()) > 1
    }
    votes: dict[str, Counter] = defaultdict(Counter)
    for key, text, lab in zip(m["key"].tolist(), m["text"].tolist(), m["label"].tolist(), strict=True):
        weight = 0.5 if lab == "PERSON" and len(text.split()) == 1 and key not in person_words else 1.0
        votes[key][lab] += weight
    label_of = {
        k: max(v.items(), key=lambda kv: (kv[1], kv[0] in LABELS, kv[0] == "ORG"))[0]
        for k, v in votes.items()
    }
    m = m[[label_of[k] in LABELS for k in m["key"].tolist()]]
    if m.empty:
        return pd.DataFrame(columns=cols)

    # Display name: the alias canonical name, else the most frequent spelling.
    display = {}
    for key, names in m.groupby("key")["resolved"].agg(list).items():
        display[key] = aliases.canonical.get(key) or Counter(names).most_common(1)[0][0]

    m = pd.concat([m, _untagged_mentions(body, joined, entity_mentions, m)], ignore_index=True)

    # A lone surname joins the single full PERSON name that ends with it.
    full_by_last: dict[str, set[str]] = defaultdict(set)
    for key, name in display.items():
        if label_of[key] == "PERSON" and len(name.split()) > 1:
            full_by_last[name_key(name.split()[-1])].add(key)
    merge = {
        k: next(iter(full_by_last[k]))
        for k in display
        if label_of[k] == "PERSON" and len(display[k].split()) == 1 and len(full_by_last.get(k, ())) == 1
    }
    m["key"] = [merge.get(k, k) for k in m["key"].tolist()]
    m["entity"] = [display[k] for k in m["key"].tolist()]
    m["label"] = [label_of[k] for k in m["key"].tolist()]
    m["start_char"] = m["start_char"].astype(int)
    m["end_char"] = m["end_char"].astype(int)
    return m[cols].sort_values(["sentence_id", "start_char"], kind="stable").reset_index(drop=True)


def build_entities(
    sentences: pd.DataFrame, entity_mentions: pd.DataFrame, aliases: Aliases | None = None,
    resolved: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-source entity table (schema.TABLES['entities']) over body and list-item sentences.

    ``resolved``: the output of :func:`resolve_mentions` for these inputs, when the caller has it already.
    """
    out_cols = columns("entities")
    m = resolve_mentions(sentences, entity_mentions, aliases) if resolved is None else resolved
    if m.empty:
        return pd.DataFrame(columns=out_cols)
    m = m.assign(sentiment=m["sentiment"].astype(float))
    table = (
        m.groupby(["source", "entity", "label"], sort=False)
        .agg(
            mentions=("text", "size"),
            sentences=("sentence_id", "nunique"),
            mean_sentiment=("sentiment", "mean"),
        )
        .reset_index()
    )
    table["mean_sentiment"] = table["mean_sentiment"].round(4)
    table = table.sort_values(["source", "mentions", "entity"], ascending=[True, False, True])
    return table[out_cols].reset_index(drop=True)


def entity_sentences(
    sentences: pd.DataFrame, entity_mentions: pd.DataFrame, aliases: Aliases | None = None,
    resolved: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Drill-down: one row per entity and sentence, with the spellings used and the clause tone."""
    out_cols = ["source", "entity", "label", "sentence_id", "article_id", "text", "mention", "sentiment"]
    m = resolve_mentions(sentences, entity_mentions, aliases) if resolved is None else resolved
    if m.empty:
        return pd.DataFrame(columns=out_cols)
    texts = sentences.set_index("sentence_id")["text"]
    m = m.assign(sentiment=m["sentiment"].astype(float))
    g = (
        m.groupby(["source", "entity", "label", "sentence_id", "article_id"], sort=False)
        .agg(mention=("text", lambda s: "; ".join(dict.fromkeys(s))), sentiment=("sentiment", "mean"))
        .reset_index()
    )
    g["text"] = g["sentence_id"].map(texts)
    g["sentiment"] = g["sentiment"].round(4)
    return g.sort_values(["source", "entity", "sentence_id"])[out_cols].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ evaluation


def _frames_for(
    docs: Sequence[Span | Any], origins: Sequence[str], mention_fn
) -> tuple[pd.DataFrame, pd.DataFrame]:
    sent_rows, ment_rows = [], []
    for i, (doc, origin) in enumerate(zip(docs, origins, strict=True)):
        sid = f"dev{i}:000"
        sent_rows.append(
            {
                "article_id": f"dev{i}",
                "source": origin,
                "sentence_id": sid,
                "position": 0,
                "kind": "body",
                "text": doc.text,
                "sentiment": 0.0,
            }
        )
        for e in mention_fn(doc[:]):
            ment_rows.append(
                {"article_id": f"dev{i}", "source": origin, "sentence_id": sid, "position": 0, **e}
            )
    ments = pd.DataFrame(ment_rows, columns=list(MENTION_COLUMNS))
    return pd.DataFrame(sent_rows), ments


def _raw_mentions(sent: Span) -> list[dict[str, Any]]:
    """Baseline: spaCy's four labels as tagged, no cleaning (for the evaluation's comparison row)."""
    return [
        {
            "text": e.text,
            "label": e.label_,
            "start_char": e.start_char - sent.start_char,
            "end_char": e.end_char - sent.start_char,
            "sentiment": 0.0,
        }
        for e in sent.ents
        if e.label_ in LABELS
    ]


def evaluate_entities(nlp: Language, dev_path: str | Path | None = None) -> pd.DataFrame:
    """Precision/recall of canonical entity names on tests/data/entities_dev.csv.

    Subsets: seeds / other stories, and the dev split (used while developing) / the held-out test split.
    The whole file is analysed as one corpus, as the pipeline would (corpus-level rules see every sentence);
    the raw_spacy rows are the baseline: spaCy's four labels as tagged, with alias merging only.
    """
    dev = pd.read_csv(dev_path or DEFAULT_DEV_PATH, dtype=str, keep_default_na=False)
    aliases = load_aliases()
    origins = ["seeds" if o.startswith("seed") else "other" for o in dev["origin"]]
    splits = dev["split"].tolist() if "split" in dev else ["dev"] * len(dev)
    docs = list(nlp.pipe(dev["sentence"].tolist()))
    gold = [{name_key(aliases.resolve(x)) for x in exp.split("|") if x.strip()} for exp in dev["expected"]]
    rows = []
    for method, fn in (("entities", entity_mentions), ("raw_spacy", _raw_mentions)):
        sents, ments = _frames_for(docs, origins, fn)
        if method == "entities":
            res = resolve_mentions(sents, ments, aliases)
        else:
            res = ments.assign(key=[name_key(aliases.resolve(t)) for t in ments["text"]])
        pred_by = res.groupby("sentence_id")["key"].agg(set).to_dict() if not res.empty else {}
        tally: dict[str, Counter] = defaultdict(Counter)
        for i, (g, origin, split) in enumerate(zip(gold, origins, splits, strict=True)):
            p = pred_by.get(f"dev{i}:000", set())
            for group in (origin, f"split={split}", "all"):
                tally[group]["tp"] += len(p & g)
                tally[group]["fp"] += len(p - g)
                tally[group]["fn"] += len(g - p)
                tally[group]["n"] += 1
        for group in ("seeds", "other", *sorted(g for g in tally if g.startswith("split=")), "all"):
            t = tally[group]
            prec = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
            rec = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            rows.append(
                {
                    "metric": f"entities/{method}",
                    "subset": group,
                    "n_sentences": t["n"],
                    "tp": t["tp"],
                    "fp": t["fp"],
                    "fn": t["fn"],
                    "precision": round(prec, 3),
                    "recall": round(rec, 3),
                    "f1": round(f1, 3),
                }
            )
    return pd.DataFrame(rows)


def entity_errors(nlp: Language, dev_path: str | Path | None = None) -> pd.DataFrame:
    """Per-sentence false positives/negatives on the dev set, for improving the method."""
    dev = pd.read_csv(dev_path or DEFAULT_DEV_PATH, dtype=str, keep_default_na=False)
    aliases = load_aliases()
    docs = list(nlp.pipe(dev["sentence"].tolist()))
    sents, ments = _frames_for(docs, list(dev["origin"]), entity_mentions)
    res = resolve_mentions(sents, ments, aliases)
    pred_by = res.groupby("sentence_id")["key"].agg(set).to_dict() if not res.empty else {}
    rows = []
    for i, exp in enumerate(dev["expected"]):
        g = {name_key(aliases.resolve(x)) for x in exp.split("|") if x.strip()}
        p = pred_by.get(f"dev{i}:000", set())
        if p != g:
            rows.append(
                {"sentence": dev["sentence"][i], "false_pos": sorted(p - g), "false_neg": sorted(g - p)}
            )
    return pd.DataFrame(rows)
