"""Dev-time generator of ``data/synonyms.tsv``, a small synonym / derivation lexicon taken from WordNet.

Run once, by a developer, with the WordNet 3.x database files at hand (Debian: ``apt-get install
wordnet-base``, files in ``/usr/share/wordnet``)::

    python -m analysis.build_synonyms /usr/share/wordnet

The runtime never needs WordNet: it reads the generated TSV through :mod:`analysis.synonyms`.
Standard library only.

WordNet database format relied on (wndb(5WN)); lines of the license header start with two spaces:

* ``index.{noun,verb,adj,adv}``, one line per lemma and part of speech::

      lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset [synset_offset...]

  ``lemma`` is lower case, collocation words joined by ``_``. The synset offsets are listed in sense
  order, most frequent first; the first ``tagsense_cnt`` of them were seen in the sense-tagged corpora
  (the rest are unranked).
* ``data.{noun,verb,adj,adv}``, one line per synset::

      synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames...] | gloss

  ``w_cnt`` is two hex digits, ``word`` keeps its case (a proper noun starts upper case) and, in
  data.adj, may end in a syntactic marker such as ``(a)``, ``(p)`` or ``(ip)``; ``p_cnt`` is three
  decimal digits; each ``ptr`` is ``pointer_symbol synset_offset pos source/target`` where pos is one
  of ``n v a s r`` (``s``, adjective satellite, lives in data.adj) and source/target is four hex digits:
  ``0000`` for a relation between whole synsets, otherwise the 1-based word numbers in the source and
  target synsets of a relation between two words. Pointer symbols used: ``+`` derivationally related
  form (lexical), ``&`` similar to (adjectives, semantic), ``@i`` instance hypernym (marks a synset of
  proper-noun instances).

Selection (precision first: synonymy is not transitive and rare senses make false matches):

* Kept senses of a lemma in one part of speech: its first two senses that are tagged (sense number
  <= min(2, tagsense_cnt)); a lemma with tagsense_cnt 0 keeps only its first sense.
* Two words are related when a synset is a kept sense of both (synonyms), or a derivationally
  related form pointer links a kept sense of one to a kept sense of the other (fail / failure), or,
  with ``--similar``, an adjective "similar to" pointer links kept senses of both.
* Words: lower case letters only; two-word verbs are kept when the second word is a particle ("shut
  down"); other collocations, hyphenated forms, digits, words written with a capital in the synset
  (proper nouns), instance synsets, one-letter words and the STOP list below (light verbs such as be,
  have, make, take, say; closed-class words such as all, can, up) are dropped.
* With ``--hypernyms nv`` (used for the shipped table), a noun or verb is also related to the words
  of its direct hypernym ("@" pointer) when that synset is a kept sense of them: recall / withdraw,
  car / vehicle, halt / stop. Only one level up, never sister terms (buy / sell share a parent).
* ``--similar`` is off by default: on WordNet 3.0 it adds ~11,000 adjective pairs, many of them
  loose (large / important, central / important, south / southwest, old / senile).

Output: ``lemma<TAB>pos<TAB>related|related|...`` (pos n, v, a, r; related words sorted, '|'-separated
because a related word may be a two-word verb), lines sorted, after a few ``#`` header lines.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "synonyms.tsv"
PERSONS_NAME = "person_nouns.txt"
ANTONYMS_NAME = "antonyms.tsv"

FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
MAX_SENSES = 2

# Light and stop-like words: their top senses are so general that they relate everything; and
# closed-class words whose rare noun / verb homographs make nonsense pairs (can / cannery, will / volition).
STOP = frozenset("""
be have do get make take go come give say put set let keep see know think seem become look hold
run turn bring call tell leave stand feel mean
thing way time case lot part one
same other own such very really just also well even still much more most many
all any both some no not there then now here each every either neither only so too rather yet ever
about after before over under up down out off in on at by for from with as if but and or than
this that these those who what which when where why how again can may might must will shall
should would could second last next
""".split())

PARTICLES = frozenset("""
up down out off in on over back away around about through along forward aside apart together
""".split())

_WORD = re.compile(r"[a-z]+")
_MARKER = re.compile(r"\((?:a|p|ip)\)$")


@dataclass
class Synset:
    """One parsed line of a data file."""

    words: list[str]
    instance: bool = False
    lexfile: int = -1  # lexicographer file number: 18 is noun.person
    # (symbol, target pos, target offset, source word number, target word number)
    ptrs: list[tuple[str, str, int, int, int]] = field(default_factory=list)


def _pos(ss_type: str) -> str:
    return "a" if ss_type == "s" else ss_type


def read_index(path: Path, pos: str) -> dict[str, list[int]]:
    """Kept sense offsets of each lemma of ``index.<pos>`` (see the module docstring for the rule)."""
    kept: dict[str, list[int]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("  "):
                continue
            f = line.split()
            p_cnt = int(f[3])
            tagsense_cnt = int(f[5 + p_cnt])
            offsets = [int(o) for o in f[6 + p_cnt:]]
            n = min(MAX_SENSES, tagsense_cnt) if tagsense_cnt > 0 else 1
            kept[f[0]] = offsets[:n]
    return kept


def read_data(path: Path) -> dict[int, Synset]:
    """Every synset of ``data.<pos>``, keyed by offset."""
    synsets: dict[int, Synset] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("  "):
                continue
            f = line.split(" | ", 1)[0].split()
            offset, w_cnt = int(f[0]), int(f[3], 16)
            words = [_MARKER.sub("", f[4 + 2 * i]) for i in range(w_cnt)]
            i = 4 + 2 * w_cnt
            p_cnt = int(f[i])
            ss = Synset(words, lexfile=int(f[1]))
            for k in range(p_cnt):
                sym, toff, tpos, st = f[i + 1 + 4 * k: i + 5 + 4 * k]
                if sym == "@i":
                    ss.instance = True
                ss.ptrs.append((sym, _pos(tpos), int(toff), int(st[:2], 16), int(st[2:], 16)))
            synsets[offset] = ss
    return synsets


def normalize(word: str, pos: str) -> str | None:
    """The lexicon form of a data-file word, or None when the word is not kept."""
    if not word or word[0].isupper():
        return None
    parts = word.lower().split("_")
    if not all(_WORD.fullmatch(p) for p in parts):
        return None
    if len(parts) == 1:
        return None if parts[0] in STOP or len(parts[0]) < 2 else parts[0]
    if len(parts) == 2 and pos == "v" and parts[1] in PARTICLES:
        return " ".join(parts)
    return None


def build(wn_dir: Path, similar: bool = False, adverbs: bool = True,
          hypernyms: str = "") -> dict[tuple[str, str], set[str]]:
    """Related words of each (lemma, pos), symmetric by construction.

    ``hypernyms``: parts of speech ("n", "v") whose words are also related to their direct hypernym's words.
    """
    poses = [p for p in FILES if adverbs or p != "r"]
    kept = {p: read_index(wn_dir / f"index.{FILES[p]}", p) for p in poses}
    data = {p: read_data(wn_dir / f"data.{FILES[p]}") for p in poses}
    rel: dict[tuple[str, str], set[str]] = defaultdict(set)

    def member(pos: str, offset: int, word: str) -> str | None:
        """The word's lexicon form if this synset is one of its kept senses, else None."""
        if data[pos][offset].instance:
            return None
        lem = normalize(word, pos)
        if lem is None or offset not in kept[pos].get(word.lower(), ()):
            return None
        return lem

    def link(a: str, pa: str, b: str, pb: str) -> None:
        if a != b:
            rel[(a, pa)].add(b)
            rel[(b, pb)].add(a)

    for pos in poses:
        for offset, ss in data[pos].items():
            members = [m for w in ss.words if (m := member(pos, offset, w))]
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    link(a, pos, b, pos)
            for sym, tpos, toff, src, tgt in ss.ptrs:
                if tpos not in data:
                    continue
                if sym == "+" and src and tgt:
                    a = member(pos, offset, ss.words[src - 1])
                    b = member(tpos, toff, data[tpos][toff].words[tgt - 1]) if a else None
                    if a and b:
                        link(a, pos, b, tpos)
                elif sym == "@" and pos in hypernyms and tpos == pos and not src:
                    parents = [m for w in data[tpos][toff].words if (m := member(tpos, toff, w))]
                    for a in members:
                        for b in parents:
                            link(a, pos, b, tpos)
                elif sym == "&" and similar and not src:
                    others = [m for w in data[tpos][toff].words if (m := member(tpos, toff, w))]
                    for a in members:
                        for b in others:
                            link(a, pos, b, tpos)
    return rel


