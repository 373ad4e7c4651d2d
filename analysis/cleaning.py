"""Splitting an article's text into typed units: headings, body paragraphs, list items, citations, chrome.

Works line by line on plain text or Markdown (HTML has already been turned into Markdown-ish text).
Only ``body`` and ``list_item`` units count toward coverage; the other kinds are kept so nothing is
silently lost and positions stay faithful to the article.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is only needed by the dev-set evaluation
    import pandas as pd

KINDS = ("heading", "body", "list_item", "citation", "boilerplate")


@dataclass(frozen=True)
class Unit:
    """One typed piece of an article; ``block`` is the 0-based paragraph/line it came from."""

    kind: str
    text: str
    block: int


# --- character-level normalisation -------------------------------------------------------------
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f]")
_SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# Superscript reference markers, optionally comma/dash separated ("¹,²", "¹⁻³").
_SUPERSCRIPT_REF = re.compile(f"[{_SUPERSCRIPT_DIGITS}]+(?:[,\u207b\u2013-][{_SUPERSCRIPT_DIGITS}]+)*")
# "[1]", "[12]", "[1, 2]", "[3–5]", "[^4]"; four digits are left alone ("[2025]" is not a reference).
_BRACKET_REF = re.compile(r"\s?\[\^?\d{1,3}(?:\s*[,\u2013-]\s*\^?\d{1,3})*\]")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[^\S\n]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([.,;:!?])(?=\s|$)")

# --- Markdown -----------------------------------------------------------------------------------
# Inner spans exclude their own delimiters and are length-capped, so a line full of '*' or '[' is
# scanned in linear time instead of backtracking quadratically.
_MD_IMAGE = re.compile(r"!\[[^\]\[\n]{0,500}\]\([^()\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\[\n]{1,500})\]\((?:[^()\n]|\([^()\n]{0,500}\)){0,2000}\)")
# Link text must hold a non-digit so "[12][13]" stays a pair of reference markers.
_MD_REF_LINK = re.compile(r"\[([^\]\[\n]{0,250}[^\]\[\d\s,^\n][^\]\[\n]{0,250})\]\[[^\]\[\n]{0,100}\]")
_MD_FOOTNOTE_LINK = re.compile(r"\[\^?\d{1,3}\]\([^()\n]{0,2000}\)")
_MD_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_STRONG_STAR = re.compile(r"\*\*(?=[^\s*])([^*\n]{1,300}?)(?<=\S)\*\*")
_MD_STRONG_UNDER = re.compile(r"(?<!\w)__(?=[^\s_])([^_\n]{1,300}?)(?<=\S)__(?!\w)")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*])\*(?![\w*])")
_MD_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,300}?)(?<=[^\s_])_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?=[^\s~])([^~\n]{1,300}?)(?<=\S)~~")
_MD_CODE = re.compile(r"`([^`\n]{1,300})`")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,300})?/?>")
_ATX_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_HRULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")

# --- line shapes --------------------------------------------------------------------------------
_BULLET = re.compile(
    r"^\s*(?:[-\u2013\u2014\u2022*+\u00b7\u25aa\u25e6\u25cf\u25ba\u2023\u2043\u2219\u27a2\u2192]"
    r"|\(?\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)](?=\s+[A-Z]))\s+(?:\[[ xX]\]\s+)?"
)
_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
# Flattened bullets: " - " (or en/em dash, bullet) right after sentence-final punctuation.
_INLINE_BULLET = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+[-\u2013\u2014\u2022]\s+(?=\S)")
_TERMINAL = re.compile(r"[.!?;,\u2026][\"'\u201d\u2019)\]]*$")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
# "... said on Friday. Sources: league statement, filings" (a sources line flattened into a paragraph).
_TRAILING_SOURCES = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+(Sources?\s*:\s*\S.*)$", re.IGNORECASE)
_LAST_SENTENCE_START = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "nor",
    "for",
    "of",
    "in",
    "on",
    "at",
    "to",
    "by",
    "with",
    "from",
    "as",
    "vs",
    "via",
    "up",
    "into",
    "over",
    "per",
    "is",
    "are",
    "its",
    "it",
    "than",
    "out",
}

# A heading is at most this many words; longer unpunctuated lines are prose that lost its period.
_HEADING_MAX_WORDS = 14
_HEADING_MAX_CHARS = 140

_REFERENCE_HEADINGS = re.compile(
    r"^(?:citations?|references?|sources?|notes?|footnotes?|endnotes?|bibliography|works cited|"
    r"further reading|sources and notes|notes and references|reference list)\s*:?$",
    re.IGNORECASE,
)
_SOURCES_LINE = re.compile(r"^sources?\s*:\s*\S", re.IGNORECASE)
# Headings that open a block of site chrome (related links, comment forms) rather than article text.
_CHROME_HEADINGS = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|posts?|content|coverage|reading|news|links|topics))?|"
    r"more\s+(?:from|on|stories|news|in|like this)\b.*|you\s+(?:may|might)\s+also\s+like|"
    r"recommended(?:\s+for\s+you|\s+stories|\s+articles|\s+reading)?|read\s+(?:next|more|also)|"
    r"see\s+also|also\s+read|most\s+(?:popular|read|viewed|shared)|trending(?:\s+now|\s+stories)?|"
    r"leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|comments?(?:\s*\(\d+\))?|\d+\s+comments?|"
    r"join\s+the\s+(?:conversation|discussion)|share\s+this(?:\s+(?:article|story|post))?|"
    r"popular\s+(?:posts?|stories|articles)|latest\s+(?:news|stories|posts)|top\s+stories|"
    r"what\s+to\s+read\s+next|editor'?s\s+picks?)\s*:?$",
    re.IGNORECASE,
)
# Generic web chrome, in two tiers so prose that merely mentions these words is safe: navigation-like
# labels only on very short lines, explicit chrome phrases on lines of up to 25 words.
_CHROME_SHORT = re.compile(
    r"^(?:share(?:\s+(?:this|on|via|the|article|story|post)\b.*)?|tweet|email|print|whatsapp|"
    r"subscribe\b.*|sign\s+up\b.*|get\s+(?:our|the)\s+(?:free\s+)?newsletter.*|newsletter\b.*|"
    r"(?:log|sign)\s*(?:in|out)\b.*|register|menu|search|home|"
    r"advertisement|sponsored(?:\s+content)?|ad|"
    r"posted\s+(?:in|on|by|under)\b.*|filed\s+under\b.*|tagged\b.*|tags?\s*:.*|topics?\s*:.*|"
    r"categor(?:y|ies)\s*:.*|skip\s+to\b.*|back\s+to\s+top|jump\s+to\b.*|go\s+to\b.*|"
    r"(?:previous|next|older|newer)\s+(?:article|post|story|page)\b.*|"
    r"follow\s+(?:us|me)\b.*|follow\s+\S+\s+on\s+(?:twitter|x|facebook|instagram|linkedin|threads).*|"
    r"like\s+us\s+on\b.*|find\s+us\s+on\b.*|connect\s+with\s+us.*|loading\.{0,3}|like\s+this\s*:?|"
    r"(?:image|photo|photograph|picture|video|graphic|illustration)(?:\s+credit)?\s*:.*|credit\s*:.*|"
    r"read\s+(?:more|next|also|the\s+full)\b.*|see\s+also\b.*|also\s+read\b.*|more\s+from\b.*|"
    r"recommended(?:\s+(?:for\s+you|stories|articles|reading|videos))?|"
    r"related(?:\s+(?:articles?|stories|posts?|content|coverage|reading|news|links|topics))?\s*:?.*|"
    r"you\s+(?:may|might)\s+also\s+like.*|cancel\s+reply|reply|report|"
    r"(?:last\s+)?(?:updated|published|posted)(?:\s+on)?\s*:?\s+.*\d.*)$",
    re.IGNORECASE,
)
_CHROME_PHRASE = re.compile(
    r"(?:^leave\s+a\s+(?:reply|comment)|^post\s+a\s+comment|all\s+rights\s+reserved|"
    r"^(?:\u00a9|\(c\)\s*\d{4}|copyright\s+(?:\u00a9\s*)?(?:\d{4}|\(c\)))|"
    r"\bwe\s+use\s+cookies|\buses?\s+cookies\b|^accept(?:\s+all)?\s+cookies|"
    r"^cookie\s+(?:policy|settings|preferences|consent|notice)|^manage\s+(?:cookies|consent)|"
    r"^privacy\s+policy|^terms\s+(?:of\s+(?:use|service)|and\s+conditions)|"
    r"^(?:image|photo|photograph|picture|video|graphic|illustration)(?:\s+credit)?\s*:|"
    r"\b(?:click|tap)\s+here\b|"
    r"^(?:read|see)\s+(?:more|next|also)\s*:|^also\s+read\s*:|^related\s*:|^more\s*:|"
    r"^comments?\s+(?:are|is)\s+(?:closed|disabled)|^thanks\s+for\s+reading\b|"
    r"\b(?:subscribe|sign\s+up)\s+(?:for\s+free|now|today|to\s+(?:our|the|my)\s+newsletter|"
    r"for\s+(?:our|the|my)\s+newsletter)\b|"
    r"^(?:subscribe|sign\s+up)\b.*\b(?:newsletter|updates|alerts|podcast|channel|inbox|today|now|free)\b|"
    r"^(?:subscribe|sign\s+up)\s+(?:to|for)\s+(?:our|the)\b|"
    r"your\s+email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked|"
    r"^save\s+my\s+name|^notify\s+me\s+of\b|^this\s+entry\s+was\s+posted|"
    r"^(?:additional\s+)?(?:reporting|writing|editing)\s+by\b|^our\s+standards\s*:|"
    r"^download\s+(?:the|our)\s+(?:free\s+)?app|^listen\s+to\s+this\s+article|"
    r"^\d+\s+min(?:ute)?s?\s+read|^(?:estimated\s+)?reading\s+time\b|"
    # an opinion piece's disclaimer: "The views expressed are his own."
    r"\b(?:views|opinions)\s+(?:expressed\s+)?(?:here\s+|in\s+this\s+\w+\s+)?(?:are|is)\s+"
    r"(?:his|her|their|my|the\s+author'?s?|the\s+writer'?s?)\s+own\b)",
    re.IGNORECASE,
)
# An author's one-line biography at the foot of a piece: "Henrik Dahl is a contributing columnist at
# Counterpoint." A name, "is a/an/the", a few words and a writing job, then at most a few more words.
_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){1,3}\s+is\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,8}?"
    r"(?:columnist|contributor|correspondent|editor|writer|reporter|journalist|commentator|"
    r"contributing\s+writer)s?\b[^.!?]{0,60}[.!?]?$")
_CHROME_SHORT_MAX_WORDS = 8
# "By Jane Smith", "By Jane Smith and Omar Ali, Reuters | 20 Aug 2025": a byline, not article text.
_BYLINE = re.compile(
    r"^(?:By|BY|by)\s+[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|de|van|von|da|del|al|bin|"
    r"and|&|,|\||\u00b7|\u2022|-|\u2013|\u2014|in|at|for|the|of|staff|[0-9][\w:,.]*|"
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?))*,?$"
)
_BYLINE_MAX_WORDS = 14
_BOILERPLATE_MAX_WORDS = 25
# A standalone date or time stamp line ("August 20, 2025", "20 Aug 2025 10:04 GMT").
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_ONLY = re.compile(
    rf"^(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)[a-z]*,?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:[ ,T]+\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?\s*[A-Z]{{0,4}}"
    rf"(?:[+-]\d{{1,2}}:?\d{{0,2}})?)?$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^\s*\[?\^?\d{1,3}[\].)]?\s")
# Breadcrumb trails: "Home » Business » Pharma", "News › World › Europe".
_BREADCRUMB = re.compile(r"^[^»›>]{1,40}(?:\s[»›>]\s[^»›>]{1,40}){2,}$")
_MD_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^[^\]\n]{1,20}\]:\s*")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# Reference-list shapes: "[3] ...", "Surname, First. "Title." Outlet, date.", "..., (2024). Title",
# "Retrieved from", "doi:", a URL after an outlet.
_REFERENCE = re.compile(
    r"(?:^\[\d{1,3}\]\s|^\^?\d{1,3}[.)]?\s+.*(?i:https?://|doi:|retrieved|accessed)|"
    r"^[A-Z][\w'\u2019-]+,\s+(?:[A-Z][\w.'\u2019-]*\s?){1,3}[.,]?\s*(?:\(\d{4}\w?\)|[\"\u201c])|"
    r"\b(?i:retrieved|accessed)\s+(?:on\s+|from\s+)?(?:\d|[A-Z]|https?:)|\b(?i:doi):\s*10\.|"
    r"^[\"\u201c][^\"\u201d]{5,}[\"\u201d]\s*[,.]?\s*(?:[A-Z][\w&.'\u2019-]*\s?){1,5},\s+(?:\d{1,2}\s+)?"
    r"(?i:" + _MONTHS + r"))"
)


def _fold(text: str) -> str:
    """Character-level normalisation: NFC, no zero-width or control chars, Unix line breaks."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text


