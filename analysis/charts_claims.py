"""Claims page helpers: the claims x sources stance grid, view filters, and evidence cue parsing.

Pure functions of the ``claims`` / ``claim_evidence`` tables (no Streamlit). The grid's stance colours
are Okabe-Ito (colour-blind safe) and every cell also carries a symbol, so the grid reads without
colour: supports ✓ blue, contradicts ✗ vermillion, hedged ? orange, silent blank grey.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import label_margin
from analysis.textsafe import escape_markdown, highlight_markdown

STANCES = ("supports", "contradicts", "hedged", "silent")
STANCE_COLUMNS = {
    "supports": "sources_support",
    "contradicts": "sources_contradict",
    "hedged": "sources_hedged",
    "silent": "sources_silent",
}
STANCE_COLORS = {
    "supports": "#0072B2",
    "contradicts": "#D55E00",
    "hedged": "#E69F00",
    # Translucent grey recedes on both a white and a dark background.
    "silent": "rgba(150,150,150,0.22)",
}
STANCE_SYMBOLS = {"supports": "✓", "contradicts": "✗", "hedged": "?", "silent": ""}
STANCE_LABELS = {
    "supports": "supports",
    "contradicts": "contradicts",
    "hedged": "hedged (reported as possible / attributed)",
    "silent": "silent (not mentioned)",
}
# Streamlit Markdown background colours used to highlight each stance's cue words.
STANCE_MD_COLORS = {"supports": "blue", "contradicts": "red", "hedged": "orange"}
STATUSES = ("contested", "consensus", "single-source")
STATUS_ORDER = {s: i for i, s in enumerate(STATUSES)}
# z codes of the grid; the colour scale is stepped so each code gets exactly one flat colour.
STANCE_CODE = {"silent": 0, "hedged": 1, "contradicts": 2, "supports": 3}
LABEL_CHARS = 80


def _split(value: object, sep: str = ";") -> list[str]:
    if not isinstance(value, str):
        return []
    return [v for v in value.split(sep) if v]


def short_text(text: object, limit: int = LABEL_CHARS) -> str:
    """One-line text cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    s = re.sub(r"\s+", " ", "" if not isinstance(text, str) else text).strip()
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def wrap_hover(text: object, width: int = 70) -> str:
    """Text wrapped with <br> for a plotly hover (hover labels do not wrap on their own)."""
    s = re.sub(r"\s+", " ", "" if not isinstance(text, str) else text).strip()
    # Plotly hover text is HTML-ish: a literal "<" in article text must not start a tag.
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(textwrap.wrap(s, width)) if s else ""


def claim_themes(value: object) -> list[str]:
    """The ';'-joined themes cell as a list."""
    return _split(value)


