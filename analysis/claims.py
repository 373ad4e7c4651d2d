"""Claims across sources: group sentences that make the same assertion and read each source's stance.

Input is the pipeline's sentences table with the per-sentence ``claim_*`` columns from
:mod:`analysis.claim_features`; nothing here re-parses text. The steps:

1. Candidate pairs (blocking): sparse TF-IDF over each sentence's key terms, top-k neighbours per row
   computed in row chunks sized to a bounded number of non-zeros, plus pairs of sentences whose
   release-status cues name the same entity. Never an n x n matrix.
2. One decision per pair, :func:`same_claim` (also used by :func:`evaluate_claims`): shared weighted
   terms, a shared name when both name someone, a compatible main predicate.
3. Average-linkage merging of the passing pairs (best first), so one loose link cannot chain two
   different claims together.
4. Stance of every sentence against the claim's reference sentence (:func:`stance`): contradicts
   (denial, opposite release status, stated figure vs "not disclosed", different figures or dates,
   negated predicate), hedged (modal, "reportedly", "according to", unnamed voices), else supports.
5. Independent voices: syndicated copies (near-duplicate articles) count once.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.schema import columns

COUNTED_KINDS = ("body", "list_item")

# Decision thresholds, tuned on the dev split of tests/data/claim_pairs.csv (never on the test split).
SAME_THRESHOLD = 0.35
TOP_K = 12
MIN_CANDIDATE_SIM = 0.12
SYNDICATION_THRESHOLD = 0.8
UNDISCLOSED_THRESHOLD = 0.2
PREDICATE_BONUS = 0.1
PREDICATE_PENALTY = 0.6
NAME_PENALTY = 0.8
PERIPHERAL_FACTOR = 0.4
SINGLE_TERM_MARGIN = 0.15
MAX_LINK_CHECKS = 24
MAX_CENTRALITY = 25
FIGURE_TOLERANCE = 0.02
_MAX_CHUNK_NNZ = 2_000_000

_WEAK = {"announce", "company", "firm", "new", "also", "year", "month", "week", "day", "time", "report",
         "statement", "tool", "deal", "plan", "move", "step", "people", "way", "part", "number",
         "percent", "billion", "million", "thousand", "today", "develop", "thing", "lot", "other",
         "many", "more", "most", "first", "last", "late", "major", "big", "large", "key", "recent",
         "recently", "significant", "early", "future", "current", "previously", "analyst", "source",
         "accord", "include", "use", "medium"}
_WEAK_FACTOR = 0.35


# ---------------------------------------------------------------------------------------------------
# Pair decision
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimInfo:
    """The claim_* features of one sentence, parsed into sets for fast comparison."""

    text: str
    terms: frozenset[str]
    names: frozenset[str]
    periph: frozenset[str] = frozenset()
    predicate: str = ""
    initials: tuple[tuple[str, str], ...] = ()
    negated: str = ""
    hedge: str = ""
    status: str = ""
    status_cue: str = ""
    status_target: frozenset[str] = frozenset()
    figures: tuple[str, ...] = ()
    undisclosed: str = ""
    denial: str = ""
    is_claim: bool = True
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def _split(value: object, sep: str) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [v for v in str(value).split(sep) if v]


def _s(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def info_from_features(features: Mapping[str, object], text: str = "") -> ClaimInfo:
    """Build a :class:`ClaimInfo` from a claim_features dict or a sentences-table row."""
    ents = [e.partition("~") for e in _split(features.get("claim_entities"), "|")]
    raw = _split(features.get("claim_key_terms"), " ")
    return ClaimInfo(
        text=text or _s(features.get("text", "")),
        terms=frozenset(t.lstrip("~") for t in raw),
        periph=frozenset(t[1:] for t in raw if t.startswith("~")),
        names=frozenset(k for k, _, _ in ents),
        initials=tuple((k, ini) for k, _, ini in ents if ini),
        predicate=_s(features.get("claim_predicate")),
        negated=_s(features.get("claim_negated")),
        hedge=_s(features.get("claim_hedge")),
        status=_s(features.get("claim_status")),
        status_cue=_s(features.get("claim_status_cue")),
        status_target=frozenset(_split(features.get("claim_status_target"), "|")),
        figures=tuple(_split(features.get("claim_figures"), "|")),
        undisclosed=_s(features.get("claim_undisclosed")),
        denial=_s(features.get("claim_denial")),
        is_claim=bool(features.get("claim_is_claim", True)),
    )


def _weight(term: str, idf: Mapping[str, float] | None, default_idf: float) -> float:
    w = idf.get(term, default_idf) if idf else 1.0
    if term in _WEAK:
        w *= _WEAK_FACTOR
    return w


def _label(term: str) -> str:
    return term[1:] if term.startswith("@") else term


def term_weights(info: ClaimInfo, idf: Mapping[str, float] | None = None,
                 default_idf: float = 1.0) -> tuple[dict[str, float], float]:
    """Each term's weight in one sentence (idf x common-word x background factor) and their sum."""
    w = {t: _weight(t, idf, default_idf) * (PERIPHERAL_FACTOR if t in info.periph else 1.0)
         for t in info.terms}
    return w, sum(w.values())


