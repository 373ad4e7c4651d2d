"""Generic synonym / derivation lexicon: which lemmas may stand for one another in two news sentences.

The data is ``data/synonyms.tsv``, generated once at dev time from WordNet's most frequent senses by
:mod:`analysis.build_synonyms` (see there for the criteria) and shipped inside the package; nothing is
downloaded at run time. Words are lower-case lemmas ("large", not "largest"); two-word particle verbs
are space-joined ("shut down"). The relation is symmetric and not transitive.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "synonyms.tsv"
PERSONS_PATH = PATH.with_name("person_nouns.txt")
ANTONYMS_PATH = PATH.with_name("antonyms.tsv")
OPPOSITES_PATH = PATH.with_name("opposites.tsv")

_EMPTY: frozenset[str] = frozenset()


def _version() -> str:
    try:
        return hashlib.sha256(PATH.read_bytes() + PERSONS_PATH.read_bytes()
                              + ANTONYMS_PATH.read_bytes() + OPPOSITES_PATH.read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


#: Short hash of the lexicon file, for cache keys of results that depend on it.
LEXICON_VERSION: str = _version()


# WordNet's parts of speech, and spaCy's coarse tags that map to them.
_POS = {"n": "n", "noun": "n", "v": "v", "verb": "v", "a": "a", "adj": "a", "r": "r", "adv": "r"}


def _rows() -> list[list[str]]:
    """The data lines of the TSV as [lemma, pos, 'related|related|...']."""
    text = PATH.read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and line[0] != "#"]


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    """Lemma -> related lemmas across parts of speech, read once."""
    merged: dict[str, str] = {}
    for lemma, _pos, related in _rows():
        got = merged.get(lemma)
        merged[lemma] = related if got is None else f"{got}|{related}"
    return {lemma: frozenset(related.split("|")) for lemma, related in merged.items()}


@lru_cache(maxsize=1)
def _lexicon_by_pos() -> dict[tuple[str, str], frozenset[str]]:
    """(lemma, WordNet pos) -> related lemmas, read once, only when a part of speech is asked for."""
    return {(lemma, pos): frozenset(related.split("|")) for lemma, pos, related in _rows()}


def related_lemmas(lemma: str, pos: str | None = None) -> frozenset[str]:
    """Every word related to ``lemma`` (lower case); empty for unknown words.

    By default all parts of speech of ``lemma`` count. ``pos`` ("n"/"v"/"a"/"r" or a spaCy coarse tag
    such as "VERB") keeps only the senses of ``lemma`` in that part of speech ("close" as a verb relates
    to "shut", not to the adverb's "near"); the related words may still be of any part of speech.
    """
    key = lemma.strip().lower()
    if pos is None:
        return _lexicon().get(key, _EMPTY)
    tag = _POS.get(pos.lower())
    return _lexicon_by_pos().get((key, tag), _EMPTY) if tag else _EMPTY


def are_related(a: str, b: str) -> bool:
    """True when the two lemmas are the same word or listed as synonyms / derivations of each other."""
    a, b = a.strip().lower(), b.strip().lower()
    return a == b or b in _lexicon().get(a, _EMPTY)


@lru_cache(maxsize=1)
def _persons() -> frozenset[str]:
    try:
        text = PERSONS_PATH.read_text(encoding="utf-8")
    except OSError:
        return _EMPTY
    return frozenset(w for w in text.splitlines() if w and w[0] != "#")


def is_person_noun(lemma: str) -> bool:
    """True when the noun's most frequent WordNet sense names a person ("miner", "artist", "voter")."""
    return lemma.strip().lower() in _persons()


@lru_cache(maxsize=1)
def _antonyms() -> frozenset[tuple[str, str]]:
    """Alphabetically ordered verb/adjective antonym pairs, read once: WordNet's (``data/antonyms.tsv``)
    and the hand-written news opposites WordNet lacks (``data/opposites.tsv``: "approve" / "block")."""
    pairs: set[tuple[str, str]] = set()
    for path in (ANTONYMS_PATH, OPPOSITES_PATH):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            if line and line[0] != "#":
                a, b = line.split("\t")[:2]
                pairs.add((min(a, b), max(a, b)))
    return frozenset(pairs)


def are_antonyms(a: str, b: str) -> bool:
    """Whether WordNet lists the two lemmas as opposites ("accept" / "reject", "rise" / "fall")."""
    return (min(a, b), max(a, b)) in _antonyms()
