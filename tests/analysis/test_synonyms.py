"""The shipped WordNet-derived synonym lexicon: well formed, symmetric, precise on generic pairs."""

from __future__ import annotations

import hashlib
import re

import pytest

from analysis import build_synonyms, synonyms
from analysis.synonyms import LEXICON_VERSION, PATH, are_related, related_lemmas

LINE = re.compile(r"[a-z]+( [a-z]+)?\t[nvar]\t[a-z]+( [a-z]+)?(\|[a-z]+( [a-z]+)?)*")


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, str, list[str]]]:
    out = []
    for line in PATH.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        assert LINE.fullmatch(line), line
        lemma, pos, related = line.split("\t")
        out.append((lemma, pos, related.split("|")))
    return out


def test_file_is_shipped_small_and_parses(rows):
    text = PATH.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "WordNet" in text.splitlines()[0] and "Copyright" in text.splitlines()[1]
    assert (PATH.parent / "WORDNET_LICENSE").is_file()
    assert PATH.stat().st_size < 3_000_000
    assert len(rows) > 20_000
    keys = [(lemma, pos) for lemma, pos, _ in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for lemma, _pos, related in rows:
        assert lemma not in related and related == sorted(set(related))


def test_relation_is_symmetric(rows):
    for lemma, _pos, related in rows:
        for other in related:
            assert lemma in related_lemmas(other), (lemma, other)


@pytest.mark.parametrize("a,b", [
    ("close", "shut"), ("large", "big"), ("investigate", "investigation"), ("buy", "purchase"),
    ("fail", "failure"), ("deposit", "depositor"), ("start", "begin"), ("guarantee", "insure"),
    ("reduce", "cut"), ("quit", "step down"), ("call off", "cancel"),
])
def test_generic_pairs_are_related(a, b):
    assert are_related(a, b) and are_related(b, a)
    assert b in related_lemmas(a)


@pytest.mark.parametrize("a,b", [
    ("close", "open"), ("buy", "sell"), ("rise", "fall"), ("large", "small"), ("bank", "river"),
    ("increase", "decrease"), ("win", "lose"), ("accept", "reject"), ("big", "important"),
])
def test_opposites_and_loose_associations_are_not(a, b):
    assert not are_related(a, b) and not are_related(b, a)


def test_identity_case_and_unknown_words():
    assert are_related("zyzzyva-corp", "zyzzyva-corp")
    assert are_related("Close", " SHUT ")
    assert related_lemmas("qwertyuiop") == frozenset()
    assert not are_related("qwertyuiop", "close")
    assert isinstance(related_lemmas("close"), frozenset)


def test_part_of_speech_filter():
    assert "shut" in related_lemmas("close", "VERB") and "shut" in related_lemmas("close", "v")
    assert "near" in related_lemmas("close") and "near" not in related_lemmas("close", "VERB")
    assert related_lemmas("close", "PUNCT") == frozenset()


def test_stop_like_words_are_absent(rows):
    present = {lemma for lemma, _, _ in rows} | {w for _, _, related in rows for w in related}
    for word in ("be", "have", "do", "get", "make", "take", "go", "come", "give", "say", "put", "set",
                 "can", "will", "all", "up"):
        assert word in build_synonyms.STOP
        assert word not in present
        assert related_lemmas(word) == frozenset()


def test_lexicon_version_hashes_the_files():
    """Cached results depend on the shipped word lists, so the version covers all four."""
    lists = (PATH.read_bytes() + synonyms.PERSONS_PATH.read_bytes() + synonyms.ANTONYMS_PATH.read_bytes()
             + synonyms.OPPOSITES_PATH.read_bytes())
    assert LEXICON_VERSION == hashlib.sha256(lists).hexdigest()[:12]
    assert synonyms._lexicon() is synonyms._lexicon()  # loaded once


def _write_mini_wordnet(folder):
    """A tiny database in WordNet's index / data format (offsets are keys only, not real byte offsets)."""
    header = "  1 This software and database is being provided to you, the LICENSEE, by  \n" \
             "  2 WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.  \n"
    (folder / "index.noun").write_text(header + (
        "failure n 2 1 + 2 1 00000100 00000200  \n"
        "collapse n 1 1 + 1 0 00000200  \n"
        "paris n 1 1 @i 1 1 00000300  \n"
        "miner n 1 0 1 1 00000500  \n"), encoding="utf-8")
    (folder / "data.noun").write_text(header + (
        "00000100 04 n 01 failure 0 001 + 00000100 v 0101 | an act that fails  \n"
        "00000200 11 n 02 failure 1 collapse 0 000 | a sudden failure  \n"
        "00000300 15 n 01 Paris 0 001 @i 00000400 n 0000 | capital of France  \n"
        "00000500 18 n 01 miner 0 000 | someone who works in a mine  \n"), encoding="utf-8")
    (folder / "index.verb").write_text(header + (
        "fail v 2 1 + 2 1 00000100 00000200  \n"
        "flunk v 1 0 1 0 00000200  \n"
        "shut_down v 1 0 1 1 00000300  \n"
        "close v 1 0 1 1 00000300  \n"
        "make v 1 0 1 1 00000400  \n"
        "produce v 1 0 1 1 00000400  \n"
        "succeed v 1 0 1 1 00000500  \n"), encoding="utf-8")
    (folder / "data.verb").write_text(header + (
        "00000100 30 v 01 fail 0 001 + 00000100 n 0101 01 + 02 00 | be unsuccessful  \n"
        "00000200 30 v 02 fail 1 flunk 0 000 01 + 02 00 | fail an exam  \n"
        "00000300 35 v 02 shut_down 0 close 0 000 01 + 02 00 | cease to operate  \n"
        "00000400 36 v 02 make 0 produce 0 000 01 + 02 00 | create  \n"
        "00000500 30 v 01 succeed 0 002 ! 00000100 v 0101 ! 00000200 v 0102 01 + 02 00 | attain success  \n"),
        encoding="utf-8")
    (folder / "index.adj").write_text(header + (
        "big a 1 1 & 1 1 00000100  \n"
        "large a 1 1 & 1 1 00000100  \n"
        "huge a 1 1 & 1 1 00000200  \n"), encoding="utf-8")
    (folder / "data.adj").write_text(header + (
        "00000100 00 a 02 large 0 big(a) 0 001 & 00000200 s 0000 | above average in size  \n"
        "00000200 00 s 01 huge 0 001 & 00000100 a 0000 | very large  \n"), encoding="utf-8")
    (folder / "index.adv").write_text(header, encoding="utf-8")
    (folder / "data.adv").write_text(header, encoding="utf-8")


def test_generator_reads_the_wordnet_format(tmp_path):
    _write_mini_wordnet(tmp_path)
    rel = build_synonyms.build(tmp_path)
    assert rel[("fail", "v")] == {"failure"}  # derivation between first senses; flunk is sense 2, untagged
    assert rel[("failure", "n")] == {"fail"}  # not collapse: sense 2 of failure is untagged (tagsense_cnt 1)
    assert ("collapse", "n") not in rel and ("paris", "n") not in rel
    assert rel[("shut down", "v")] == {"close"}
    assert ("make", "v") not in rel and ("produce", "v") not in rel  # stop-like "make"
    assert rel[("big", "a")] == {"large"} and ("huge", "a") not in rel  # no similar-to by default
    assert build_synonyms.build(tmp_path, similar=True)[("huge", "a")] == {"big", "large"}
    out = tmp_path / "synonyms.tsv"
    n = build_synonyms.write(rel, out, build_synonyms.notice(tmp_path), False, True)
    text = out.read_text(encoding="utf-8")
    assert n == len(rel) and "WordNet 3.0 Copyright 2006" in text and "close\tv\tshut down\n" in text
    # Person nouns: first sense in lexicographer file 18 (noun.person); instances and other files are not.
    assert build_synonyms.person_nouns(tmp_path) == {"miner"}
    # Antonyms: lexical "!" pointers between kept senses, each pair once ("flunk" is fail's sense 2).
    assert build_synonyms.antonyms(tmp_path) == {("fail", "succeed"), ("flunk", "succeed")}


def test_direct_hypernyms_relate_but_sister_terms_and_antonyms_do_not():
    """The shipped table adds one level of noun/verb hypernyms (levy is a tax, divert is a way to send)."""
    from analysis.synonyms import are_related

    assert are_related("levy", "tax") and are_related("divert", "send")
    for a, b in (("buy", "sell"), ("rise", "fall"), ("dog", "cat"), ("increase", "decrease")):
        assert not are_related(a, b), (a, b)


def test_antonyms_come_from_the_shipped_list():
    from analysis.synonyms import are_antonyms

    for a, b in (("accept", "reject"), ("fall", "rise"), ("increase", "decrease"), ("buy", "sell")):
        assert are_antonyms(a, b) and are_antonyms(b, a), (a, b)
    assert not are_antonyms("accept", "welcome") and not are_antonyms("rise", "rise")


def test_person_nouns_come_from_wordnet_first_senses():
    """People words whose first WordNet sense is a person; things and places are not."""
    for word in ("worker", "miner", "artist", "patient", "voter", "Dockworker"):
        assert synonyms.is_person_noun(word), word
    for word in ("home", "vehicle", "store", "job", "seat", "account"):
        assert not synonyms.is_person_noun(word), word