class WeightCache:
    """Per-sentence term weights computed once per corpus (pair scoring is the hot loop)."""

    def __init__(self, idf: Mapping[str, float] | None, default_idf: float) -> None:
        self.idf, self.default_idf = idf, default_idf
        self._memo: dict[int, tuple[dict[str, float], float]] = {}

    def get(self, info: ClaimInfo) -> tuple[dict[str, float], float]:
        key = id(info)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = term_weights(info, self.idf, self.default_idf)
        return hit


def pair_score(a: ClaimInfo, b: ClaimInfo, idf: Mapping[str, float] | None = None,
               default_idf: float = 1.0, cache: WeightCache | None = None) -> tuple[float, list[str]]:
    """Weighted term agreement in [0, 1] (mean of overlap and cosine) and the shared terms, heaviest first."""
    shared = a.terms & b.terms
    if not shared:
        return 0.0, []
    if cache is not None and not (a.names - b.names and b.names - a.names):
        (ra, wa), (rb, wb) = cache.get(a), cache.get(b)
    else:
        (ra, wa), (rb, wb) = term_weights(a, idf, default_idf), term_weights(b, idf, default_idf)
    ws = sum(math.sqrt(ra[t] * rb[t]) for t in shared)
    if wa <= 0 or wb <= 0:
        return 0.0, []
    # Overlap rewards a short sentence contained in a long one (the same announcement with extra
    # detail); cosine keeps two long sentences that share a few words from looking identical.
    overlap = ws / min(wa, wb)
    cosine = ws / math.sqrt(wa * wb)
    ranked = sorted(shared, key=lambda t: -ra[t] * rb[t])
    return 0.5 * overlap + 0.5 * cosine, ranked


def _names_match(x: str, y: str, ini: Mapping[str, str]) -> bool:
    """Two name keys for one party: equal, an acronym of the other, or one a prefix/suffix of the other."""
    if x == y:
        return True
    if ini.get(x) == y or ini.get(y) == x:
        return True
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return (len(short) >= 3 and long_.startswith(short)) or (len(short) >= 4 and long_.endswith(short))


def align_names(a: ClaimInfo, b: ClaimInfo) -> ClaimInfo:
    """``b`` with its names renamed to ``a``'s spelling where they denote the same party (FTC, Fed, ...)."""
    extra_b = b.names - a.names
    extra_a = a.names - b.names
    if not extra_b or not extra_a:
        return b
    ini = dict(a.initials) | dict(b.initials)
    rename = {}
    for y in extra_b:
        for x in extra_a:
            if _names_match(x, y, ini):
                rename[y] = x
                break
    if not rename:
        return b
    def ren(ts: frozenset[str]) -> frozenset[str]:
        return frozenset(("@" + rename[t[1:]]) if t.startswith("@") and t[1:] in rename else t for t in ts)

    return replace(b, terms=ren(b.terms), periph=ren(b.periph),
                   names=frozenset(rename.get(n, n) for n in b.names),
                   status_target=frozenset(rename.get(n, n) for n in b.status_target))


def status_conflict(a: ClaimInfo, b: ClaimInfo) -> str:
    """The shared subject of opposite release statuses ('' when the statuses do not clash)."""
    if a.status and b.status and a.status != b.status:
        common = a.status_target & b.status_target
        if common:
            return sorted(common)[0]
    return ""


def same_claim(a: ClaimInfo, b: ClaimInfo, idf: Mapping[str, float] | None = None,
               default_idf: float = 1.0, threshold: float = SAME_THRESHOLD,
               cache: WeightCache | None = None) -> tuple[bool, str]:
    """Whether two sentences make the same assertion (or incompatible versions of it), and why."""
    aligned = align_names(a, b)
    if aligned is not b:
        cache = None  # renamed terms: the cached weights of b no longer apply
    b = aligned
    subject = status_conflict(a, b)
    if subject:
        return True, f"opposite release status of '{subject}'"
    score, shared = pair_score(a, b, idf, default_idf, cache)
    if not shared:
        return False, "no shared terms"
    joined = ", ".join(_label(t) for t in shared[:8])
    shared_names = a.names & b.names
    # A stated figure against "terms were not disclosed" about the same named parties is the same
    # claim even though the undisclosed wording shares few words with it.
    if shared_names and ((a.undisclosed and _has_money(b)) or (b.undisclosed and _has_money(a))) \
            and score >= UNDISCLOSED_THRESHOLD:
        return True, f"figure vs not disclosed, shared: {joined} (score {score:.2f})"
    content = [t for t in shared if not t.startswith("@") and t not in _WEAK]
    if not content:
        return False, "only names or common words shared: " + joined
    notes = []
    pa, pb = a.predicate, b.predicate
    if pa and pb:
        if pa == pb:
            score += PREDICATE_BONUS
        elif pa not in b.terms and pb not in a.terms:
            score *= PREDICATE_PENALTY
            notes.append(f"different predicates {pa}/{pb}")
    # Both name someone but nobody in common: likely the same verb about different parties. (Names
    # each side has alone already lower the score through their weight.)
    if not shared_names and a.names and b.names:
        score *= NAME_PENALTY
        notes.append("no shared name")
    note = f"; {', '.join(notes)}" if notes else ""
    # One shared content word (a common verb like 'emphasize') is thin evidence: demand more.
    if len(content) < 2 and score < threshold + SINGLE_TERM_MARGIN:
        return False, f"one shared content term: {joined} (score {score:.2f}{note})"
    if score >= threshold:
        return True, f"shared: {joined} (score {score:.2f}{note})"
    return False, f"too little in common: {joined} (score {score:.2f}{note})"


