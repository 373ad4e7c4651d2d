"""Distinctive wording per source: weighted log-odds with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008), "Fightin' Words": for each source i against all other sources j,

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)          z_w = delta_w / sqrt(var_w)

The prior is the whole corpus: a_w = a0 * (corpus count of w / corpus size), with a0 = PRIOR_SIZE (500)
pseudo-counts. That is weak next to a real corpus (thousands of terms per source), so the data decide,
but it keeps a term one source used twice from looking infinitely distinctive: such rare terms get a large
variance and a small z. Terms are content lemmas (stored column ``lemmas``) and noun phrases (stored column
``noun_phrases`` from :func:`noun_phrases`; adjacent content-lemma pairs when that column is absent).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.schema import columns

if TYPE_CHECKING:
    from spacy.tokens import Span

COUNTED_KINDS = ("body", "list_item")
PRIOR_SIZE = 500.0
MAX_PHRASE_WORDS = 4

try:  # the stop list of the model's language; no parse needed
    from spacy.lang.en.stop_words import STOP_WORDS as _STOP
except ImportError:  # pragma: no cover - spaCy is a hard dependency
    _STOP = frozenset()
# Lemma forms the stop list misses (spaCy lemmatises "'s" and keeps clitics as separate tokens).
_STOP = frozenset(_STOP) | {"'s", "’s", "n't", "n’t", "'", "’", "-", "–", "—", "s"}
_DROP_POS = {"DET", "PRON", "PUNCT", "SPACE", "NUM", "SYM", "PART", "CCONJ", "ADP"}


@lru_cache(maxsize=200_000)
def is_content(lemma: str) -> bool:
    """A lemma worth counting as a term: has a letter, is not a stop word, number or lone character."""
    return (
        len(lemma) > 1
        and lemma not in _STOP
        and any(c.isalpha() for c in lemma)
        and not lemma.replace(",", "").replace(".", "").replace("%", "").isdigit()
    )


def noun_phrases(sent: Span) -> str:
    """'|'-joined lower-case lemma phrases of the sentence's noun chunks (2-4 words, no determiners)."""
    phrases = []
    for chunk in sent.noun_chunks:
        words = [
            t
            for t in chunk
            if t.pos_ not in _DROP_POS
            and t.tag_ != "POS"
            and not t.like_num
            and any(c.isalpha() for c in t.text)
        ]
        # Stop words at the edges ("such", "other", "more") are not part of the phrase's content.
        while words and words[0].is_stop:
            words = words[1:]
        while words and words[-1].is_stop:
            words = words[:-1]
        if len(words) < 2:
            continue  # single nouns are already counted as lemmas
        if len(words) > MAX_PHRASE_WORDS:
            words = words[
                -(MAX_PHRASE_WORDS - 1) :
            ]  # the head and its nearest modifiers recur; long chunks do not
        lemmas = [(t.lemma_.lower().strip() or t.lower_).replace("|", "") for t in words]
        lemmas = [w for w in lemmas if w and w not in _STOP]
        if len(lemmas) >= 2:
            phrases.append(" ".join(lemmas))
    return "|".join(phrases)


def _sentence_terms(lemmas: str, phrases: str | None) -> list[str]:
    seq = lemmas.split()
    terms = [w for w in seq if is_content(w)]
    if phrases is None:
        # No stored noun chunks: adjacent content-lemma pairs approximate them (only recurring ones survive).
        terms += [f"{a} {b}" for a, b in zip(seq, seq[1:], strict=False) if is_content(a) and is_content(b)]
    elif phrases:
        terms += [p for p in phrases.split("|") if p]
    return terms


def _log_odds_arrays(
    y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray, n_i: float, n_j: float, a0: float
) -> tuple[np.ndarray, np.ndarray]:
    delta = np.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - np.log(
        (y_j + alpha) / (n_j + a0 - y_j - alpha)
    )
    var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return delta, delta / np.sqrt(var)


def log_odds(
    counts_i: Mapping[str, float], counts_j: Mapping[str, float], prior: Mapping[str, float]
) -> dict[str, tuple[float, float]]:
    """Weighted log-odds (delta, z) of each term of i or j; ``prior`` holds a_w > 0 and a0 = its sum."""
    terms = sorted(set(counts_i) | set(counts_j))
    missing = [t for t in terms if prior.get(t, 0) <= 0]
    if missing:
        raise ValueError(f"prior needs a positive pseudo-count for every term; missing: {missing[:5]}")
    y_i = np.array([counts_i.get(t, 0) for t in terms], dtype=float)
    y_j = np.array([counts_j.get(t, 0) for t in terms], dtype=float)
    alpha = np.array([prior[t] for t in terms], dtype=float)
    delta, z = _log_odds_arrays(
        y_i,
        y_j,
        alpha,
        float(sum(counts_i.values())),
        float(sum(counts_j.values())),
        float(sum(prior.values())),
    )
    return {t: (float(d), float(s)) for t, d, s in zip(terms, delta, z, strict=True)}