def filter_claims(
    claims: pd.DataFrame,
    sources: Sequence[str],
    statuses: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    all_themes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Claims restricted to the chosen sources, statuses and themes, contested first.

    The sources_* columns keep only the chosen sources (so filtered sources drop out of the grid) and
    claims none of the chosen sources mentions are dropped. Status, n_* and agreement stay as computed
    over the whole corpus. A theme filter keeps claims with at least one chosen theme; claims without
    a theme are kept only while every theme is selected (no theme filter in effect).
    """
    if claims is None or claims.empty:
        return pd.DataFrame(columns=list(claims.columns) if claims is not None else [])
    keep = set(sources)
    out = claims.copy()
    for col in STANCE_COLUMNS.values():
        out[col] = out[col].map(lambda v: ";".join(s for s in _split(v) if s in keep))
    covered = (
        (out["sources_support"] != "") | (out["sources_contradict"] != "") | (out["sources_hedged"] != "")
    )
    out = out[covered]
    if statuses is not None:
        out = out[out["status"].isin(list(statuses))]
    if themes is not None:
        chosen = set(themes)
        everything = all_themes is not None and chosen >= set(all_themes)
        if not everything:
            out = out[out["themes"].map(lambda v: bool(chosen & set(_split(v))))]
    order = out["status"].map(STATUS_ORDER).fillna(len(STATUSES))
    out = out.assign(_o=order).sort_values(["_o", "claim_id"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def stance_matrix(claims: pd.DataFrame, sources: Sequence[str]) -> pd.DataFrame:
    """claims (rows, by claim_id) x sources (columns): each cell's stance; 'silent' where none is listed."""
    mat = pd.DataFrame("silent", index=list(claims["claim_id"]), columns=list(sources), dtype=object)
    for rec in claims.itertuples(index=False):
        for stance in ("hedged", "contradicts", "supports"):
            for src in _split(getattr(rec, STANCE_COLUMNS[stance])):
                if src in mat.columns:
                    mat.at[rec.claim_id, src] = stance
    return mat


def claim_row_label(claim_id: str, text: object, limit: int = LABEL_CHARS) -> str:
    """The grid's row label: claim id and the claim shortened to ``limit`` characters."""
    return f"{claim_id} · {short_text(text, limit)}"


def _stepped_scale() -> list[list]:
    n = len(STANCE_CODE)
    scale = []
    for stance, code in sorted(STANCE_CODE.items(), key=lambda kv: kv[1]):
        scale += [[code / n, STANCE_COLORS[stance]], [(code + 1) / n, STANCE_COLORS[stance]]]
    return scale


def _grid_margins(labels: Sequence[str], sources: Sequence[str]) -> dict[str, int]:
    """Margins that already fit the row labels (left) and the slanted source names (top).

    With automargin Plotly draws the grid, measures its labels and draws it again: a second full draw
    of every cell on each filter change. Widths are estimated from the character counts (12 px text
    measured at about 4.8 px a character in Chromium, plus slack; source names slant at 30 degrees, so
    half their length is height).
    """
    return {"l": label_margin(labels, px_per_char=5.2, cap=520), "r": 150,
            "t": label_margin(sources, px_per_char=0.5 * 7.2, cap=220, pad=32), "b": 8}


def build_claim_grid_figure(
    claims: pd.DataFrame, sources: Sequence[str], status_totals: Mapping[str, int] | None = None
) -> go.Figure:
    """Heatmap grid of claims (rows, in table order, top to bottom) x sources, coloured by stance.

    Consecutive rows of one status form a block, named on the right ("contested: 1"); ``status_totals``
    gives the block's total when only the first claims of a longer list are drawn.
    """
    mat = stance_matrix(claims, sources)
    labels = [claim_row_label(c, t) for c, t in zip(claims["claim_id"], claims["text"], strict=True)]
    z = mat.replace(STANCE_CODE).astype(float).to_numpy().tolist() if len(mat) else []
    text = [[STANCE_SYMBOLS[v] for v in row] for row in mat.to_numpy().tolist()]
    hover_claim = [wrap_hover(t) for t in claims["text"]]
    custom = [
        [
            [STANCE_LABELS[v], hover_claim[i], claims["status"].iloc[i], claims["claim_id"].iloc[i]]
            for v in row
        ]
        for i, row in enumerate(mat.to_numpy().tolist())
    ]
    n = len(STANCE_CODE)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(sources),
            y=labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 15},
            colorscale=_stepped_scale(),
            zmin=0,
            zmax=n,
            showscale=False,
            xgap=3,
            ygap=3,
            hoverinfo="skip",
        )
    )
    # Plotly heatmaps cannot be selected, so clicks land on an invisible marker per cell, which also
    # carries the hover; selected and unselected markers stay invisible, so nothing dims after a click.
    cells = [(r, c) for r in range(len(labels)) for c in range(len(sources))]
    fig.add_trace(
        go.Scatter(
            x=[sources[c] for _, c in cells],
            y=[labels[r] for r, _ in cells],
            mode="markers",
            name="cells",
            marker={"symbol": "square", "size": 22, "color": "rgba(0,0,0,0)"},
            selected={"marker": {"opacity": 0}},
            unselected={"marker": {"opacity": 0}},
            customdata=[custom[r][c] for r, c in cells],
            showlegend=False,
            hovertemplate="<b>%{customdata[3]}</b> (%{customdata[2]})<br>%{customdata[1]}<br><br>"
            "<b>%{x}</b>: %{customdata[0]}<extra>click to read the evidence</extra>",
        )
    )
    # The legend: one invisible-data square per stance (a heatmap has no categorical legend of its own).
    for stance in STANCES:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=f"{STANCE_SYMBOLS[stance]} {stance}".strip(),
                marker={
                    "symbol": "square",
                    "size": 14,
                    "color": STANCE_COLORS[stance],
                    "line": {"width": 1, "color": "rgba(150,150,150,0.6)"},
                },
                hoverinfo="skip",
                showlegend=True,
            )
        )
    # Status blocks: a rule between blocks and the block's name beside its first row.
    statuses = claims["status"].tolist()
    for i, status in enumerate(statuses):
        if i and status == statuses[i - 1]:
            continue
        if i:
            fig.add_shape(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                yref="y",
                y0=i - 0.5,
                y1=i - 0.5,
                line={"color": "rgba(128,128,128,0.9)", "width": 2},
            )
        shown = sum(1 for s in statuses if s == status)
        total = (status_totals or {}).get(status, shown)
        note = f"{total}" if total == shown else f"{shown} of {total}"
        fig.add_annotation(
            xref="paper",
            x=1.0,
            xanchor="left",
            yref="y",
            y=i,
            yanchor="middle",
            text=f"<b>{status.replace('-', ' ')}</b>: {note}",
            showarrow=False,
            xshift=8,
            font={"size": 12},
        )
    # Explicit ranges: the invisible cell markers would otherwise pad the axes with empty space.
    fig.update_yaxes(
        range=[len(labels) - 0.5, -0.5],
        automargin=False,
        type="category",
        showgrid=False,
        tickfont={"size": 12},
        fixedrange=True,
    )
    fig.update_xaxes(
        side="top",
        automargin=False,
        type="category",
        showgrid=False,
        tickangle=-30,
        range=[-0.5, len(sources) - 0.5],
        fixedrange=True,
    )
    fig.update_layout(
        template="plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        clickmode="event+select",
        dragmode=False,
        hovermode="closest",
        height=max(220, 30 * len(labels) + 170),
        margin=_grid_margins(labels, sources),
        showlegend=True,
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.02 if len(labels) > 8 else -0.1,
            "x": 0,
            "title": {"text": "Stance of each source: "},
        },
    )
    return fig