# ---------------------------------------------------------------------------------------------------
# Stance
# ---------------------------------------------------------------------------------------------------

def _parse_figures(figures: Iterable[str]) -> dict[str, list[str]]:
    """Group figures by what they measure: money:usd, pct, count:vehicle, date."""
    out: dict[str, list[str]] = defaultdict(list)
    for f in figures:
        kind, _, value = f.rpartition(":")
        if kind:
            out[kind].append(value)
    return out


def _num_close(x: str, y: str) -> bool:
    try:
        fx, fy = float(x), float(y)
    except ValueError:
        return x == y
    return abs(fx - fy) <= FIGURE_TOLERANCE * max(abs(fx), abs(fy), 1e-9)


def _date_parts(value: str) -> tuple[str, str, str] | None:
    if re.fullmatch(r"[a-z]+day", value):
        return None
    parts = value.split("-")
    y = parts[0] if parts and parts[0] else ""
    m = parts[1] if len(parts) > 1 else ""
    d = parts[2] if len(parts) > 2 else ""
    if value.startswith("--"):
        y, m, d = "", value[2:4], value[5:7] if len(value) > 5 else ""
    return y, m, d


def _dates_agree(x: str, y: str) -> bool | None:
    """True/False when two normalised dates can be compared, None when they cannot."""
    if x == y:
        return True
    px, py = _date_parts(x), _date_parts(y)
    if px is None or py is None:
        return None if (px is None) != (py is None) else x == y
    comparable = False
    for u, v in zip(px, py, strict=True):
        if u and v:
            comparable = True
            if u != v:
                return False
    return True if comparable else None


def figure_conflict(a: ClaimInfo, b: ClaimInfo) -> str:
    """Describe different figures/dates for the same measure ('' when none clash)."""
    fa, fb = _parse_figures(a.figures), _parse_figures(b.figures)
    for kind in fa.keys() & fb.keys():
        va, vb = fa[kind], fb[kind]
        if kind == "date":
            results = [_dates_agree(x, y) for x in va for y in vb]
            if any(r is True for r in results) or not any(r is False for r in results):
                continue
            return f"different dates: {', '.join(va)} vs {', '.join(vb)}"
        if not any(_num_close(x, y) for x in va for y in vb):
            what = kind.split(":")[-1] if kind.startswith("count") else kind.split(":")[0]
            return f"different figures ({what}): {', '.join(va)} vs {', '.join(vb)}"
    return ""


def _has_money(info: ClaimInfo) -> bool:
    return any(f.startswith(("money:", "pct:", "count:")) for f in info.figures)


def conflict(ref: ClaimInfo, other: ClaimInfo) -> tuple[str, str]:
    """(kind, cue) of the first incompatibility of ``other`` with ``ref``; ('', '') when compatible."""
    if other.denial and not ref.denial:
        return "denial", f"denial: '{other.denial}'"
    if ref.denial and not other.denial:
        return "denial", f"the claim is a denial ('{ref.denial}'); this sentence asserts it"
    subject = status_conflict(ref, other)
    if subject or (ref.status and other.status and ref.status != other.status):
        return "status", (f"status: '{other.status_cue}' ({other.status}) vs '{ref.status_cue}' "
                          f"({ref.status})" + (f" about {subject}" if subject else ""))
    if other.undisclosed and _has_money(ref) and not _has_money(other):
        return "undisclosed", f"'{other.undisclosed}' vs stated figure {'|'.join(ref.figures)}"
    if ref.undisclosed and _has_money(other) and not _has_money(ref):
        return "undisclosed", f"states figure {'|'.join(other.figures)} vs '{ref.undisclosed}'"
    fig = figure_conflict(ref, other)
    if fig:
        return ("dates" if fig.startswith("different dates") else "figures"), fig
    if bool(other.negated) != bool(ref.negated):
        cue = other.negated or f"claim negated ('{ref.negated}'), this sentence is not"
        return "negation", f"negated: '{cue}'" if other.negated else cue
    return "", ""


def stance(ref: ClaimInfo, other: ClaimInfo) -> tuple[str, str]:
    """Stance of ``other`` toward the claim ``ref`` states: supports | contradicts | hedged, with the cue."""
    kind, cue = conflict(ref, other)
    if kind == "denial":
        return "contradicts", cue
    if kind:
        # A conflict reported as a possibility is a hedge; two forecasts that disagree still conflict.
        if other.hedge and not ref.hedge:
            return "hedged", f"hedge: {other.hedge}; conflicting: {cue}"
        return "contradicts", cue
    if other.hedge:
        return "hedged", f"hedge: {other.hedge}"
    return "supports", ""