def _strip_inline_markdown(line: str) -> str:
    # Each pass is guarded by a cheap substring test: most news lines hold no markup at all.
    if "![" in line:
        line = _MD_IMAGE.sub("", line)
    if "](" in line:
        line = _MD_FOOTNOTE_LINK.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
    if "][" in line:
        line = _MD_REF_LINK.sub(r"\1", line)
    if "<" in line:
        line = _MD_AUTOLINK.sub(r"\1", line)
        line = _HTML_TAG.sub(" ", line)
    if "*" in line:
        line = _MD_STRONG_STAR.sub(r"\1", line)
        line = _MD_EM_STAR.sub(r"\1", line)
    if "_" in line:
        line = _MD_STRONG_UNDER.sub(r"\1", line)
        line = _MD_EM_UNDER.sub(r"\1", line)
    if "~~" in line:
        line = _MD_STRIKE.sub(r"\1", line)
    if "`" in line:
        line = _MD_CODE.sub(r"\1", line)
    if "&" in line:
        line = html.unescape(line)
    return line


def _tidy(text: str) -> str:
    """Remove citation markers and normalise spaces inside one unit's text."""
    if not text.isascii():
        text = _SUPERSCRIPT_REF.sub("", text)
    if "[" in text:
        text = _BRACKET_REF.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def _words(text: str) -> list[str]:
    return text.split()


