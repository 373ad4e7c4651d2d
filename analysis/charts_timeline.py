"""Timeline page helpers: date periods, lane layout and the per-source timeline figure.

Pure functions of the ``timeline`` / ``articles`` tables (no Streamlit). One lane per source (y), date
on x; the marker shape says what the date is (publication, event in the text, citation) and a
translucent bar spans the whole period of a coarse date (a month, season, quarter or year), so a
"summer 2025" never looks as exact as "20 August 2025".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.charts import label_margin
from analysis.charts_claims import short_text, wrap_hover

KINDS = ("published", "event", "citation")
KIND_SYMBOLS = {"published": "diamond", "event": "circle", "citation": "square"}
KIND_LABELS = {
    "published": "publication date",
    "event": "date mentioned in the text",
    "citation": "date in a reference list",
}
PRECISION_MONTHS = {"month": 1, "season": 3, "quarter": 3, "year": 12}
CONFLICT_COLOR = "#CC0000"
NEUTRAL = "#8C8C8C"
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_SEASONS = {12: "winter", 3: "spring", 6: "summer", 9: "autumn"}


def _add_months(d: dt.date, k: int) -> dt.date:
    m = d.month - 1 + k
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def period_bounds(date: object, precision: object) -> tuple[dt.date, dt.date] | None:
    """[start, end) of the period a timeline date stands for; None when blank or malformed."""
    if not isinstance(date, str) or not date.strip():
        return None
    parts = date.strip().split("-")
    try:
        if len(parts) == 3:
            start = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return start, start + dt.timedelta(days=1)
        if len(parts) == 2:
            start = dt.date(int(parts[0]), int(parts[1]), 1)
            return start, _add_months(start, PRECISION_MONTHS.get(str(precision), 1))
        if len(parts) == 1:
            start = dt.date(int(parts[0]), 1, 1)
            return start, dt.date(start.year + 1, 1, 1)
    except ValueError:
        return None
    return None


def describe_date(date: object, precision: object) -> str:
    """Human wording of a timeline date at its precision: '20 August 2025', 'summer 2025', 'Q3 2025'."""
    bounds = period_bounds(date, precision)
    if bounds is None:
        return "unresolved"
    start = bounds[0]
    if precision == "day" or (isinstance(date, str) and len(date.strip()) == 10):
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if precision == "season":
        # A winter starting in December is labelled with the following year (dates.py's convention).
        year = start.year + 1 if start.month == 12 else start.year
        return f"{_SEASONS.get(start.month, 'season')} {year}"
    if precision == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if precision == "year" or len(str(date).strip()) == 4:
        return str(start.year)
    return f"{_MONTHS[start.month - 1]} {start.year}"


def timeline_points(
    timeline: pd.DataFrame,
    sources: Sequence[str],
    kinds: Iterable[str] = ("published", "event"),
    conflict_ids: Iterable[str] = (),
) -> pd.DataFrame:
    """Resolved timeline rows of the given sources and kinds, laid out for plotting.

    Adds: row (index in ``timeline``), lane (source's position), y (lane plus a small offset so points
    on the same date in one lane do not hide each other), start/end/mid (period), when (wording), conflict.
    """
    cols = list(timeline.columns) + ["row", "lane", "y", "start", "end", "mid", "when", "conflict"]
    lanes = {s: i for i, s in enumerate(sources)}
    df = timeline[timeline["source"].isin(lanes) & timeline["kind"].isin(list(kinds))]
    recs = []
    conflicts = set(conflict_ids)
    for row, rec in zip(df.index, df.to_dict("records"), strict=True):
        bounds = period_bounds(rec["date"], rec["precision"])
        if bounds is None:
            continue
        start, end = bounds
        mid = start + (end - start) / 2 if (end - start).days > 1 else start
        recs.append(
            {
                **rec,
                "row": row,
                "lane": lanes[rec["source"]],
                "start": start,
                "end": end,
                "mid": mid,
                "when": describe_date(rec["date"], rec["precision"]),
                "conflict": bool(rec.get("sentence_id")) and rec.get("sentence_id") in conflicts,
            }
        )
    out = pd.DataFrame(recs, columns=cols)
    if out.empty:
        return out
    # Spread points that share a lane and a day: at most +-0.32 of the lane's height.
    out["_k"] = out.groupby(["lane", "mid"]).cumcount()
    out["_n"] = out.groupby(["lane", "mid"])["row"].transform("size")
    step = (0.64 / out["_n"].clip(lower=1)).clip(upper=0.16)
    out["y"] = out["lane"] + (out["_k"] - (out["_n"] - 1) / 2) * step
    return out.drop(columns=["_k", "_n"])


# Hover text is most of a large timeline's payload (1.5 MB for 2,000 points): beyond this many markers
# each hover quotes only the start of its sentence; a click shows the whole sentence below the chart.
FULL_HOVER_POINTS = 400
SHORT_HOVER_CHARS = 120
# A marker standing for several items quotes the start of this many of their sentences in its hover.
GROUP_HOVER_ITEMS = 3
GROUP_HOVER_CHARS = 80
# Marker sizes (px): a single item, and how a marker grows with the items it stands for.
DAY_SIZE, COARSE_SIZE, MAX_SIZE = 13, 10, 26
# Margins (px) with room for the lane labels, the legend above and the date ticks below. Plotly's automargin
# stays on for labels that need more, but when the margins already fit it has nothing to push: otherwise it
# measures the drawn labels and legend and then draws the whole chart again (every point twice).
LEGEND_MARGIN, BOTTOM_MARGIN, LABEL_CHAR_PX = 64, 36, 7.2


def timeline_markers(pts: pd.DataFrame) -> pd.DataFrame:
    """One marker per source, kind, date and precision: the items ``timeline_points`` would stack on one spot.

    Columns: source, kind, date, precision, lane, start, end, mid, when; rows (the ``timeline`` row
    indices it stands for, in table order), n, n_conflict, conflict (any of them), texts, date_texts and
    article_ids (one per row, for the hover), and y (lane plus a small offset so markers of one lane on the
    same day, e.g. a publication and an event, do not hide each other).
    """
    keys = ["source", "kind", "date", "precision"]
    cols = keys + ["lane", "start", "end", "mid", "when", "rows", "n", "n_conflict", "conflict", "texts",
                   "date_texts", "article_ids", "y"]
    if pts is None or pts.empty:
        return pd.DataFrame(columns=cols)
    groups: dict[tuple, dict] = {}
    for p in pts.to_dict("records"):
        key = tuple(p[k] for k in keys)
        m = groups.get(key)
        if m is None:
            m = groups[key] = {
                **{k: p[k] for k in keys}, "lane": p["lane"], "start": p["start"], "end": p["end"],
                "mid": p["mid"], "when": p["when"], "rows": [], "n": 0, "n_conflict": 0,
                "texts": [], "date_texts": [], "article_ids": [],
            }
        m["rows"].append(int(p["row"]))
        m["n"] += 1
        m["n_conflict"] += bool(p["conflict"])
        m["texts"].append("" if p["text"] is None else str(p["text"]))
        m["date_texts"].append("" if p["date_text"] is None else str(p["date_text"]))
        m["article_ids"].append(str(p["article_id"]))
    recs = list(groups.values())
    out = pd.DataFrame(recs, columns=[c for c in cols if c not in ("conflict", "y")])
    out["conflict"] = out["n_conflict"] > 0
    out["_k"] = out.groupby(["lane", "mid"]).cumcount()
    out["_n"] = out.groupby(["lane", "mid"])["n"].transform("size")
    step = (0.64 / out["_n"].clip(lower=1)).clip(upper=0.16)
    out["y"] = out["lane"] + (out["_k"] - (out["_n"] - 1) / 2) * step
    return out[cols]


def marker_size(n: int, precision: str) -> float:
    """Pixel size of a marker for ``n`` items: exact days bigger than coarse dates, growing with sqrt(n)."""
    base = DAY_SIZE if precision == "day" else COARSE_SIZE
    return float(min(MAX_SIZE, base + 2.5 * (max(1, int(n)) - 1) ** 0.5))


def _hover(p: Mapping[str, object], short: bool = False) -> str:
    head = f"<b>{wrap_hover(p['source'])}</b> · {KIND_LABELS.get(p['kind'], p['kind'])}"
    text = str(p["text"] or "")
    if short and len(text) > SHORT_HOVER_CHARS:
        text = text[:SHORT_HOVER_CHARS].rsplit(" ", 1)[0] + " … (click for the whole sentence)"
    if p["kind"] == "published":
        when = f"published {p['when']}"
        body = wrap_hover(text) or "(no title)"
    else:
        when = f"“{wrap_hover(p['date_text'])}” → {p['when']} ({p['precision']} precision)"
        body = wrap_hover(text)
    extra = "<br><b>sources disagree on this date</b>" if p["conflict"] else ""
    return f"{head}<br>{when}{extra}<br><br>{body}<br><i>{wrap_hover(p['article_id'])}</i>"


def _group_hover(m: Mapping[str, object]) -> str:
    """Hover of a marker standing for several items: what, when, how many, and the start of a few."""
    head = f"<b>{wrap_hover(m['source'])}</b> · {KIND_LABELS.get(m['kind'], m['kind'])}"
    if m["kind"] == "published":
        when = f"published {m['when']}"
    else:
        words = list(dict.fromkeys(t for t in m["date_texts"] if t))
        said = ", ".join(f"“{wrap_hover(w)}”" for w in words[:3]) + (", …" if len(words) > 3 else "")
        when = f"{said} → {m['when']} ({m['precision']} precision)"
    count = f"<b>{m['n']} items</b>"
    if m["n_conflict"]:
        count += f" · <b>{m['n_conflict']} with a date another source disagrees with</b>"
    quotes = "<br>".join(f"• {wrap_hover(short_text(t, GROUP_HOVER_CHARS)) or '(no title)'}"
                         for t in m["texts"][:GROUP_HOVER_ITEMS])
    more = m["n"] - min(m["n"], GROUP_HOVER_ITEMS)
    tail = (f"<br>+ {more} more · " if more else "<br>") + "<i>click to list them all below the chart</i>"
    return f"{head}<br>{when}<br>{count}<br><br>{quotes}{tail}"


def _scalar_or_list(values: list) -> object:
    """A marker property as one value when every point shares it (cheaper to style), else per point."""
    return values[0] if values and all(v == values[0] for v in values) else values


def build_timeline_figure(
    timeline: pd.DataFrame,
    sources: Sequence[str],
    colors: Mapping[str, str],
    kinds: Iterable[str] = ("published", "event"),
    conflict_ids: Iterable[str] = (),
) -> go.Figure:
    """One lane per source: a marker per dated spot (shape = kind, size = items), bars over coarse periods.

    Items of one source, kind, date and precision share one marker (``timeline_markers``), sized by their
    number; its hover says how many and quotes a few. Traces: per source and kind one marker trace
    (name = source, meta = {source, kind}; customdata[i] = the ``timeline`` row indices of marker i),
    per source one range-bar trace for non-day dates, one overlay ringing in red every marker with a date
    that another source contradicts (hover-transparent, so a click reaches the marker below), then legend
    keys. Marker styles are one value per trace, not per point, and the margins have room for the labels
    and legend from the start: both keep the browser's drawing of a large timeline to a single cheap pass.
    """
    pts = timeline_points(timeline, sources, kinds, conflict_ids)
    marks = timeline_markers(pts)
    short = len(marks) > FULL_HOVER_POINTS
    fig = go.Figure()
    for source in sources:
        mine = marks[marks["source"] == source]
        color = colors.get(source, NEUTRAL)
        coarse = mine[(mine["end"] - mine["start"]).map(lambda d: d.days > 1)] if len(mine) else mine
        if len(coarse):
            xs: list = []
            ys: list = []
            for r in coarse.itertuples(index=False):
                xs += [r.start.isoformat(), (r.end - dt.timedelta(days=1)).isoformat(), None]
                ys += [r.y, r.y, None]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=source,
                    legendgroup="period",
                    line={"color": color, "width": 9},
                    opacity=0.35,
                    hoverinfo="skip",
                    showlegend=False,
                    meta={"source": source, "kind": "period"},
                )
            )
        for kind in KINDS:
            part = mine[mine["kind"] == kind]
            if not len(part):
                continue
            sizes = [marker_size(n, p) for n, p in zip(part["n"], part["precision"], strict=True)]
            hovers = []
            for m in part.to_dict("records"):
                if m["n"] == 1:
                    only = {**m, "text": m["texts"][0], "date_text": m["date_texts"][0],
                            "article_id": m["article_ids"][0]}
                    hovers.append(_hover(only, short))
                else:
                    hovers.append(_group_hover(m))
            fig.add_trace(
                go.Scatter(
                    x=[d.isoformat() for d in part["mid"]],
                    y=part["y"].tolist(),
                    mode="markers",
                    name=source,
                    legendgroup=kind,
                    showlegend=False,
                    meta={"source": source, "kind": kind},
                    marker={
                        "symbol": KIND_SYMBOLS[kind],
                        "size": _scalar_or_list(sizes),
                        "color": color,
                        "opacity": 0.95 if kind != "citation" else 0.7,
                        "line": {"color": "rgba(255,255,255,0.7)", "width": 1},
                    },
                    customdata=list(part["rows"]),
                    hovertext=hovers,
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    # Conflicts: one overlay of red rings, drawn over the markers, that ignores the pointer (hoverinfo skip:
    # hover and click go to the marker below). Its legend entry toggles the rings.
    ringed = marks[marks["conflict"]] if len(marks) else marks
    if len(ringed):
        fig.add_trace(
            go.Scatter(
                x=[d.isoformat() for d in ringed["mid"]],
                y=ringed["y"].tolist(),
                mode="markers",
                name="red ring = sources disagree",
                marker={
                    "symbol": _scalar_or_list([f"{KIND_SYMBOLS[k]}-open" for k in ringed["kind"]]),
                    "size": _scalar_or_list(
                        [marker_size(n, p) + 6 for n, p in zip(ringed["n"], ringed["precision"], strict=True)]),
                    "color": CONFLICT_COLOR,
                    "line": {"color": CONFLICT_COLOR, "width": 2.5},
                },
                hoverinfo="skip",
                legendrank=2000,  # listed after the shapes and the bar in the legend
                meta={"source": "", "kind": "conflicts"},
            )
        )
    # Legend keys: shapes for kinds (grey, since colour is the lane's source) and the period bar.
    shown_kinds = [k for k in KINDS if k in set(marks["kind"])] if len(marks) else []
    for kind in shown_kinds:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=KIND_LABELS[kind],
                legendgroup=kind,
                marker={"symbol": KIND_SYMBOLS[kind], "size": 11, "color": NEUTRAL},
                hoverinfo="skip",
                meta={"source": "", "kind": "legend"},
            )
        )
    if len(marks) and (marks["end"] - marks["start"]).map(lambda d: d.days > 1).any():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name="bar = whole month/season/quarter/year",
                line={"color": NEUTRAL, "width": 9},
                opacity=0.35,
                hoverinfo="skip",
                meta={"source": "", "kind": "legend"},
            )
        )
    fig.update_yaxes(
        tickvals=list(range(len(sources))),
        ticktext=[str(s) for s in sources],
        range=[len(sources) - 0.5, -0.5],
        automargin=True,
        showgrid=True,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_xaxes(type="date", automargin=True, showgrid=True)
    if len(marks):
        lo, hi = min(marks["start"]), max(marks["end"])
        pad = max(dt.timedelta(days=3), (hi - lo) * 0.04)
        fig.update_xaxes(range=[(lo - pad).isoformat(), (hi + pad).isoformat()])
    fig.update_layout(
        template="plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        height=max(220, 56 * len(sources) + 120),
        margin={"l": label_margin(sources, px_per_char=LABEL_CHAR_PX, cap=260), "r": 8, "t": LEGEND_MARGIN,
                "b": BOTTOM_MARGIN},
        showlegend=True,
        hovermode="closest",
        # Set here rather than by Streamlit's chart component, which otherwise patches the layout after the
        # first draw and so makes plotly draw every point again.
        clickmode="event+select",
        dragmode="pan",
        datarevision=1,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


def undated_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles without a publication date: source, article_id, title, path."""
    cols = ["source", "article_id", "title", "path"]
    if articles is None or articles.empty:
        return pd.DataFrame(columns=cols)
    blank = articles["published"].fillna("").astype(str).str.strip() == ""
    return (
        articles.loc[blank, cols].sort_values(["source", "article_id"], kind="stable").reset_index(drop=True)
    )


def unresolved_dates(timeline: pd.DataFrame, kinds: Iterable[str] = ("event", "citation")) -> pd.DataFrame:
    """Date mentions not placed on the calendar: source, date_text, text, article_id, sentence_id."""
    cols = ["source", "date_text", "text", "article_id", "sentence_id"]
    df = timeline[(timeline["precision"] == "unresolved") & timeline["kind"].isin(list(kinds))]
    return df[cols].reset_index(drop=True)


def conflict_sentence_ids(conflicts: pd.DataFrame) -> set[str]:
    """Sentence ids on either side of a date conflict."""
    if conflicts is None or conflicts.empty:
        return set()
    return set(conflicts["sentence_id_a"].astype(str)) | set(conflicts["sentence_id_b"].astype(str))