def _polarity(info: ClaimInfo) -> int:
    """+1 for a positive assertion, -1 for a negated / unreleased / undisclosed / denial one."""
    neg = bool(info.negated) or info.status == "unreleased" or bool(info.denial) or (
        bool(info.undisclosed) and not _has_money(info))
    return -1 if neg else 1


# ---------------------------------------------------------------------------------------------------
# Blocking: candidate pairs without an all-pairs matrix
# ---------------------------------------------------------------------------------------------------

def _tfidf(docs: list[list[str]]) -> tuple[sp.csr_matrix, dict[str, float]]:
    """Row-normalised sparse TF-IDF (binary tf) over term lists, and the idf of every term."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, terms in enumerate(docs):
        for t in set(terms):
            j = vocab.setdefault(t, len(vocab))
            rows.append(i)
            cols.append(j)
    n = len(docs)
    mat = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
    df = np.asarray((mat > 0).sum(axis=0)).ravel()
    idf_arr = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
    mat = mat @ sp.diags(idf_arr)
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    mat = sp.diags(1.0 / norms).astype(np.float32) @ mat
    idf = {t: float(idf_arr[j]) for t, j in vocab.items()}
    return sp.csr_matrix(mat), idf


def topk_pairs(mat: sp.csr_matrix, k: int = TOP_K, min_sim: float = MIN_CANDIDATE_SIM,
               max_chunk_nnz: int = _MAX_CHUNK_NNZ) -> list[tuple[int, int, float]]:
    """Each row's k most similar other rows (cosine >= min_sim), as (i, j, sim) with i < j.

    Rows are multiplied against the matrix in chunks whose estimated product size stays under
    ``max_chunk_nnz`` non-zeros, so memory is bounded however large the corpus; only k entries per row
    are kept, so the candidate count is at most n * k.
    """
    n = mat.shape[0]
    if n < 2:
        return []
    csc_df = np.diff(mat.tocsc().indptr)  # postings length per term
    row_cost = np.array([csc_df[mat.indices[mat.indptr[i]:mat.indptr[i + 1]]].sum() for i in range(n)])
    matT = mat.T.tocsr()
    pairs: dict[tuple[int, int], float] = {}
    start = 0
    while start < n:
        end = start + 1
        cost = row_cost[start]
        while end < n and cost + row_cost[end] <= max_chunk_nnz:
            cost += row_cost[end]
            end += 1
        sims = (mat[start:end] @ matT).tocsr()
        for r in range(end - start):
            lo, hi = sims.indptr[r], sims.indptr[r + 1]
            idx = sims.indices[lo:hi]
            val = sims.data[lo:hi]
            i = start + r
            keep = (idx != i) & (val >= min_sim)
            idx, val = idx[keep], val[keep]
            if len(idx) > k:
                top = np.argpartition(-val, k)[:k]
                idx, val = idx[top], val[top]
            for j, v in zip(idx.tolist(), val.tolist(), strict=True):
                key = (i, j) if i < j else (j, i)
                if v > pairs.get(key, -1.0):
                    pairs[key] = v
        start = end
    return [(i, j, v) for (i, j), v in pairs.items()]


def _status_pairs(infos: list[ClaimInfo], cap: int = 40) -> set[tuple[int, int]]:
    """Pairs with opposite release statuses about the same named thing (blocked by that name)."""
    by_key: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, info in enumerate(infos):
        if info.status:
            for key in info.status_target:
                by_key[key][info.status].append(i)
    out: set[tuple[int, int]] = set()
    for groups in by_key.values():
        rel, unrel = groups.get("released", [])[:cap], groups.get("unreleased", [])[:cap]
        for i in rel:
            for j in unrel:
                out.add((min(i, j), max(i, j)))
    return out


# ---------------------------------------------------------------------------------------------------
# Union-find helpers
# ---------------------------------------------------------------------------------------------------

class _DSU:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra


# ---------------------------------------------------------------------------------------------------
# Syndication
# ---------------------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def syndication_groups(articles: pd.DataFrame, threshold: float = SYNDICATION_THRESHOLD) -> pd.DataFrame:
    """Near-duplicate articles (same wire copy): article_id, group_id, members (';'-joined sources).

    Whole-article TF-IDF cosine (word unigrams and bigrams) >= ``threshold`` joins two articles; groups
    are the connected components. Every article gets a row; a group of one is an independent voice.
    """
    cols = ["article_id", "group_id", "members"]
    if articles is None or articles.empty:
        return pd.DataFrame(columns=cols)
    ids = articles["article_id"].astype(str).tolist()
    sources = articles["source"].astype(str).tolist() if "source" in articles else ids
    docs = []
    for text in articles["text"].fillna("").astype(str):
        words = _WORD.findall(text.lower())
        docs.append(words + [f"{x}_{y}" for x, y in zip(words, words[1:], strict=False)])
    mat, _ = _tfidf_tf(docs)
    dsu = _DSU(len(ids))
    for i, j, sim in topk_pairs(mat, k=20, min_sim=threshold):
        if sim >= threshold:
            dsu.union(i, j)
    rows = []
    roots = {}
    for i in range(len(ids)):
        roots.setdefault(dsu.find(i), len(roots) + 1)
    for i, aid in enumerate(ids):
        r = dsu.find(i)
        members = dsu.members[r]
        rows.append({"article_id": aid, "group_id": f"G{roots[r]:03d}",
                     "members": ";".join(sorted({sources[m] for m in members}))})
    return pd.DataFrame(rows, columns=cols)


def _tfidf_tf(docs: list[list[str]]) -> tuple[sp.csr_matrix, dict[str, float]]:
    """Like :func:`_tfidf` but with sublinear term counts (whole articles repeat words)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, terms in enumerate(docs):
        for t, c in Counter(terms).items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(1.0 + math.log(c))
    n = len(docs)
    mat = sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
    df = np.asarray((mat > 0).sum(axis=0)).ravel()
    idf_arr = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
    mat = mat @ sp.diags(idf_arr)
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ mat), {}