# ---------------------------------------------------------------------------------------------------
# Evidence cues
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CueParts:
    """An evidence ``cue`` cell split into why-this-stance and why-this-claim."""

    stance_cue: str  # e.g. "hedge: may", "status: 'hinted' (unreleased) vs ..."
    stance_words: tuple[str, ...]  # the sentence's own words that made the stance (to highlight)
    joined_by: str  # e.g. "shared: meta, midjourney (score 0.53)"
    shared_terms: tuple[str, ...]  # lemmas that joined the sentence to the claim (to highlight)


_QUOTED = re.compile(r"'([^']+)'")
# "; 'the exchange' read as vaultbit": how a definite-description subject was resolved (analysis.claims).
_RESOLVED = re.compile(r";\s*'the ([^']+)' read as ([^;]+)")
_AGAINST = re.compile(r"\s*\((?:against:|its own wording)[^)]*\)?.*$")
_SCORE = re.compile(r"\s*\((?:score|[^)]*score)[^)]*\)\s*$")


def split_cue(cue: object) -> CueParts:
    """Parse a claim_evidence ``cue`` into stance cue words and joining terms; unknown forms stay as text."""
    s = cue.strip() if isinstance(cue, str) else ""
    # A resolved subject is part of why the sentence joined the claim, not of its stance.
    matches = list(_RESOLVED.finditer(s))
    resolved = [m.group(0).lstrip("; ") for m in matches]
    nouns = [m.group(1) for m in matches]
    s = _RESOLVED.sub("", s).strip()
    stance_part, _, joined = s.partition("joined by ")
    stance_part = stance_part.strip().rstrip(";").strip()
    joined = joined.strip()
    if stance_part == "representative wording":
        stance_part = ""
    words: list[str] = []
    if stance_part.startswith("hedge:"):
        body = stance_part[len("hedge:") :]
        for item in body.split(";"):
            item = item.strip()
            if not item or ":" in item:  # "conflicting: ..." follows the hedge words
                break
            words.append(item)
        quoted = _QUOTED.findall(body)
        if quoted:  # a hedged sentence that also conflicts: its own status/denial words
            words += [w.strip() for w in quoted[0].split(";") if w.strip()]
    elif stance_part.startswith(("different figures", "different dates")):
        # "X vs Y" puts the claim's figure first; either side may be this sentence's own, and only
        # the words found in the sentence get highlighted.
        body = _AGAINST.sub("", stance_part.partition(":")[2])
        for side in body.split(" vs "):
            words += [w.strip() for w in side.split(" or ") if w.strip()]
    elif stance_part.startswith("states figure"):
        own = stance_part[len("states figure") :].partition(" vs ")[0]
        # "2.3 million (customer)": the number is what the sentence says; the unit is the tool's.
        words += [w.partition(" (")[0].strip() for w in own.split(" or ") if w.strip()]
    else:
        quoted = _QUOTED.findall(stance_part)
        # The first quoted phrase is this sentence's cue ("status: 'X' (..) vs 'Y' (..)"), except when
        # the claim itself is the denial/negation ("the claim is a denial ('X'); this sentence asserts it").
        if quoted and not stance_part.startswith(("the claim is", "claim negated")):
            words += [w.strip() for w in quoted[0].split(";") if w.strip()]
    terms: list[str] = []
    if joined:
        body = _SCORE.sub("", joined)
        if "shared:" in body:
            # The terms list ends at the first ';' ("shared: a, b; meaning similarity 0.83; p=...").
            listed = body.partition("shared:")[2].partition(";")[0]
            terms = [t.strip() for t in listed.split(",") if t.strip()]
        else:
            terms = [w.strip() for q in _QUOTED.findall(body) for w in q.split(";") if w.strip()]
    if resolved:
        joined = "; ".join([joined, *resolved]) if joined else "; ".join(resolved)
        terms += nouns
    return CueParts(stance_part, tuple(dict.fromkeys(words)), joined, tuple(dict.fromkeys(terms)))