PERSON_LEXFILE = 18  # noun.person in WordNet's lexnames


def person_nouns(wn_dir: Path) -> set[str]:
    """Nouns whose most frequent sense names a person ("worker", "miner", "patient", "dockworker").

    Used at run time to let counts of two person words be compared ("9,000 workers" / "4,500 artists").
    """
    index = read_index(wn_dir / "index.noun", "n")
    data = read_data(wn_dir / "data.noun")
    out = set()
    for lemma, offsets in index.items():
        word = normalize(lemma, "n")
        ss = data.get(offsets[0]) if offsets else None
        if word and ss is not None and not ss.instance and ss.lexfile == PERSON_LEXFILE:
            out.add(word)
    return out


def antonyms(wn_dir: Path) -> set[tuple[str, str]]:
    """Verb and adjective pairs WordNet marks as antonyms ("!") between kept senses of both words:
    accept / reject, pass / fail, include / exclude. Each pair once, in alphabetical order."""
    out: set[tuple[str, str]] = set()
    for pos in ("v", "a"):
        kept = read_index(wn_dir / f"index.{FILES[pos]}", pos)
        data = read_data(wn_dir / f"data.{FILES[pos]}")

        def member(offset: int, word: str, pos: str = pos, kept: dict[str, list[int]] = kept) -> str | None:
            lem = normalize(word, pos)
            return lem if lem and offset in kept.get(word.lower(), ()) else None

        for offset, ss in data.items():
            for sym, tpos, toff, src, tgt in ss.ptrs:
                if sym != "!" or tpos != pos or not src or not tgt or toff not in data:
                    continue
                a, b = member(offset, ss.words[src - 1]), member(toff, data[toff].words[tgt - 1])
                if a and b and a != b:
                    out.add((min(a, b), max(a, b)))
    return out


