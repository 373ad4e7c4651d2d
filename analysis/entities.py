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
                - a lone surname merges into the one full name that ends with it ("Wang" -> "Alexandr Wang").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.names import Aliases, load_aliases, name_key
from analysis.schema import columns

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

LABELS = ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")
COUNTED_KINDS = ("body", "list_item")
DEFAULT_DEV_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "entities_dev.csv"

# Abbreviations and role words NER often tags as organisations but that name no one in particular.
_GENERIC = {
    "ai", "agi", "genai", "ml", "llm", "llms", "api", "apis", "gpu", "gpus", "cpu", "ceo", "cto", "cfo", "coo",
    "cmo", "ipo", "ev", "evs", "ar", "vr", "xr", "ui", "ux", "app", "apps", "tv", "pc", "faq", "qa", "rd",
    "ma", "esg", "saas", "b2b", "b2c", "kpi", "roi", "gdp", "cpi", "ftc", "the", "inc", "corp", "ltd",
}
_DATE_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "q1", "q2", "q3",
    "q4", "h1", "h2", "fy", "quarter", "spring", "summer", "autumn", "fall", "winter", "today", "yesterday",
}
# Separators inside one NER span that join two names rather than belong to one.
_SPLIT_TEXT = {",", ";", "and", "or", "/", "–", "—", "“", "”", '"', "«", "»", "(", ")", "[", "]", "|", "vs",
               "vs.", "versus", "with", "via"}
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
    cut = [(c.left_edge.i, c.right_edge.i) for c in head.children
           if c.dep_ in _SISTER_DEPS and c.pos_ in ("VERB", "AUX")]
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
    pieces: list[list[Token]] = [[]]
    for t in toks:
        if t.lower_ in _SPLIT_TEXT or (t.dep_ == "cc" and t.text != "&"):
            pieces.append([])
        else:
            pieces[-1].append(t)
    out = []
    for piece in pieces:
        while piece and (piece[0].pos_ in _TRIM_POS or piece[0].lower_ in _SPLIT_TEXT) and piece[0].text != "&":
            piece = piece[1:]
        while piece and (piece[-1].pos_ in _TRIM_POS or piece[-1].tag_ == "POS" or piece[-1].text in _POSS_TEXT):
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
    clause_scores: dict[tuple[int, int], float] = {}
    out: list[dict[str, Any]] = []
    for ent in sent.ents:
        if ent.label_ not in LABELS:
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
            out.append({"text": stripped, "label": ent.label_, "start_char": s,
                        "end_char": s + len(stripped), "sentiment": clause_scores[key]})
    return out


# ---------------------------------------------------------------------------------------------- corpus level

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _lowercase_ngrams(texts: Iterable[str]) -> tuple[Counter, Counter]:
    """Counts of words and adjacent word pairs written entirely in lower case (common-phrase evidence)."""
    uni: Counter = Counter()
    bi: Counter = Counter()
    for text in texts:
        prev = None
        for w in _WORD.findall(text):
            if w.islower():
                uni[w] += 1
                if prev is not None:
                    bi[(prev, w)] += 1
                prev = w
            else:
                prev = None
    return uni, bi


def _split_hyphen(text: str, known: set[str]) -> list[tuple[int, str]]:
    """Parts (offset, text) of a hyphen compound when every part is a name seen on its own; else the whole."""
    parts = [(m.start(), m.group()) for m in re.finditer(r"[^-‐‑]+", text)]
    if len(parts) > 1 and all(name_key(p) in known for _, p in parts):
        return [(o, p.strip()) for o, p in parts]
    return [(0, text)]


def resolve_mentions(sentences: pd.DataFrame, entity_mentions: pd.DataFrame,
                     aliases: Aliases | None = None) -> pd.DataFrame:
    """Counted-kind mentions with canonical ``entity`` and corpus-majority ``label`` (corpus noise removed)."""
    aliases = aliases or Aliases()
    cols = ["article_id", "source", "sentence_id", "position", "text", "label", "start_char", "end_char",
            "sentiment", "entity", "key"]
    if entity_mentions is None or entity_mentions.empty:
        return pd.DataFrame(columns=cols)
    kinds = sentences.set_index("sentence_id")["kind"]
    m = entity_mentions.copy()
    m["kind"] = m["sentence_id"].map(kinds)
    m = m[m["kind"].isin(COUNTED_KINDS) & m["label"].isin(LABELS)]
    if m.empty:
        return pd.DataFrame(columns=cols)

    m["key"] = [name_key(aliases.resolve(t)) for t in m["text"]]
    known = set(m["key"])
    rows = []
    for rec in m.to_dict("records"):
        for off, part in _split_hyphen(rec["text"], known) if "-" in rec["text"] else [(0, rec["text"])]:
            r = dict(rec, text=part, start_char=int(rec["start_char"]) + off)
            r["end_char"] = r["start_char"] + len(part)
            rows.append(r)
    m = pd.DataFrame(rows)
    m["resolved"] = [aliases.resolve(t) for t in m["text"]]
    m["key"] = [name_key(t) for t in m["resolved"]]
    m = m[m["key"] != ""]

    # Common phrases: the corpus also writes all of the name's words in lower case.
    body = sentences.loc[sentences["kind"].isin(COUNTED_KINDS), "text"].astype(str)
    uni, bi = _lowercase_ngrams(body)
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
    person_words = {name_key(t.split()[-1]) for t, lab in zip(m["text"], m["label"], strict=True)
                    if lab == "PERSON" and len(t.split()) > 1}
    votes: dict[str, Counter] = defaultdict(Counter)
    for key, text, lab in zip(m["key"], m["text"], m["label"], strict=True):
        weight = 0.5 if lab == "PERSON" and len(text.split()) == 1 and key not in person_words else 1.0
        votes[key][lab] += weight
    label_of = {k: max(v.items(), key=lambda kv: (kv[1], kv[0] == "ORG"))[0] for k, v in votes.items()}

    # Display name: the alias canonical name, else the most frequent spelling.
    display = {}
    for key, names in m.groupby("key")["resolved"].agg(list).items():
        display[key] = aliases.canonical.get(key) or Counter(names).most_common(1)[0][0]

    # A lone surname joins the single full PERSON name that ends with it.
    full_by_last: dict[str, set[str]] = defaultdict(set)
    for key, name in display.items():
        if label_of[key] == "PERSON" and len(name.split()) > 1:
            full_by_last[name_key(name.split()[-1])].add(key)
    merge = {k: next(iter(full_by_last[k])) for k in display
             if label_of[k] == "PERSON" and len(display[k].split()) == 1 and len(full_by_last.get(k, ())) == 1}
    m["key"] = [merge.get(k, k) for k in m["key"]]
    m["entity"] = [display[k] for k in m["key"]]
    m["label"] = [label_of[k] for k in m["key"]]
    return m[cols].reset_index(drop=True)