def _word_pattern(phrase: str) -> re.Pattern[str] | None:
    words = phrase.split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def evidence_markdown(
    text: object, stance: str, parts: CueParts, *, tokens: str = "", lemmas: str = ""
) -> str:
    """Escaped Markdown of an evidence sentence: stance cue words in the stance colour, joining terms in grey.

    The cue words are surface text (located directly); joining terms are lemmas, located through the
    sentence's aligned ``tokens``/``lemmas`` columns by :func:`analysis.textsafe.highlight_markdown`.
    """
    raw = re.sub(r"\s+", " ", text).strip() if isinstance(text, str) else ""
    spans: list[tuple[int, int]] = []
    for w in parts.stance_words:
        pat = _word_pattern(w)
        if pat is not None:
            spans += [(m.start(), m.end()) for m in pat.finditer(raw)]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    color = STANCE_MD_COLORS.get(stance, "orange")
    out: list[str] = []
    last = 0

    def plain(segment: str) -> None:
        # highlight_markdown strips the ends of what it is given: keep the spaces around segments.
        if not segment:
            return
        if segment[0].isspace():
            out.append(" ")
        if segment.strip():
            out.append(
                highlight_markdown(segment, parts.shared_terms, tokens=tokens, lemmas=lemmas, color="gray")
            )
        if segment[-1].isspace() and segment.strip():
            out.append(" ")

    for a, b in merged:
        plain(raw[last:a])
        out.append(f":{color}-background[**{escape_markdown(raw[a:b])}**]")
        last = b
    plain(raw[last:])
    return "".join(out)


def syndicated_groups(groups: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Syndication groups with two or more articles: group, sources, articles (ids), n_articles."""
    cols = ["group", "sources", "articles", "n_articles"]
    if groups is None or groups.empty:
        return pd.DataFrame(columns=cols)
    g = groups.groupby("group_id", sort=True)["article_id"].agg(list)
    src = articles.set_index("article_id")["source"].astype(str) if len(articles) else pd.Series(dtype=str)
    rows = []
    for gid, ids in g.items():
        if len(ids) < 2:
            continue
        rows.append(
            {
                "group": gid,
                "sources": ", ".join(sorted({src.get(a, a) for a in ids})),
                "articles": ", ".join(ids),
                "n_articles": len(ids),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def stance_counts(claims: pd.DataFrame) -> dict[str, int]:
    """Claims per status in the given (filtered) table, in STATUSES order."""
    counts = claims["status"].value_counts() if len(claims) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def notes_markdown(notes: str) -> str:
    """Plain method notes ("Heading" lines and "- item" lines) as escaped Markdown with bold headings."""
    out = []
    for line in notes.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            out.append(f"- {escape_markdown(line[2:])}")
        else:
            out += ["", f"**{escape_markdown(line)}**", ""]
    return "\n".join(out).strip()
