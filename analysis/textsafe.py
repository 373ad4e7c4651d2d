"""Safe display of untrusted article text in Markdown: escaping and cue-word highlighting.

Article text, titles and source names come from arbitrary uploads. Streamlit's Markdown understands
more than CommonMark (``:color[...]`` directives, ``:emoji:`` shortcodes, ``$LaTeX$``, raw HTML is
dropped), so every character that could start any of those is backslash-escaped before the text is
placed inside Markdown. Highlights are the only Markdown we add, and we add them around escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Every ASCII punctuation character CommonMark lets a backslash escape that can start syntax in
# Streamlit's Markdown flavour (emphasis, links, HTML, tables, directives, shortcodes, math, headings,
# lists, entities). Escaping one that needs no escape is harmless: "\." renders as ".".
_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=\"'^%@])")
_WS = re.compile(r"\s+")
# Some syntax is recognised on the parsed text, after backslash escapes are resolved: ":material/x:"
# icons, bare URLs and e-mail addresses (GFM autolinks). A zero-width space after the colon, the "@" and
# a leading "www" breaks those patterns while the text reads the same.
_ZWSP = "\u200b"
_AUTOLINK_WWW = re.compile(r"(?i)\b(www)(?=\\\.)")
_BREAK_AFTER = re.compile(r"(\\[:@])(?=[^\s\d])")


def escape_markdown(text: object) -> str:
    """Text made inert for st.markdown: specials backslash-escaped, whitespace runs folded to one space."""
    if text is None or (isinstance(text, float) and text != text):  # None or a NaN cell
        return ""
    s = str(text)
    # Newlines would start new blocks (a heading, a list, an indented code block) and are never needed
    # inside a one-line sentence display.
    s = _WS.sub(" ", s).strip()
    s = _SPECIALS.sub(r"\\\1", s)
    # Only where a shortcode, icon or address could start (a letter or "/" follows), so ids like
    # "a01:007" and "source: x" stay copyable as they are.
    s = _BREAK_AFTER.sub(r"\1" + _ZWSP, s)
    return _AUTOLINK_WWW.sub(r"\1" + _ZWSP, s)


def parse_cues(theme_cues: object) -> dict[str, list[str]]:
    """Parse a ``theme_cues`` cell ("copyright: lawsuit, fair use; strategy: deal") into {theme: [cues]}."""
    out: dict[str, list[str]] = {}
    if not isinstance(theme_cues, str) or not theme_cues.strip():
        return out
    for part in theme_cues.split(";"):
        theme, sep, cues = part.partition(":")
        if not sep:
            continue
        items = [c.strip() for c in cues.split(",") if c.strip()]
        if theme.strip():
            out.setdefault(theme.strip(), []).extend(items)
    return out


def _cue_spans(text: str, cue: str, tokens: Sequence[str], lemmas: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of one cue in the sentence: by surface words, or by lemmas mapped to surface."""
    words = cue.lower().split()
    if not words:
        return []
    phrases = {tuple(words)}
    # Cues are usually lemmas ("license") while the text has an inflection ("licensed"): find the lemma
    # sequence in the aligned lemma list and search for the surface tokens it stands for instead.
    if tokens and len(tokens) == len(lemmas):
        n = len(words)
        for i in range(len(lemmas) - n + 1):
            if list(lemmas[i:i + n]) == words:
                phrases.add(tuple(tokens[i:i + n]))
    spans = []
    for phrase in phrases:
        pattern = r"(?<!\w)" + r"\W{0,3}".join(re.escape(w) for w in phrase) + r"(?!\w)"
        spans.extend((m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.IGNORECASE))
    return spans


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight_markdown(text: object, cues: Iterable[str], *, tokens: str = "", lemmas: str = "",
                       color: str = "blue") -> str:
    """Escaped Markdown of a sentence with each cue occurrence wrapped in ``:{color}-background[...]``.

    ``tokens``/``lemmas`` are the sentence's space-joined aligned columns, used to find cues given as
    lemmas. Cues that cannot be located are simply not highlighted (the cue list is shown beside).
    """
    missing = text is None or (isinstance(text, float) and text != text)
    raw = "" if missing else _WS.sub(" ", str(text)).strip()
    tok = tokens.split() if isinstance(tokens, str) else []
    lem = lemmas.split() if isinstance(lemmas, str) else []
    spans = _merge(s for cue in cues for s in _cue_spans(raw, cue, tok, lem))
    out, last = [], 0
    for start, end in spans:
        out.append(escape_markdown(raw[last:start]) if start > last else "")
        # Keep the spaces around a highlight: escape_markdown strips the ends of each piece.
        if start > last and raw[start - 1].isspace():
            out.append(" ")
        out.append(f":{color}-background[{escape_markdown(raw[start:end])}]")
        if end < len(raw) and raw[end].isspace():
            out.append(" ")
        last = end
    out.append(escape_markdown(raw[last:]))
    return "".join(out)