# ---------------------------------------------------------------------------------------------------
# build_claims
# ---------------------------------------------------------------------------------------------------

_NORM = re.compile(r"\W+")


def _norm_text(text: str) -> str:
    return _NORM.sub(" ", text.lower()).strip()


@dataclass
class _Grouping:
    """Result of clustering: unique-sentence infos, their clusters and the joining reasons."""

    infos: list[ClaimInfo]
    clusters: list[list[int]]
    reasons: dict[tuple[int, int], str]
    idf: dict[str, float]
    n_candidates: int
    cache: WeightCache | None = None


def group_claims(infos: list[ClaimInfo], k: int = TOP_K, link_share: float = 0.5) -> _Grouping:
    """Cluster unique claim sentences: blocked candidates, :func:`same_claim`, average linkage."""
    n = len(infos)
    mat, idf = _tfidf([sorted(i.terms) for i in infos])
    default_idf = max(idf.values()) if idf else 1.0
    cand = {(i, j): s for i, j, s in topk_pairs(mat, k=k)}
    for pair in _status_pairs(infos):
        cand.setdefault(pair, 0.0)
    decisions: dict[tuple[int, int], tuple[bool, str, float]] = {}
    cache = WeightCache(idf, default_idf)

    def decide(i: int, j: int) -> tuple[bool, str, float]:
        key = (i, j) if i < j else (j, i)
        if key not in decisions:
            ok, why = same_claim(infos[key[0]], infos[key[1]], idf, default_idf, cache=cache)
            score = pair_score(infos[key[0]], infos[key[1]], idf, default_idf, cache)[0] if ok else 0.0
            if ok and why.startswith("opposite"):
                score = max(score, SAME_THRESHOLD)
            decisions[key] = (ok, why, score)
        return decisions[key]

    passing = []
    for (i, j) in cand:
        ok, _, score = decide(i, j)
        if ok:
            passing.append((score, i, j))
    passing.sort(key=lambda x: -x[0])
    dsu = _DSU(n)
    for _score, i, j in passing:
        ri, rj = dsu.find(i), dsu.find(j)
        if ri == rj:
            continue
        a, b = dsu.members[ri], dsu.members[rj]
        cross = [(x, y) for x in a for y in b]
        if len(cross) > MAX_LINK_CHECKS:  # bounded work per merge on huge clusters: a deterministic sample
            step = len(cross) / MAX_LINK_CHECKS
            cross = [cross[int(t * step)] for t in range(MAX_LINK_CHECKS)]
        hits = sum(1 for x, y in cross if decide(x, y)[0])
        if hits >= link_share * len(cross):
            dsu.union(i, j)
    clusters = [sorted(m) for m in dsu.members.values()]
    reasons = {key: why for key, (ok, why, _) in decisions.items() if ok}
    return _Grouping(infos, clusters, reasons, idf, len(cand), cache)


def _voice_of(articles: pd.DataFrame) -> dict[str, str]:
    groups = syndication_groups(articles)
    return dict(zip(groups["article_id"], groups["group_id"], strict=True))