def write_antonyms(pairs: set[tuple[str, str]], out: Path, source: tuple[str, str]) -> int:
    """Write the antonym pairs (two words per line, tab-separated, after a short header)."""
    wn_version, copyright_line = source
    header = [f"# Verb and adjective antonyms of kept senses (first min({MAX_SENSES}, tagsense_cnt)) in WordNet "
              f"{wn_version}.", f"# {copyright_line} License and disclaimer: WORDNET_LICENSE beside this file.",
              "# Generated by: python -m analysis.build_synonyms /usr/share/wordnet --hypernyms nv"]
    out.write_text("\n".join(header + [f"{a}\t{b}" for a, b in sorted(pairs)]) + "\n", encoding="utf-8")
    return len(pairs)


def write_persons(words: set[str], out: Path, source: tuple[str, str]) -> int:
    """Write the person-noun list (one word per line after a short header); returns its length."""
    wn_version, copyright_line = source
    header = [f"# Nouns whose first WordNet {wn_version} sense is in noun.person.",
              f"# {copyright_line} License and disclaimer: WORDNET_LICENSE beside this file.",
              "# Generated by: python -m analysis.build_synonyms /usr/share/wordnet --hypernyms nv"]
    out.write_text("\n".join(header + sorted(words)) + "\n", encoding="utf-8")
    return len(words)


def notice(wn_dir: Path) -> tuple[str, str]:
    """(WordNet version, copyright line) from the license header of ``data.noun``."""
    wn_version, copyright_line = "3.x", "Copyright by Princeton University. All rights reserved."
    with (wn_dir / "data.noun").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("  "):
                break
            text = " ".join(line.split()[1:])
            if "Copyright" in text:
                copyright_line = text.replace(".  ", ". ")
                m = re.search(r"WordNet (\d+\.\d+)", text)
                wn_version = m.group(1) if m else wn_version
    return wn_version, copyright_line


def write(rel: dict[tuple[str, str], set[str]], out: Path, source: tuple[str, str], similar: bool,
          adverbs: bool, hypernyms: str = "") -> int:
    """Write the TSV; returns the number of entries."""
    wn_version, copyright_line = source
    criteria = (f"kept senses = first min({MAX_SENSES}, tagsense_cnt) senses (first sense if none tagged); "
                "related = shared kept synset, or derivationally related form (+)"
                + (", or adjective similar-to (&)" if similar else "")
                + (f", or direct hypernym (@) for pos {hypernyms}" if hypernyms else "")
                + " between kept senses of both; "
                "single lower-case words plus two-word particle verbs; proper nouns, instances, "
                "collocations, digits and light/stop-like words dropped" + ("" if adverbs else "; no adverbs"))
    flags = ((" --similar" if similar else "") + ("" if adverbs else " --no-adverbs")
             + (f" --hypernyms {hypernyms}" if hypernyms else ""))
    lines = [f"{lem}\t{pos}\t{'|'.join(sorted(words))}" for (lem, pos), words in sorted(rel.items())]
    header = [
        f"# Synonym / derivation lexicon derived from Princeton WordNet {wn_version}.",
        f"# {copyright_line} License and disclaimer: WORDNET_LICENSE beside this file.",
        f"# Criteria: {criteria}.",
        f"# Generated by: python -m analysis.build_synonyms /usr/share/wordnet{flags}",
        "# Columns: lemma <TAB> pos (n v a r) <TAB> related words, '|'-separated; symmetric across lines.",
    ]
    out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wordnet_dir", type=Path, help="folder with WordNet's index.* and data.* files")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("--similar", action="store_true", help="also relate adjectives by 'similar to' (&)")
    ap.add_argument("--no-adverbs", dest="adverbs", action="store_false")
    ap.add_argument("--hypernyms", default="", help="parts of speech (n, v) related to their direct hypernym")
    args = ap.parse_args(argv)
    source = notice(args.wordnet_dir)
    rel = build(args.wordnet_dir, similar=args.similar, adverbs=args.adverbs, hypernyms=args.hypernyms)
    n = write(rel, args.out, source, args.similar, args.adverbs, args.hypernyms)
    print(f"{args.out}: {n} entries, {args.out.stat().st_size} bytes")
    persons = args.out.with_name(PERSONS_NAME)
    n = write_persons(person_nouns(args.wordnet_dir), persons, source)
    print(f"{persons}: {n} nouns, {persons.stat().st_size} bytes")
    opposite = args.out.with_name(ANTONYMS_NAME)
    n = write_antonyms(antonyms(args.wordnet_dir), opposite, source)
    print(f"{opposite}: {n} pairs, {opposite.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
