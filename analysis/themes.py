"""Theme tagging: user-editable cue lists (TOML) matched on sentence lemmas and surface tokens.

Each theme has plain cues (count anywhere), optional context rules (cues that count only with, or
without, certain terms within a window of words) and optional exclude phrases (cue matches that lie
inside one of them do not count). Matching works on the cached ``lemmas`` / ``tokens`` columns only,
so tagging a corpus needs no parse and is re-run cheaply when the themes file changes.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

DEFAULT_THEMES_PATH = Path(__file__).resolve().parent / "data" / "themes.toml"
DEFAULT_DEV_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "themes_dev.csv"
TAGGED_KINDS = frozenset({"body", "list_item"})

_THEME_KEYS = {"name", "definition", "cues", "weak", "exclude", "context"}
_CONTEXT_KEYS = {"cues", "near", "not_near", "window", "weak"}
_FORBIDDEN_NAME_CHARS = (";", ":", ",")


class ThemeConfigError(ValueError):
    """The themes file is missing, not valid TOML, or a theme in it is malformed."""


@dataclass(frozen=True)
class ContextRule:
    """Cues that count only when a `near` term is within `window` words and no `not_near` term is."""

    cues: tuple[str, ...]
    near: tuple[str, ...] = ()
    not_near: tuple[str, ...] = ()
    window: int = 0  # 0 = anywhere in the sentence
    weak: bool = False


@dataclass(frozen=True)
class Theme:
    """One theme: name, one-line definition, plain cues, weak cues, context rules, exclude phrases."""

    name: str
    definition: str
    cues: tuple[str, ...]
    context: tuple[ContextRule, ...] = ()
    exclude: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()


# A compiled phrase: for each word position, the set of forms (lemma and surface) it accepts.
_Forms = tuple[frozenset[str], ...]


@dataclass(frozen=True)
class _Entry:
    forms: _Forms
    theme: int
    role: str  # "cue" | "weak" | "near" | "not_near" | "exclude"
    rule: int  # index into the theme's context rules; -1 for plain cues and excludes
    label: str  # the phrase as written in the file (shown as evidence)


_Index = dict[str, tuple[_Entry, ...]]  # first-word form -> phrases starting with it


@dataclass(frozen=True)
class _Matcher:
    """Compiled phrase indexes, built once per ThemeSet.

    `main` holds cues, weak cues and excludes of every theme; `context` holds, per (theme, rule,
    role), the near / not_near terms, which are only looked for around a cue of that rule.
    """

    main: _Index
    context: dict[tuple[int, int, str], _Index]
    span: dict[tuple[int, int, str], int]  # longest phrase length per context index (window reach)


@dataclass(frozen=True)
class ThemeSet:
    """The loaded themes, the sha256 of the file they came from, and their compiled matcher."""

    themes: tuple[Theme, ...]
    digest: str
    _matcher: _Matcher = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    @property
    def names(self) -> list[str]:
        """Theme names in file order."""
        return [t.name for t in self.themes]


# --------------------------------------------------------------------------------------------------
# Loading and validation


def _fail(path: Path, msg: str, theme: str | None = None) -> ThemeConfigError:
    where = f"{path}" + (f", theme {theme!r}" if theme else "")
    return ThemeConfigError(f"{where}: {msg}")


def _str_list(value: Any, path: Path, theme: str, key: str, *, required: bool) -> tuple[str, ...]:
    if value is None:
        if required:
            raise _fail(path, f"missing required key {key!r} (a list of words or phrases)", theme)
        return ()
    if isinstance(value, str) or not isinstance(value, list):
        raise _fail(path, f"{key!r} must be a list of strings, e.g. {key} = [\"word\", \"two words\"]", theme)
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise _fail(path, f"{key!r} must contain only strings; found {item!r}", theme)
        item = " ".join(item.split())
        if item:
            out.append(item)
    if required and not out:
        raise _fail(path, f"{key!r} is empty: give at least one cue", theme)
    return tuple(dict.fromkeys(out))  # de-duplicate, keep file order


def _parse_theme(raw: Any, idx: int, path: Path) -> Theme:
    if not isinstance(raw, dict):
        raise _fail(path, f"[[theme]] entry #{idx + 1} is not a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(path, f"[[theme]] entry #{idx + 1} has no 'name' (a non-empty string)")
    name = name.strip()
    if any(ch in name for ch in _FORBIDDEN_NAME_CHARS):
        raise _fail(path, "name must not contain ';', ':' or ',' (they separate themes and cues in exports)",
                    name)
    unknown = set(raw) - _THEME_KEYS
    if unknown:
        raise _fail(path, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_THEME_KEYS)}", name)
    definition = raw.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        raise _fail(path, "missing required key 'definition' (a one-line string)", name)
    cues = _str_list(raw.get("cues"), path, name, "cues", required=True)
    exclude = _str_list(raw.get("exclude"), path, name, "exclude", required=False)
    weak = _str_list(raw.get("weak"), path, name, "weak", required=False)
    rules_raw = raw.get("context", [])
    if isinstance(rules_raw, dict):
        rules_raw = [rules_raw]
    if not isinstance(rules_raw, list):
        raise _fail(path, "'context' must be [[theme.context]] tables", name)
    rules: list[ContextRule] = []
    for j, r in enumerate(rules_raw):
        label = f"context rule #{j + 1}"
        if not isinstance(r, dict):
            raise _fail(path, f"{label} is not a table", name)
        unknown = set(r) - _CONTEXT_KEYS
        if unknown:
            raise _fail(path, f"{label}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_CONTEXT_KEYS)}",
                        name)
        rcues = _str_list(r.get("cues"), path, name, f"{label} cues", required=True)
        near = _str_list(r.get("near"), path, name, f"{label} near", required=False)
        not_near = _str_list(r.get("not_near"), path, name, f"{label} not_near", required=False)
        if not near and not not_near:
            raise _fail(path, f"{label}: give 'near' and/or 'not_near' (otherwise list the cues in 'cues')",
                        name)
        window = r.get("window", 0)
        if isinstance(window, bool) or not isinstance(window, int) or window < 0:
            raise _fail(path, f"{label}: 'window' must be a whole number >= 0 (0 = whole sentence)", name)
        rweak = r.get("weak", False)
        if not isinstance(rweak, bool):
            raise _fail(path, f"{label}: 'weak' must be true or false", name)
        rules.append(ContextRule(rcues, near, not_near, window, rweak))
    return Theme(name, " ".join(definition.split()), cues, tuple(rules), exclude, weak)


def _cue_lemma(tok: Token) -> str:
    """The lemma a cue word also matches: plural nouns fold ("lawsuits", "data" -> "datum").

    A cue lemmatized out of context is often read as a verb form ("funding" -> "fund", "dealing" ->
    "deal"), which would widen it to words the user did not write; so a cue written as a verb
    form or comparative matches only itself. Base forms match every inflection through the
    sentence lemmas anyway.
    """
    lemma = tok.lemma_.lower().strip() or tok.lower_
    return lemma if tok.tag_ in ("NNS", "NNPS") else tok.lower_


def _phrase_forms(phrases: Sequence[str], nlp: Language) -> dict[str, _Forms]:
    """Lemma and surface form of every word of every phrase, aligned like the sentence columns."""
    from analysis.nlp import is_word

    out: dict[str, _Forms] = {}
    # Only the tagger/lemmatizer matter for cue lemmas; the parser and NER would just cost time.
    disable = [p for p in ("parser", "ner") if p in nlp.pipe_names]
    for phrase, doc in zip(phrases, nlp.pipe(phrases, disable=disable), strict=False):
        forms = tuple(frozenset({t.lower_, _cue_lemma(t)}) for t in doc if is_word(t))
        if forms:
            out[phrase] = forms
    return out


def _index(entries: Iterable[_Entry]) -> _Index:
    idx: dict[str, list[_Entry]] = {}
    for e in entries:
        for f in e.forms[0]:
            idx.setdefault(f, []).append(e)
    return {k: tuple(v) for k, v in idx.items()}


def _compile(themes: Sequence[Theme], nlp: Language) -> _Matcher:
    specs: list[tuple[str, int, str, int]] = []
    for ti, th in enumerate(themes):
        specs += [(c, ti, "cue", -1) for c in th.cues]
        specs += [(c, ti, "weak", -1) for c in th.weak]
        specs += [(c, ti, "exclude", -1) for c in th.exclude]
        for ri, rule in enumerate(th.context):
            specs += [(c, ti, "weak" if rule.weak else "cue", ri) for c in rule.cues]
            specs += [(c, ti, "near", ri) for c in rule.near]
            specs += [(c, ti, "not_near", ri) for c in rule.not_near]
    forms = _phrase_forms(list(dict.fromkeys(s[0] for s in specs)), nlp)
    entries = [_Entry(forms[p], ti, role, ri, p) for p, ti, role, ri in specs if p in forms]
    main = _index(e for e in entries if e.role in ("cue", "weak", "exclude"))
    groups: dict[tuple[int, int, str], list[_Entry]] = {}
    for e in entries:
        if e.role in ("near", "not_near"):
            groups.setdefault((e.theme, e.rule, e.role), []).append(e)
    return _Matcher(main, {k: _index(v) for k, v in groups.items()},
                    {k: max(len(e.forms) for e in v) for k, v in groups.items()})


def load_themes(path: str | Path | None = None, nlp: Language | None = None) -> ThemeSet:
    """Read, validate and compile a themes TOML file (default: analysis/data/themes.toml)."""
    p = Path(path) if path is not None else DEFAULT_THEMES_PATH
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ThemeConfigError(f"{p}: cannot read the themes file ({exc.strerror or exc})") from exc
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ThemeConfigError(f"{p}: not UTF-8 text ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThemeConfigError(f"{p}: invalid TOML: {exc}") from exc
    raw_themes = doc.get("theme")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise ThemeConfigError(f"{p}: no themes found; define each theme in a [[theme]] table")
    themes = tuple(_parse_theme(raw, i, p) for i, raw in enumerate(raw_themes))
    seen: set[str] = set()
    for th in themes:
        if th.name.lower() in seen:
            raise _fail(p, "theme name used twice", th.name)
        seen.add(th.name.lower())
    if nlp is None:
        from analysis.nlp import load_nlp

        nlp = load_nlp()
    return ThemeSet(themes, hashlib.sha256(data).hexdigest(), _compile(themes, nlp))


# --------------------------------------------------------------------------------------------------
# Matching


def _find(lemmas: Sequence[str], tokens: Sequence[str], index: _Index, lo: int = 0,
          hi: int | None = None) -> list[tuple[int, int, _Entry]]:
    """Phrase matches (start, end, entry) starting in [lo, hi); a word matches by lemma or surface form."""
    n = len(lemmas)
    hi = n if hi is None or hi > n else hi
    lo = lo if lo > 0 else 0
    get = index.get
    hits: list[tuple[int, int, _Entry]] = []
    if lo == 0 and hi == n:
        # Set intersections run in C; only positions holding a phrase's first word are visited.
        present = index.keys() & set(lemmas)
        present.update(index.keys() & set(tokens))
        if not present:
            return hits
        positions: Iterable[int] = [i for i, w in enumerate(lemmas) if w in present or tokens[i] in present]
    else:
        positions = range(lo, hi)
    for i in positions:
        lem = lemmas[i]
        tok = tokens[i]
        group = get(lem)
        if tok != lem:
            extra = get(tok)
            if extra is not None:
                # Phrases reachable through the surface form only (not already through the lemma).
                extra = tuple(e for e in extra if lem not in e.forms[0])
                group = extra if group is None else group + extra
        if group is None:
            continue
        for e in group:
            forms = e.forms
            k = len(forms)
            if k == 1:
                hits.append((i, i + 1, e))
            elif i + k <= n:
                for j in range(1, k):
                    f = forms[j]
                    if lemmas[i + j] not in f and tokens[i + j] not in f:
                        break
                else:
                    hits.append((i, i + k, e))
    return hits


def _context_hit(lemmas: Sequence[str], tokens: Sequence[str], m: _Matcher, key: tuple[int, int, str],
                 s: int, e: int, window: int) -> bool:
    """Is a term of context group `key` within `window` words of the cue span [s, e)?"""
    index = m.context.get(key)
    if not index:
        return False
    reach = m.span[key]
    if window == 0:
        found = _find(lemmas, tokens, index)
    else:
        found = _find(lemmas, tokens, index, s - window - reach + 1, e + window)
    for fs, fe, _ in found:
        if fe <= s:
            if window == 0 or s - fe < window:
                return True
        elif e <= fs:
            if window == 0 or fs - e < window:
                return True
        elif fs <= s and e <= fe and (fs, fe) != (s, e):
            # A context term that contains the cue (not_near "business model" around cue "model")
            # is context; one that is only a part of the cue is not.
            return True
    return False


def _match_themes(lemmas: Sequence[str], tokens: Sequence[str], ts: ThemeSet) -> dict[int, list[str]]:
    """Theme index -> matched cue labels (sentence order, longest phrase wins, de-duplicated)."""
    m = ts._matcher
    hits = _find(lemmas, tokens, m.main)
    if not hits:
        return {}
    excludes: dict[int, list[tuple[int, int]]] = {}
    for s, e, ent in hits:
        if ent.role == "exclude":
            excludes.setdefault(ent.theme, []).append((s, e))
    accepted: dict[int, list[tuple[int, int, str, bool]]] = {}
    seen: dict[tuple[int, int, int], int] = {}
    for s, e, ent in hits:
        if ent.role == "exclude":
            continue
        ti = ent.theme
        ex = excludes.get(ti)
        if ex and any(xs <= s and e <= xe for xs, xe in ex):
            continue
        ri = ent.rule
        if ri >= 0:
            rule = ts.themes[ti].context[ri]
            if rule.near and not _context_hit(lemmas, tokens, m, (ti, ri, "near"), s, e, rule.window):
                continue
            if rule.not_near and _context_hit(lemmas, tokens, m, (ti, ri, "not_near"), s, e, rule.window):
                continue
        kept = accepted.setdefault(ti, [])
        weak = ent.role == "weak"
        where = seen.get((ti, s, e))
        if where is None:
            seen[(ti, s, e)] = len(kept)
            kept.append((s, e, ent.label, weak))
        else:
            # "mislead" and "misleading" both hit one word: report it once, in the sentence's
            # wording; a word that is a strong cue stays strong even if also listed as weak.
            old = kept[where]
            label = ent.label if ent.label == " ".join(tokens[s:e]) else old[2]
            kept[where] = (s, e, label, old[3] and weak)
    if not accepted:
        return {}
    # Weak cues signal a theme only when nothing else explains the sentence: "tools" in a sentence
    # about a deal is not a product story, "tools" on its own is. Two different weak cues of one
    # theme together count as a strong one.
    strong = {ti for ti, kept in accepted.items()
              if any(not k[3] for k in kept) or len({k[2] for k in kept if k[3]}) >= 2}
    out: dict[int, list[str]] = {}
    for ti, kept in accepted.items():
        if strong and ti not in strong:
            continue
        if len(kept) > 1:
            # Report "fair use", not also "use"; "copyright infringement", not also "copyright".
            kept = sorted(k for k in kept if not any(
                o is not k and o[0] <= k[0] and k[1] <= o[1] and (o[1] - o[0]) > (k[1] - k[0]) for o in kept))
        out[ti] = list(dict.fromkeys(k[2] for k in kept))
    return out


def _tag_one(lemmas: str, tokens: str, ts: ThemeSet) -> tuple[str, str]:
    lem = lemmas.split()
    tok = tokens.split()
    if len(tok) != len(lem):  # columns should align 1:1; never lose the lemma matches if not
        tok = lem
    found = _match_themes(lem, tok, ts)
    if not found:
        return "", ""
    order = sorted(found)
    themes = ";".join(ts.themes[i].name for i in order)
    cues = "; ".join(f"{ts.themes[i].name}: {', '.join(found[i])}" for i in order)
    return themes, cues


def tag_themes(sentences: pd.DataFrame, theme_set: ThemeSet) -> pd.DataFrame:
    """Return a copy of `sentences` with `themes` and `theme_cues` (body/list_item rows only)."""
    out = sentences.copy()
    n = len(out)
    themes = [""] * n
    cues = [""] * n
    if n:
        lem_col = out["lemmas"].fillna("").astype(str).tolist()
        tok_col = out["tokens"].fillna("").astype(str).tolist() if "tokens" in out else lem_col
        kinds = out["kind"].tolist() if "kind" in out else ["body"] * n
        memo: dict[tuple[str, str], tuple[str, str]] = {}  # boilerplate repeats across articles
        for i, (kind, lem, tok) in enumerate(zip(kinds, lem_col, tok_col, strict=False)):
            if kind not in TAGGED_KINDS:
                continue
            key = (lem, tok)
            res = memo.get(key)
            if res is None:
                res = memo[key] = _tag_one(lem, tok, theme_set)
            themes[i], cues[i] = res
    out["themes"] = themes
    out["theme_cues"] = cues
    return out


def tag_text(text: str, theme_set: ThemeSet, nlp: Language) -> tuple[list[str], dict[str, list[str]]]:
    """Tag one text as a single body unit: (theme names in file order, theme -> matched cues)."""
    from analysis.nlp import span_lemmas, span_tokens

    doc = nlp(text)
    lem = span_lemmas(doc).split()
    tok = span_tokens(doc).split()
    if len(tok) != len(lem):
        tok = lem
    found = _match_themes(lem, tok, theme_set)
    names = [theme_set.themes[i].name for i in sorted(found)]
    return names, {theme_set.themes[i].name: found[i] for i in sorted(found)}


# --------------------------------------------------------------------------------------------------
# Evaluation


def evaluate_themes(nlp: Language, dev_path: str | Path | None = None, split: str | None = None,
                    theme_set: ThemeSet | None = None) -> pd.DataFrame:
    """Per-theme precision/recall/F1/support on the labelled dev set, plus a final 'macro' row.

    `split` selects rows of the csv's split column ('dev' or 'test'); None scores every row.
    """
    from analysis.nlp import span_lemmas, span_tokens

    df = pd.read_csv(Path(dev_path) if dev_path is not None else DEFAULT_DEV_PATH)
    if split is not None and "split" in df:
        df = df[df["split"] == split]
    ts = theme_set or load_themes(nlp=nlp)
    texts = df["text"].astype(str).tolist()
    docs = list(nlp.pipe(texts))
    frame = pd.DataFrame({"kind": "body", "lemmas": [span_lemmas(d) for d in docs],
                          "tokens": [span_tokens(d) for d in docs]})
    predicted = tag_themes(frame, ts)["themes"].tolist()
    rows = []
    for name in ts.names:
        if name not in df:
            continue
        gold = df[name].astype(int).tolist()
        pred = [int(name in p.split(";")) for p in predicted]
        tp = sum(g and p for g, p in zip(gold, pred, strict=False))
        fp = sum(p and not g for g, p in zip(gold, pred, strict=False))
        fn = sum(g and not p for g, p in zip(gold, pred, strict=False))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append({"theme": name, "precision": prec, "recall": rec, "f1": f1, "support": sum(gold)})
    res = pd.DataFrame(rows, columns=["theme", "precision", "recall", "f1", "support"])
    if len(res):
        macro = {"theme": "macro", "precision": res["precision"].mean(), "recall": res["recall"].mean(),
                 "f1": res["f1"].mean(), "support": int(res["support"].sum())}
        res = pd.concat([res, pd.DataFrame([macro])], ignore_index=True)
    return res