def build_entities(sentences: pd.DataFrame, entity_mentions: pd.DataFrame,
                   aliases: Aliases | None = None) -> pd.DataFrame:
    """Per-source entity table (schema.TABLES['entities']) over body and list-item sentences."""
    out_cols = columns("entities")
    m = resolve_mentions(sentences, entity_mentions, aliases)
    if m.empty:
        return pd.DataFrame(columns=out_cols)
    m["sentiment"] = m["sentiment"].astype(float)
    table = (m.groupby(["source", "entity", "label"], sort=False)
             .agg(mentions=("text", "size"), sentences=("sentence_id", "nunique"),
                  mean_sentiment=("sentiment", "mean"))
             .reset_index())
    table["mean_sentiment"] = table["mean_sentiment"].round(4)
    table = table.sort_values(["source", "mentions", "entity"], ascending=[True, False, True])
    return table[out_cols].reset_index(drop=True)


def entity_sentences(sentences: pd.DataFrame, entity_mentions: pd.DataFrame,
                     aliases: Aliases | None = None) -> pd.DataFrame:
    """Drill-down: one row per entity and sentence, with the spellings used and the clause tone."""
    out_cols = ["source", "entity", "label", "sentence_id", "article_id", "text", "mention", "sentiment"]
    m = resolve_mentions(sentences, entity_mentions, aliases)
    if m.empty:
        return pd.DataFrame(columns=out_cols)
    texts = sentences.set_index("sentence_id")["text"]
    m["sentiment"] = m["sentiment"].astype(float)
    g = (m.groupby(["source", "entity", "label", "sentence_id", "article_id"], sort=False)
         .agg(mention=("text", lambda s: "; ".join(dict.fromkeys(s))), sentiment=("sentiment", "mean"))
         .reset_index())
    g["text"] = g["sentence_id"].map(texts)
    g["sentiment"] = g["sentiment"].round(4)
    return g.sort_values(["source", "entity", "sentence_id"])[out_cols].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ evaluation

def _frames_for(docs: Sequence[Span | Any], origins: Sequence[str],
                mention_fn) -> tuple[pd.DataFrame, pd.DataFrame]:
    sent_rows, ment_rows = [], []
    for i, (doc, origin) in enumerate(zip(docs, origins, strict=True)):
        sid = f"dev{i}:000"
        sent_rows.append({"article_id": f"dev{i}", "source": origin, "sentence_id": sid, "position": 0,
                          "kind": "body", "text": doc.text, "sentiment": 0.0})
        for e in mention_fn(doc[:]):
            ment_rows.append({"article_id": f"dev{i}", "source": origin, "sentence_id": sid, "position": 0, **e})
    ments = pd.DataFrame(ment_rows, columns=["article_id", "source", "sentence_id", "position", "text", "label",
                                             "start_char", "end_char", "sentiment"])
    return pd.DataFrame(sent_rows), ments


def _raw_mentions(sent: Span) -> list[dict[str, Any]]:
    """Baseline: spaCy's four labels as tagged, no cleaning (for the evaluation's comparison row)."""
    return [{"text": e.text, "label": e.label_, "start_char": e.start_char - sent.start_char,
             "end_char": e.end_char - sent.start_char, "sentiment": 0.0} for e in sent.ents if e.label_ in LABELS]


def evaluate_entities(nlp: Language, dev_path: str | Path | None = None) -> pd.DataFrame:
    """Precision/recall of canonical entity names on tests/data/entities_dev.csv, seeds vs other stories."""
    dev = pd.read_csv(dev_path or DEFAULT_DEV_PATH, dtype=str, keep_default_na=False)
    aliases = load_aliases()
    origins = ["seeds" if o.startswith("seed") else "other" for o in dev["origin"]]
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
        for i, (g, origin) in enumerate(zip(gold, origins, strict=True)):
            p = pred_by.get(f"dev{i}:000", set())
            for group in (origin, "all"):
                tally[group]["tp"] += len(p & g)
                tally[group]["fp"] += len(p - g)
                tally[group]["fn"] += len(g - p)
                tally[group]["n"] += 1
        for group in ("seeds", "other", "all"):
            t = tally[group]
            prec = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
            rec = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            rows.append({"metric": f"entities/{method}", "subset": group, "n_sentences": t["n"], "tp": t["tp"],
                         "fp": t["fp"], "fn": t["fn"], "precision": round(prec, 3), "recall": round(rec, 3),
                         "f1": round(f1, 3)})
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
            rows.append({"sentence": dev["sentence"][i], "false_pos": sorted(p - g), "false_neg": sorted(g - p)})
    return pd.DataFrame(rows)