def is_title_case(text: str) -> bool:
    """True when most content words start with a capital or digit (headline / section-head shape)."""
    words = [w.strip("\"'\u201c\u201d\u2018\u2019()[]:,.-\u2013\u2014") for w in text.split()]
    words = [w for w in words if w and any(c.isalpha() for c in w)]
    if not words:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    caps = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return caps / len(content) >= 0.7


def _is_boilerplate(text: str) -> bool:
    n = len(text.split())
    if n > _BOILERPLATE_MAX_WORDS:
        return False
    if n <= _CHROME_SHORT_MAX_WORDS and _CHROME_SHORT.match(text):
        return True
    if n <= _BYLINE_MAX_WORDS and _BYLINE.match(text.replace(",", " , ").replace("|", " | ")):
        return True
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    if _AUTHOR_BIO.match(first):
        return True
    return bool(_CHROME_PHRASE.search(text) or _DATE_ONLY.match(text) or _BREADCRUMB.match(text))


def _is_heading_shape(text: str) -> bool:
    """A short line that does not read as a sentence: no terminal punctuation, or a Title Case question."""
    words = text.split()
    if not words or len(words) > _HEADING_MAX_WORDS or len(text) > _HEADING_MAX_CHARS:
        return False
    first = text.lstrip("\"'\u201c\u2018(")[:1]
    if first.islower():
        return False  # a wrapped continuation or a lower-case fragment, not a head
    if text.endswith(":"):
        # "Key points:" is a label; "This partnership could impact many fields:" is a sentence.
        return len(words) <= 4 or is_title_case(text)
    if text.endswith("?"):
        return is_title_case(text) and len(words) >= 2
    if _TERMINAL.search(text):
        return False
    return True