def build_claims(sentences: pd.DataFrame, entity_mentions: pd.DataFrame,
                 articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims x sources (schema ``claims``) and the evidence sentence of every stance (``claim_evidence``)."""
    claim_cols, ev_cols = columns("claims"), columns("claim_evidence")
    if sentences is None or sentences.empty or "claim_is_claim" not in sentences:
        return pd.DataFrame(columns=claim_cols), pd.DataFrame(columns=ev_cols)
    sents = sentences[sentences["kind"].isin(COUNTED_KINDS)]
    sents = sents[sents["claim_is_claim"].fillna(False).astype(bool)]
    all_sources = sorted(set(articles["source"].astype(str)) if articles is not None and not articles.empty
                         else set(sentences["source"].astype(str)))
    if sents.empty:
        return pd.DataFrame(columns=claim_cols), pd.DataFrame(columns=ev_cols)
    voice = _voice_of(articles) if articles is not None and not articles.empty else {}

    # Exact duplicates (syndicated copy, repeated lines) are compared once.
    records = sents.to_dict("records")
    uniq_index: dict[str, int] = {}
    infos: list[ClaimInfo] = []
    members_of: list[list[int]] = []
    for r_i, rec in enumerate(records):
        key = _norm_text(_s(rec.get("text")))
        if key not in uniq_index:
            uniq_index[key] = len(infos)
            infos.append(info_from_features(rec, _s(rec.get("text"))))
            members_of.append([])
        members_of[uniq_index[key]].append(r_i)

    grouping = group_claims(infos)
    idf = grouping.idf
    default_idf = max(idf.values()) if idf else 1.0
    cache = grouping.cache

    claim_rows, ev_rows = [], []
    for cluster in grouping.clusters:
        rows = [(u, r) for u in cluster for r in members_of[u]]
        # Reference polarity: the side more independent voices take; a tie goes to the positive one.
        votes: dict[int, set[str]] = {1: set(), -1: set()}
        for u, r in rows:
            rec = records[r]
            aid = str(rec.get("article_id"))
            votes[_polarity(infos[u])].add(voice.get(aid, aid))
        ref_pol = -1 if len(votes[-1]) > len(votes[1]) else 1
        cands = [u for u in cluster if _polarity(infos[u]) == ref_pol] or cluster
        unhedged = [u for u in cands if not infos[u].hedge] or cands
        if len(unhedged) > 1:
            # Most central wording; bounded samples keep huge clusters cheap.
            sample = cluster[:: max(1, len(cluster) // MAX_CENTRALITY)][:MAX_CENTRALITY]
            pool = unhedged[:: max(1, len(unhedged) // MAX_CENTRALITY)][:MAX_CENTRALITY]
            centrality = {u: sum(pair_score(infos[u], infos[v], idf, default_idf, cache)[0]
                                 * len(members_of[v]) for v in sample if v != u)
                          + len(members_of[u]) * 0.01 for u in pool}
            unhedged = pool
            ref = max(unhedged, key=lambda u: (centrality[u], -u))
        else:
            ref = unhedged[0]
        ref_info = infos[ref]

        per_source: dict[str, Counter] = defaultdict(Counter)
        voices: dict[str, set[str]] = {"supports": set(), "contradicts": set(), "hedged": set()}
        themes: Counter = Counter()
        evidence = []
        for u, r in rows:
            rec = records[r]
            if u == ref:
                st, cue = ("supports", "representative wording") if not ref_info.hedge else (
                    "hedged", f"hedge: {ref_info.hedge}")
            else:
                st, cue = stance(ref_info, infos[u])
                key = (min(u, ref), max(u, ref))
                why = grouping.reasons.get(key)
                if why is None:
                    _, shared = pair_score(ref_info, infos[u], idf, default_idf, cache)
                    why = "shared: " + ", ".join(_label(t) for t in shared[:8]) if shared else "via cluster"
                cue = f"{cue}; joined by {why}" if cue else f"joined by {why}"
            src = str(rec.get("source"))
            aid = str(rec.get("article_id"))
            per_source[src][st] += 1
            voices[st].add(voice.get(aid, aid))
            for th in _split(rec.get("themes"), ";"):
                themes[th] += 1
            evidence.append({"article_id": aid, "source": src, "sentence_id": rec.get("sentence_id"),
                             "stance": st, "text": rec.get("text"), "cue": cue})

        # One stance per source: its majority; a tie between support and contradiction shows the conflict.
        src_stance: dict[str, str] = {}
        for src, cnt in per_source.items():
            if cnt["contradicts"] and cnt["contradicts"] >= cnt["supports"]:
                src_stance[src] = "contradicts"
            elif cnt["supports"]:
                src_stance[src] = "supports"
            elif cnt["contradicts"]:
                src_stance[src] = "contradicts"
            else:
                src_stance[src] = "hedged"
        by = {s: sorted(src for src, v in src_stance.items() if v == s) for s in voices}
        # Voices count by source stance: a voice whose source settled on another stance is not counted.
        sup_voices = {voice.get(e["article_id"], e["article_id"]) for e in evidence
                      if e["stance"] == "supports" and src_stance[e["source"]] == "supports"}
        con_voices = {voice.get(e["article_id"], e["article_id"]) for e in evidence
                      if e["stance"] == "contradicts" and src_stance[e["source"]] == "contradicts"}
        hed_voices = {voice.get(e["article_id"], e["article_id"]) for e in evidence
                      if src_stance[e["source"]] == "hedged"}
        n_sup, n_con = len(sup_voices), len(con_voices)
        covering = len(sup_voices | con_voices | hed_voices)
        status = "contested" if n_con else ("consensus" if n_sup >= 2 else "single-source")
        claim_rows.append({
            "text": ref_info.text,
            "themes": ";".join(t for t, _ in themes.most_common()),
            "status": status,
            "sources_support": ";".join(by["supports"]),
            "sources_contradict": ";".join(by["contradicts"]),
            "sources_hedged": ";".join(by["hedged"]),
            "sources_silent": ";".join(s for s in all_sources if s not in src_stance),
            "n_support": n_sup,
            "n_contradict": n_con,
            "agreement": round(n_sup / covering, 4) if covering else 0.0,
            "_evidence": evidence,
            "_order": (0 if status == "contested" else 1 if status == "consensus" else 2,
                       -n_sup, -n_con, -len(rows), min(r for _, r in rows)),
        })
    claim_rows.sort(key=lambda c: c["_order"])
    for n, c in enumerate(claim_rows, start=1):
        cid = f"C{n:03d}" if len(claim_rows) < 1000 else f"C{n:05d}"
        c["claim_id"] = cid
        order = {"supports": 0, "contradicts": 1, "hedged": 2}
        evidence_sorted = sorted(c["_evidence"],
                                 key=lambda e: (order[e["stance"]], e["source"], str(e["sentence_id"])))
        for e in evidence_sorted:
            ev_rows.append({"claim_id": cid, **e})
    claims = pd.DataFrame(claim_rows)[claim_cols] if claim_rows else pd.DataFrame(columns=claim_cols)
    evidence_df = pd.DataFrame(ev_rows, columns=ev_cols)
    return claims.reset_index(drop=True), evidence_df


def source_exclusives_omissions(claims: pd.DataFrame, min_share: float = 0.5) -> pd.DataFrame:
    """Per source: exclusives (single-source claims it alone supports) and omissions (made by most others).

    An omission is a claim supported by at least two sources and by more than ``min_share`` of the
    other sources, on which this source is silent.
    """
    cols = ["source", "kind", "claim_id", "text"]
    if claims is None or claims.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    all_sources: set[str] = set()
    for col in ("sources_support", "sources_contradict", "sources_hedged", "sources_silent"):
        for v in claims[col].fillna(""):
            all_sources.update(_split(v, ";"))
    for rec in claims.to_dict("records"):
        support = _split(rec["sources_support"], ";")
        silent = _split(rec["sources_silent"], ";")
        if rec["status"] == "single-source" and len(support) == 1:
            rows.append({"source": support[0], "kind": "exclusive", "claim_id": rec["claim_id"],
                         "text": rec["text"]})
        if len(support) >= 2:
            for src in silent:
                others = len(all_sources) - 1
                if others > 0 and len(support) / others > min_share:
                    rows.append({"source": src, "kind": "omission", "claim_id": rec["claim_id"],
                                 "text": rec["text"]})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["source", "kind", "claim_id"], kind="stable").reset_index(drop=True)


def claim_method_notes() -> str:
    """Plain-text explanation of how claims, stances and independent voices are computed, and the limits."""
    return (
        "How claims are found\n"
        "- A claim is a declarative body or list-item sentence with a finite predicate and a subject. "
        "Questions, lead-ins ending in a colon, imperatives, headings, citations and boilerplate are not "
        "claims. Sentences are not split into clauses: a sentence that joins two assertions is matched "
        "on both and joins the claim it shares most with.\n"
        "- Each sentence is reduced to key terms: content lemmas (nouns, verbs, adjectives) with "
        "synonyms and nominalisations folded (buy/acquisition, partner/partnership), and names folded to "
        "one key (case, spacing, hyphens, possessives and legal suffixes such as Inc., Platforms, AI). "
        "Figures and dates are left out of the terms: a different figure is a contradiction of the same "
        "claim, not a different claim.\n"
        "- Candidate pairs come from sparse TF-IDF nearest neighbours (top "
        f"{TOP_K} per sentence, computed in memory-bounded chunks) and from sentences whose release-status "
        "words name the same thing; nothing compares every pair of sentences.\n"
        "- Two sentences are the same claim when their IDF-weighted key terms agree (mean of overlap and "
        f"cosine >= {SAME_THRESHOLD}), they share a name whenever both name someone, they share at "
        "least one content term beyond names and very common words, and their main predicates are "
        "compatible (after skipping reporting verbs such as 'announced' or 'said'). Groups are merged "
        "best pair first, and only when at least half of the sentence pairs across the two groups also "
        "match, so one loose link cannot chain different claims.\n"
        "How stances are read\n"
        "- The claim's reference wording is its most central sentence on the side more independent "
        "voices take (positive on a tie). Every other sentence is compared to it: contradicts for an "
        "explicit denial (deny, refute, reject/dismiss a report, call it false), an opposite release "
        "status (launched/released/available vs not yet released/upcoming/delayed/hinted/will launch), "
        "a stated figure vs 'not disclosed', different money/percent/count figures for the same unit, "
        "different absolute dates, or a negated main predicate; hedged for may/might/could, "
        "reportedly/allegedly/likely, 'according to ...', 'is expected/said to', conditional 'if', or "
        "unnamed or third-party voices (analysts, sources, people familiar, reports) saying it; "
        "otherwise supports. A hedged sentence that conflicts is shown as hedged with the conflict in "
        "its cue. A statement attributed to a named party ('the company said') counts as support.\n"
        "- Independent voices: articles whose whole-text TF-IDF cosine is >= "
        f"{SYNDICATION_THRESHOLD} are one syndication group and count once.\n"
        "Limits\n"
        "- Paraphrases that share no content word or synonym (e.g. 'the deal collapsed' vs 'talks "
        "ended without agreement') are missed; the synonym groups are generic news vocabulary.\n"
        "- Relative dates ('last week') and bare numbers without a counted noun are not compared.\n"
        "- Negation and hedges are read from the dependency parse of the main clause; parse errors on "
        "long or unusual sentences can miss or misplace them.\n"
    )


# ---------------------------------------------------------------------------------------------------
# Evaluation on the labelled dev set
# ---------------------------------------------------------------------------------------------------

_DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _features_of(nlp, texts: list[str]) -> dict[str, dict]:
    from analysis.claim_features import claim_features

    out = {}
    uniq = list(dict.fromkeys(texts))
    for text, doc in zip(uniq, nlp.pipe(uniq), strict=True):
        # A test text is one sentence by construction; if spaCy splits it, use the whole doc span.
        out[text] = claim_features(doc[:])
    return out


def evaluate_claims(nlp, pairs_path: str | Path | None = None,
                    stances_path: str | Path | None = None) -> pd.DataFrame:
    """Dev-set metrics per split: pair accuracy, same-claim P/R, contradiction recall/precision, hedges.

    Columns: split, metric, value, n. Contradiction recall counts a contradiction as found only when
    :func:`same_claim` links the two sentences AND :func:`stance` says contradicts.
    """
    pairs = pd.read_csv(pairs_path or _DATA / "claim_pairs.csv")
    stances = pd.read_csv(stances_path or _DATA / "claim_stances.csv")
    texts = (pairs["text_a"].tolist() + pairs["text_b"].tolist() + stances["claim_text"].tolist()
             + stances["other_text"].tolist())
    feats = _features_of(nlp, texts)
    infos = {t: info_from_features(f, t) for t, f in feats.items()}
    # IDF over the labelled texts, as build_claims computes it over the corpus.
    _, idf = _tfidf([sorted(i.terms) for i in infos.values()])
    default_idf = max(idf.values()) if idf else 1.0
    rows = []

    def add(split: str, metric: str, value: float, n: int) -> None:
        rows.append({"split": split, "metric": metric, "value": round(float(value), 4), "n": int(n)})

    for split in sorted(set(pairs["split"])) + ["all"]:
        p = pairs if split == "all" else pairs[pairs["split"] == split]
        pred = [same_claim(infos[a], infos[b], idf, default_idf)[0] for a, b in zip(p["text_a"], p["text_b"],
                                                                                   strict=True)]
        gold = p["same"].astype(int).tolist()
        tp = sum(1 for x, g in zip(pred, gold, strict=True) if x and g)
        fp = sum(1 for x, g in zip(pred, gold, strict=True) if x and not g)
        fn = sum(1 for x, g in zip(pred, gold, strict=True) if not x and g)
        acc = sum(1 for x, g in zip(pred, gold, strict=True) if bool(x) == bool(g)) / max(len(gold), 1)
        add(split, "pair_accuracy", acc, len(gold))
        add(split, "same_precision", tp / (tp + fp) if tp + fp else 0.0, tp + fp)
        add(split, "same_recall", tp / (tp + fn) if tp + fn else 0.0, tp + fn)

    for split in sorted(set(stances["split"])) + ["all"]:
        s = stances if split == "all" else stances[stances["split"] == split]
        found, preds = [], []
        for rec in s.to_dict("records"):
            a, b = infos[rec["claim_text"]], infos[rec["other_text"]]
            linked, _ = same_claim(a, b, idf, default_idf)
            st, _ = stance(a, b)
            preds.append(st)
            found.append(linked and st == "contradicts")
        s = s.assign(_pred=preds, _found=found)
        gold_c = s[s["stance"] == "contradicts"]
        add(split, "contradiction_recall", gold_c["_found"].mean() if len(gold_c) else 0.0, len(gold_c))
        pred_c = s[s["_pred"] == "contradicts"]
        precision = (pred_c["stance"] == "contradicts").mean() if len(pred_c) else 0.0
        add(split, "contradiction_precision", precision, len(pred_c))
        for kind, grp in gold_c.groupby("kind"):
            add(split, f"contradiction_recall[{kind}]", grp["_found"].mean(), len(grp))
        add(split, "stance_accuracy", (s["_pred"] == s["stance"]).mean() if len(s) else 0.0, len(s))
        hedge_ok = (s["_pred"] == "hedged") == (s["stance"] == "hedged")
        add(split, "hedge_accuracy", hedge_ok.mean() if len(s) else 0.0, len(s))
    return pd.DataFrame(rows, columns=["split", "metric", "value", "n"])