def _count_terms(
    rows: Iterable[tuple[str, str, str, str | None]],
) -> tuple[dict[str, Counter], dict[str, list[tuple[str, list[str]]]]]:
    """Term counts per source, plus each source's (sentence_id, terms) list for finding examples later."""
    counts: dict[str, Counter] = {}
    per_sentence: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for source, sid, lemmas, phrases in rows:
        terms = _sentence_terms(lemmas, phrases)
        counts.setdefault(source, Counter()).update(terms)
        per_sentence[source].append((sid, terms))
    return counts, per_sentence


def _examples(wanted: set[str], sentences: list[tuple[str, list[str]]]) -> dict[str, str]:
    """First sentence id holding each wanted term (stops as soon as all are found)."""
    found: dict[str, str] = {}
    for sid, terms in sentences:
        for t in wanted.intersection(terms):
            found.setdefault(t, sid)
        if len(found) == len(wanted):
            break
    return found


def _surface_forms(words: set[str], body: pd.DataFrame) -> dict[str, str]:
    """The most frequent written form of each lemma ("medium" is shown as "media", as the text says)."""
    seen: dict[str, Counter] = {}
    if "tokens" not in body:
        return {}
    for lemmas, tokens in zip(body["lemmas"].fillna(""), body["tokens"].fillna(""), strict=True):
        for lemma, token in zip(lemmas.split(), tokens.split(), strict=False):
            if lemma in words:
                seen.setdefault(lemma, Counter())[token] += 1
    return {w: c.most_common(1)[0][0] for w, c in seen.items()}


def build_terms(
    sentences: pd.DataFrame, *, top_n: int = 30, min_count: int = 2, prior_size: float = PRIOR_SIZE
) -> pd.DataFrame:
    """Top distinctive lemmas and noun phrases per source (schema.TABLES['terms'] + example_sentence_id)."""
    out_cols = columns("terms")  # the schema includes example_sentence_id
    if sentences.empty:
        return pd.DataFrame(columns=out_cols)
    body = sentences[sentences["kind"].isin(COUNTED_KINDS)]
    if body["source"].nunique() < 2:
        return pd.DataFrame(columns=out_cols)  # distinctive against what? a single source has no "rest"
    phrases = (
        body["noun_phrases"].fillna("").astype(str)
        if "noun_phrases" in body
        else pd.Series([None] * len(body), index=body.index)
    )
    counts, per_sentence = _count_terms(
        zip(
            body["source"].astype(str).tolist(),
            body["sentence_id"].astype(str).tolist(),
            body["lemmas"].fillna("").astype(str).tolist(),
            phrases.tolist(),
            strict=True,
        )
    )
    total: Counter = Counter()
    for c in counts.values():
        total.update(c)
    n_all = float(sum(total.values()))
    rows = []
    for source in sorted(counts):
        c = counts[source]
        # Only terms the source used often enough can be reported; compute those alone.
        cand = [t for t, n in c.items() if n >= min_count]
        if not cand:
            continue
        y_i = np.fromiter((c[t] for t in cand), dtype=float, count=len(cand))
        tot = np.fromiter((total[t] for t in cand), dtype=float, count=len(cand))
        n_i = float(sum(c.values()))
        alpha = prior_size * tot / n_all
        _, z = _log_odds_arrays(y_i, tot - y_i, alpha, n_i, n_all - n_i, prior_size)
        keep = sorted(
            ((float(zv), int(n), t) for zv, n, t in zip(z, y_i, cand, strict=True) if zv > 0),
            key=lambda r: (-r[0], -r[1], r[2]),
        )[:top_n]
        examples = _examples({t for _, _, t in keep}, per_sentence[source])
        rows += [(source, t, n, round(zv, 3), examples.get(t, "")) for zv, n, t in keep]
    if not rows:
        return pd.DataFrame(columns=out_cols)
    shown = _surface_forms({w for _, t, *_ in rows for w in t.split()}, body)
    rows = [(src, " ".join(shown.get(w, w) for w in t.split()), *rest) for src, t, *rest in rows]
    table = pd.DataFrame(rows, columns=out_cols)
    return table[out_cols].reset_index(drop=True)