def _looks_like_reference(text: str) -> bool:
    return bool(_REFERENCE.search(text)) or bool(_URL_ONLY.match(text))


def _split_inline_bullets(text: str) -> list[str]:
    """Split "Intro? - Point one. - Point two." into its pieces (first piece is the lead-in)."""
    if " " not in text or not _INLINE_BULLET.search(text):
        return [text]
    pieces: list[str] = []
    last = 0
    for m in _INLINE_BULLET.finditer(text):
        pieces.append(text[last : m.start()] + m.group(1))
        last = m.end()
    pieces.append(text[last:])
    # A two-word tail ("... said. - Reuters") is an attribution, not a bullet: glue it back on.
    merged: list[str] = [pieces[0]]
    for p in pieces[1:]:
        if len(p.split()) < 3:
            merged[-1] = f"{merged[-1]} - {p}"
        else:
            merged.append(p)
    return [p.strip() for p in merged if p.strip()]


def _split_trailing_question(text: str) -> tuple[str, str | None]:
    """Split "Last point. Next question?" so a flattened FAQ's question is not glued to an answer."""
    if not text.endswith("?"):
        return text, None
    starts = list(_LAST_SENTENCE_START.finditer(text))
    if not starts:
        return text, None
    cut = starts[-1].end()
    head, question = text[:cut].strip(), text[cut:].strip()
    if not head or len(question.split()) < 3:
        return text, None
    return head, question


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True for text broken at a fixed width (e-mail, plain-text wire copy, Markdown source)."""
    lengths = [len(x.strip()) for x in lines if len(x.strip()) > 40]
    if sum(1 for n in lengths if n >= 60) < 3:
        return False
    return sum(1 for n in lengths if n > 120) <= 0.1 * len(lengths)


def _logical_lines(text: str) -> list[tuple[str, bool]]:
    """Raw lines with Markdown block syntax resolved; hard-wrapped prose lines joined.

    Returns (line, is_atx_heading) pairs; blank lines are kept as "" to mark paragraph breaks.
    """
    out: list[tuple[str, bool]] = []
    in_fence = False
    raw = text.split("\n")
    wrapped = _is_hard_wrapped(raw)
    for i, line in enumerate(raw):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(("", False))
            continue
        stripped = line.strip()
        if not stripped:
            out.append(("", False))
            continue
        if not in_fence:
            if (
                _SETEXT_RULE.match(line)
                and out
                and out[-1][0]
                and not _BULLET.match(out[-1][0])
                and (stripped.startswith("=") or len(stripped) >= 2)
            ):
                prev, _ = out[-1]
                out[-1] = (prev, True)  # setext underline: the previous line is a heading
                continue
            if (
                _HRULE.match(line)
                or _TABLE_RULE.match(line)
                or (_MD_LINK_DEF.match(line) and not _MD_FOOTNOTE_DEF.match(line))
            ):
                out.append(("", False))
                continue
            m = _ATX_HEADING.match(line)
            if m and (m.group(2) or "").strip():
                out.append((m.group(2), True))
                out.append(("", False))
                continue
        # Join a hard-wrapped prose line onto the previous one: it starts lower-case (or the previous
        # line is long prose), and the previous line has no sentence end and is not a bullet/head.
        if out and out[-1][0] and not out[-1][1] and i > 0 and raw[i - 1].strip():
            prev = out[-1][0]
            prev_clean = _BLOCKQUOTE.sub("", prev).strip()
            cur = _BLOCKQUOTE.sub("", stripped)
            if (
                not _BULLET.match(cur)
                and not _ATX_HEADING.match(cur)
                and not _SENTENCE_END.search(prev_clean)
                and not prev_clean.endswith(":")
            ):
                starts_lower = cur[:1].islower()
                # Only a text that is hard-wrapped as a whole may have a wrapped line start upper-case;
                # elsewhere a line break before a capital is a real break (headline, byline, paragraph).
                wrapped_prose = (
                    wrapped
                    and len(prev_clean) >= 40
                    and not is_title_case(prev_clean)
                    and not _BULLET.match(prev_clean)
                )
                if starts_lower or wrapped_prose:
                    out[-1] = (f"{prev.rstrip()} {cur}", False)
                    continue
        out.append((line, False))
    return out


def _table_row(line: str) -> str | None:
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 2:
        cells = [c.strip() for c in s.strip("|").split("|")]
        return "; ".join(c for c in cells if c)
    return None


# A wire dateline opening a lead sentence: "SINGAPORE, Aug 10 (Meridian Wire) - ", "LEEDS, England, Feb 24
# (CPA) — ", "LONDON (AP) — ": a city in capitals, a date or an agency, and a dash ("US - China talks"
# has neither, so it stays).
_WIRE_DATELINE = re.compile(r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
                            r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2}(?: \([^)]{1,40}\))?| \([^)]{1,40}\)) ?[-–—]{1,2}\s+")


def wire_dateline_end(text: str) -> int:
    """Where a leading wire dateline ends in ``text`` (0 when there is none): what follows is the story."""
    m = _WIRE_DATELINE.match(text)
    return m.end() if m else 0


def split_units(text: str) -> list[Unit]:
    """Split plain text / Markdown into typed units (heading, body, list_item, citation, boilerplate)."""
    if not isinstance(text, str) or not text:
        return []
    text = _fold(text)
    units: list[Unit] = []
    state: dict[str, str | None] = {"section": None}
    block = -1
    for raw_line, is_md_heading in _logical_lines(text):
        if not raw_line.strip():
            continue
        block += 1
        for kind, piece in _classify_line(raw_line, is_md_heading, state):
            piece = piece.strip()  # pieces are cut from tidied text
            if piece:
                units.append(Unit(kind, piece, block))
    return _mark_nav_runs(units)


def _classify_line(raw_line: str, is_md_heading: bool, state: dict[str, str | None]) -> list[tuple[str, str]]:
    """Kinds and texts of the units on one logical line; ``state['section']`` tracks trailing sections."""
    line = _BLOCKQUOTE.sub("", raw_line)
    footnote = _MD_FOOTNOTE_DEF.match(line)
    if footnote:  # "[^1]: Source, date." is a reference-list entry
        return [("citation", _tidy(_strip_inline_markdown(line[footnote.end() :])))]
    row = _table_row(line)
    is_table = row is not None
    if is_table:
        line = row or ""
    bullet = _BULLET.match(line)
    is_bullet = bool(bullet) and not is_md_heading and not is_table
    if is_bullet:
        line = line[bullet.end() :]
    line = _strip_inline_markdown(line)
    clean = _tidy(line)
    if not clean:
        return []
    if not (is_bullet or is_table or is_md_heading) and state["section"] is None:
        sources = _TRAILING_SOURCES.search(clean) if "ource" in clean else None
        if sources and len(sources.group(2).split()) <= 15:
            lead = clean[: sources.start()] + sources.group(1)
            return _classify_line(lead, False, state) + [("citation", sources.group(2))]
    # A whole line in bold markup is a heading ("**Background**").
    bold_line = bool(re.fullmatch(r"\s*(\*\*|__)[^*_]+\1\s*[:.]?\s*", raw_line)) and not is_bullet
    words = len(clean.split())
    headish = (is_md_heading or bold_line or _is_heading_shape(clean)) and not is_bullet and not is_table
    section = state["section"]
    if headish and _REFERENCE_HEADINGS.match(clean):
        state["section"] = "citation"
        return [("citation", clean)]
    if headish and _CHROME_HEADINGS.match(clean):
        state["section"] = "boilerplate"
        return [("boilerplate", clean)]
    if section is not None:
        # Trailing sections run until a real heading or a long prose paragraph.
        ends = (
            (is_md_heading and not _CHROME_HEADINGS.match(clean))
            or (
                headish
                and section == "citation"
                and words >= 2
                and is_title_case(clean)
                and not _looks_like_reference(clean)
            )
            or (section == "boilerplate" and words >= 25 and bool(_TERMINAL.search(clean)))
        )
        if not ends:
            return [("boilerplate" if _is_boilerplate(clean) else section, clean)]
        state["section"] = None
    if _SOURCES_LINE.match(clean) and words <= 40:
        return [("citation", clean)]
    if _is_boilerplate(clean):
        return [("boilerplate", clean)]
    if (
        (is_bullet or not headish)
        and (
            is_bullet
            or _NUMBERED.match(line)
            or words == 1
            or (words <= 40 and bool(_REFERENCE.match(clean)))
        )
        and _looks_like_reference(clean)
    ):
        return [("citation", clean)]
    if headish:
        return [("heading", clean)]
    if is_bullet or is_table:
        return [("list_item", clean)]
    pieces = _split_inline_bullets(clean)
    out: list[tuple[str, str]] = [("body", pieces[0])]
    items = pieces[1:]
    for j, item in enumerate(items):
        question = None
        if j < len(items) - 1:
            item, question = _split_trailing_question(item)
        out.append(("list_item", item))
        if question:
            out.append(("body", question))
    return out


def _mark_nav_runs(units: list[Unit]) -> list[Unit]:
    """Runs of 3+ tiny heads with nothing between them ("Home / World / Business") are site menus."""
    out = list(units)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].kind in ("heading", "boilerplate") and len(out[j].text.split()) <= 3:
            j += 1
        if j - i >= 3 and any(u.kind == "heading" for u in out[i:j]):
            for k in range(i, j):
                out[k] = Unit("boilerplate", out[k].text, out[k].block)
        i = max(j, i + 1)
    return out


# --- dev-set evaluation --------------------------------------------------------------------------
def evaluate_cleaning(nlp: object | None = None) -> pd.DataFrame:
    """Per-kind precision/recall of split_units against the hand-labelled units in tests/data/corpus."""
    import difflib
    import json
    from pathlib import Path

    import pandas as pd

    root = Path(__file__).resolve().parents[1]
    gold_path = root / "tests" / "data" / "corpus" / "cleaning_gold.json"
    gold_docs = json.loads(gold_path.read_text(encoding="utf-8"))
    tp = dict.fromkeys(KINDS, 0)
    n_gold = dict.fromkeys(KINDS, 0)
    n_pred = dict.fromkeys(KINDS, 0)
    exact_docs = 0
    for doc in gold_docs:
        text = (root / doc["file"]).read_text(encoding="utf-8")
        pred = [(u.kind, u.text) for u in split_units(text)]
        gold = [(k, t) for k, t in doc["units"]]
        for k, _ in gold:
            n_gold[k] += 1
        for k, _ in pred:
            n_pred[k] += 1
        # Units match when their texts match; a kind counts as right only on a text match.
        sm = difflib.SequenceMatcher(a=[t for _, t in gold], b=[t for _, t in pred], autojunk=False)
        for a, b, size in sm.get_matching_blocks():
            for i in range(size):
                if gold[a + i][0] == pred[b + i][0]:
                    tp[gold[a + i][0]] += 1
        exact_docs += int(gold == pred)
    rows = []
    for k in KINDS:
        p = tp[k] / n_pred[k] if n_pred[k] else float("nan")
        r = tp[k] / n_gold[k] if n_gold[k] else float("nan")
        f = 2 * p * r / (p + r) if n_pred[k] and n_gold[k] and (p + r) else float("nan")
        rows.append(
            {
                "area": "cleaning",
                "metric": f"{k} f1",
                "value": round(f, 3),
                "gold": n_gold[k],
                "predicted": n_pred[k],
                "correct": tp[k],
                "precision": round(p, 3),
                "recall": round(r, 3),
            }
        )
    total_gold = sum(n_gold.values())
    rows.append(
        {
            "area": "cleaning",
            "metric": "unit accuracy",
            "value": round(sum(tp.values()) / total_gold, 3) if total_gold else float("nan"),
            "gold": total_gold,
            "predicted": sum(n_pred.values()),
            "correct": sum(tp.values()),
            "precision": float("nan"),
            "recall": float("nan"),
        }
    )
    rows.append(
        {
            "area": "cleaning",
            "metric": "documents exactly right",
            "value": exact_docs,
            "gold": len(gold_docs),
            "predicted": float("nan"),
            "correct": exact_docs,
            "precision": float("nan"),
            "recall": float("nan"),
        }
    )
    return pd.DataFrame(rows)
