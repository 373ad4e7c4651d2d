"""Plotly figures for the dashboard: one ``build_*_figure`` per chart, pure functions of the tables.

Conventions shared by every chart, so an analyst reads them the same way everywhere:
* one colour per source on every chart (``source_colors``), assigned from the sorted list of ALL the
  corpus's sources so a filter never shifts a colour; colour-blind-safe (Okabe-Ito, then Tol muted);
* tone is diverging around 0 (red negative, blue positive, ``RdBu``), with a fixed [-1, 1] range on
  colour scales so two heatmaps can be compared;
* transparent backgrounds and the plain ``plotly_white`` template so Streamlit's light or dark theme
  shows through; values are written on bars and cells, hovers say what the number is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.textsafe import escape_markdown  # noqa: F401  (re-exported for the pages)

# Okabe & Ito (2008) without black (invisible on a dark theme); yellow last of them because it is the
# weakest on white. Then Paul Tol's "muted" scheme, then cycled.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"]
TOL_MUTED = ["#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
             "#AA4499"]
PALETTE = OKABE_ITO + TOL_MUTED
NEUTRAL = "#8C8C8C"
TONE_SCALE = "RdBu"
# One blue whose opacity grows with the value: empty cells fade into the page background, so the
# largest values stand out on the light and on the dark theme alike (a white-based scale would make
# 0% the brightest cell on a dark page).
SHARE_SCALE = [[0.0, "rgba(31,111,178,0.04)"], [1.0, "rgba(31,111,178,1.0)"]]
METRICS = ("share", "count", "tone")
METRIC_LABELS = {"share": "Share of the source's sentences", "count": "Sentences",
                 "tone": "Mean tone of the theme's sentences"}


def label_margin(labels: Sequence[object], *, px_per_char: float = 7.2, cap: int = 240, pad: int = 16) -> int:
    """Margin (px) that fits the longest of ``labels`` at ``px_per_char``, at most ``cap``.

    Charts get margins that already fit their labels instead of Plotly's automargin, which draws a
    chart, measures its labels and draws it all again: twice the drawing on every filter change.
    """
    longest = max((len(str(v)) for v in labels), default=0)
    return int(min(cap, pad + px_per_char * longest))


def source_colors(all_sources: Sequence[str]) -> dict[str, str]:
    """A stable colour per source, by sorted order of all corpus sources (cycles after 16 sources)."""
    ordered = sorted(dict.fromkeys(str(s) for s in all_sources))
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(ordered)}


def _base_layout(fig: go.Figure, *, height: int, title: str | None = None, legend: bool = False) -> go.Figure:
    fig.update_layout(template="plotly_white", paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      height=height, margin={"l": 8, "r": 8, "t": 40 if title else 8, "b": 8},
                      showlegend=legend, title={"text": title} if title else None,
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return fig


def _signed(value: float, digits: int = 2) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:+.{digits}f}"


def _tone_range(values: Sequence[float]) -> list[float]:
    """A symmetric axis range around 0 that fits the values (tone means are small; [-1, 1] hides them)."""
    finite = [abs(v) for v in values if v is not None and np.isfinite(v)]
    top = max(finite, default=0.0)
    top = min(1.0, max(0.1, top * 1.35))
    return [-top, top]


def source_tone(articles: pd.DataFrame) -> pd.DataFrame:
    """Per source: articles, counted sentences and sentence-weighted mean tone, most positive first."""
    cols = ["source", "articles", "sentences", "tone"]
    if articles.empty:
        return pd.DataFrame(columns=cols)
    df = articles.assign(_n=articles["n_sentences"].fillna(0).astype(float),
                         _w=articles["sentiment"].fillna(0).astype(float) * articles["n_sentences"].fillna(0))
    g = df.groupby("source").agg(articles=("article_id", "size"), sentences=("_n", "sum"), _w=("_w", "sum"))
    g["tone"] = np.where(g["sentences"] > 0, g["_w"] / g["sentences"].where(g["sentences"] > 0, 1), np.nan)
    g["sentences"] = g["sentences"].astype(int)
    out = g.reset_index()[cols]
    out = out.sort_values(["tone", "source"], ascending=[False, True], na_position="last")
    return out.reset_index(drop=True)


def build_tone_figure(articles: pd.DataFrame, colors: Mapping[str, str]) -> go.Figure:
    """Horizontal bars: mean tone per source, labelled with the value and the article count."""
    data = source_tone(articles).iloc[::-1]  # plotly draws the first row at the bottom
    fig = go.Figure(go.Bar(
        x=data["tone"].fillna(0).tolist(), y=data["source"].tolist(), orientation="h",
        marker_color=[colors.get(s, NEUTRAL) for s in data["source"]],
        text=[f"{_signed(t)} · {a} article{'s' if a != 1 else ''}"
              for t, a in zip(data["tone"], data["articles"], strict=True)],
        textposition="outside", cliponaxis=False,
        customdata=np.column_stack([data["articles"], data["sentences"]]) if len(data) else None,
        hovertemplate="<b>%{y}</b><br>mean tone %{x:+.3f}<br>%{customdata[0]} article(s), "
                      "%{customdata[1]} sentences<extra></extra>"))
    lo, hi = _tone_range(data["tone"].tolist())
    fig.update_xaxes(range=[lo * 1.6, hi * 1.6], zeroline=True, zerolinewidth=2, title="mean sentence tone "
                     "(−1 critical … +1 positive)")
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, height=max(160, 48 * len(data) + 70))


def build_theme_share_figure(coverage: pd.DataFrame, sources: Sequence[str], colors: Mapping[str, str],
                             themes: Sequence[str]) -> go.Figure:
    """Grouped horizontal bars: share of each source's sentences per theme, one bar per source.

    One chart on one axis, so the sources read against each other (and the browser draws one chart, not
    one per source). Themes run top to bottom in theme-file order, sources in the given order in each group.
    """
    y = list(themes)[::-1]
    fig = go.Figure()
    top = 0.0
    # Horizontal groups stack the first trace at the bottom: add sources in reverse and reverse the legend.
    for source in reversed(list(sources)):
        rows = coverage[coverage["source"] == source].set_index("theme").reindex(y)
        share = rows["share"].fillna(0).astype(float).tolist()
        count = rows["sentences"].fillna(0).astype(int).tolist()
        tone = rows["mean_sentiment"].astype(float).tolist()
        top = max([top, *share])
        fig.add_trace(go.Bar(
            name=source, x=share, y=y, orientation="h", marker_color=colors.get(source, NEUTRAL),
            text=[f"{s:.0%} ({c})" for s, c in zip(share, count, strict=True)],
            textposition="outside", cliponaxis=False,
            customdata=np.column_stack([count, [_signed(t) for t in tone]]) if len(y) else None,
            hovertemplate="<b>%{y}</b> · %{fullData.name}<br>%{x:.1%} of the source's sentences<br>"
                          "%{customdata[0]} sentences, mean tone %{customdata[1]}<extra></extra>"))
    fig.update_layout(barmode="group", legend_traceorder="reversed")
    fig.update_xaxes(range=[0, max(0.05, top) * 1.3], tickformat=".0%", title="share of the source's sentences")
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, height=max(180, len(y) * (12 + 16 * len(sources)) + 90), legend=True)


def heatmap_matrix(coverage: pd.DataFrame, metric: str, sources: Sequence[str],
                   themes: Sequence[str]) -> pd.DataFrame:
    """The sources x themes values of one metric (share, count or tone); NaN where tone is undefined."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    column = {"share": "share", "count": "sentences", "tone": "mean_sentiment"}[metric]
    grid = coverage.pivot_table(index="source", columns="theme", values=column, aggfunc="first", dropna=False)
    grid = grid.reindex(index=list(sources), columns=list(themes)).astype(float)
    if metric != "tone":
        grid = grid.fillna(0.0)
    return grid


def _cell_text(value: float, metric: str) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    if metric == "share":
        return f"{value:.0%}"
    if metric == "count":
        return f"{int(round(value))}"
    return f"{value:+.2f}"


def build_heatmap_figure(coverage: pd.DataFrame, metric: str, sources: Sequence[str],
                         themes: Sequence[str], selected: tuple[str, str] | None = None) -> go.Figure:
    """Heatmap of sources (rows) x themes (columns) for share, count or tone, every cell annotated.

    ``selected`` = (source, theme) outlines the cell whose evidence is shown below the chart.
    """
    z = heatmap_matrix(coverage, metric, sources, themes)
    detail = {name: heatmap_matrix(coverage, name, sources, themes) for name in METRICS}
    first = coverage.pivot_table(index="source", columns="theme", values="first_position", aggfunc="first",
                                 dropna=False)
    first = first.reindex(index=list(sources), columns=list(themes)).astype(float)
    custom = np.dstack([
        detail["count"].to_numpy(),
        detail["share"].map(lambda v: f"{v:.1%}").to_numpy(),
        detail["tone"].map(lambda v: _signed(v)).to_numpy(),
        first.map(lambda v: "–" if not np.isfinite(v) else f"{v:.0%} into the article").to_numpy(),
    ]) if len(sources) and len(themes) else None
    text = z.map(lambda v: _cell_text(v, metric)).to_numpy().tolist()
    kwargs: dict = {"colorscale": SHARE_SCALE, "zmin": 0}
    if metric == "tone":
        kwargs = {"colorscale": TONE_SCALE, "zmid": 0, "zmin": -1, "zmax": 1}
    elif metric == "share":
        kwargs["zmax"] = max(0.05, float(np.nanmax(z.to_numpy())) if z.size else 0.05)
    fig = go.Figure(go.Heatmap(
        z=z.to_numpy().tolist(), x=list(themes), y=list(sources), text=text, texttemplate="%{text}",
        customdata=custom, xgap=2, ygap=2, hoverongaps=False,
        colorbar={"title": {"text": metric}, "thickness": 12,
                  **({"tickformat": ".0%"} if metric == "share" else {})},
        hovertemplate="<b>%{y}</b> · <b>%{x}</b><br>%{customdata[0]:.0f} sentences (%{customdata[1]} of the "
                      "source)<br>mean tone %{customdata[2]}<br>first mention: %{customdata[3]}"
                      "<extra>click for evidence</extra>",
        **kwargs))
    # Streamlit's selection events return nothing for heatmap traces, so an invisible marker sits on every
    # cell: clicking a cell selects its marker (x = theme, y = source), and the marker carries the hover.
    if len(sources) and len(themes):
        xs = [t for _ in sources for t in themes]
        ys = [s for s in sources for _ in themes]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", showlegend=False, name="cells",
            marker={"symbol": "square", "size": 36, "opacity": 0},
            selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
            customdata=custom.reshape(-1, custom.shape[-1]).tolist(),
            hovertemplate=fig.data[0].hovertemplate))
        fig.data[0].hoverinfo = "skip"
        fig.data[0].hovertemplate = None
    if selected and selected[0] in sources and selected[1] in themes:
        row, col = list(sources).index(selected[0]), list(themes).index(selected[1])
        # Amber reads on white, on a dark theme and on both ends of the blue and red scales.
        fig.add_shape(type="rect", xref="x", yref="y", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
                      line={"color": "#FFB000", "width": 3}, fillcolor="rgba(0,0,0,0)")
    fig.update_layout(clickmode="event+select", dragmode=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top", automargin=True)
    return _base_layout(fig, height=max(220, 46 * len(sources) + 120))


def top_entities(entities: pd.DataFrame, sources: Sequence[str], top_n: int = 12,
                 shared_only: bool = False) -> list[str]:
    """Entities with the most mentions across the given sources (optionally only those 2+ sources name)."""
    df = entities[entities["source"].isin(sources)]
    if df.empty:
        return []
    g = df.groupby("entity").agg(mentions=("mentions", "sum"), n_sources=("source", "nunique"))
    if shared_only:
        g = g[g["n_sources"] >= 2]
    g = g.reset_index().sort_values(["mentions", "entity"], ascending=[False, True])
    return g["entity"].head(top_n).tolist()


def build_entity_figure(entities: pd.DataFrame, sources: Sequence[str], colors: Mapping[str, str],
                        top_n: int = 12) -> go.Figure:
    """Grouped horizontal bars: mentions of the most-named entities, one bar per source."""
    names = top_entities(entities, sources, top_n)
    fig = go.Figure()
    # Horizontal groups stack the first trace at the bottom: add sources in reverse and reverse the legend,
    # so bars and legend both read in the chosen order, top to bottom and left to right.
    for source in reversed(list(sources)):
        rows = entities[entities["source"] == source].groupby("entity")["mentions"].sum().reindex(names)
        fig.add_trace(go.Bar(name=source, y=names[::-1], x=rows.fillna(0).astype(int).tolist()[::-1],
                             orientation="h", marker_color=colors.get(source, NEUTRAL),
                             hovertemplate="<b>%{y}</b><br>%{fullData.name}: %{x} mention(s)"
                                           "<extra></extra>"))
    fig.update_layout(barmode="group", legend_traceorder="reversed")
    fig.update_xaxes(title="mentions")
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, height=max(200, len(names) * (10 + 9 * len(sources)) + 90), legend=True)


def build_entity_tone_figure(entities: pd.DataFrame, sources: Sequence[str], colors: Mapping[str, str],
                             top_n: int = 10) -> go.Figure:
    """Grouped horizontal bars: tone toward each entity named by 2+ of the sources, one bar per source."""
    names = top_entities(entities, sources, top_n, shared_only=True)
    fig = go.Figure()
    values: list[float] = []
    for source in reversed(list(sources)):
        sub = entities[(entities["source"] == source) & entities["entity"].isin(names)]
        # Mentions-weighted so an entity split over two labels (ORG and PRODUCT) keeps one tone.
        w = sub.assign(_w=sub["mean_sentiment"].astype(float) * sub["mentions"])
        g = w.groupby("entity").agg(_w=("_w", "sum"), m=("mentions", "sum"))
        tone = (g["_w"] / g["m"]).reindex(names)
        values += tone.dropna().tolist()
        fig.add_trace(go.Bar(name=source, y=names[::-1], x=tone.tolist()[::-1], orientation="h",
                             marker_color=colors.get(source, NEUTRAL),
                             customdata=g["m"].reindex(names).fillna(0).astype(int).tolist()[::-1],
                             hovertemplate="<b>%{y}</b><br>%{fullData.name}: tone %{x:+.2f} over "
                                           "%{customdata} mention(s)<extra></extra>"))
    fig.update_layout(barmode="group", legend_traceorder="reversed")
    fig.update_xaxes(range=_tone_range(values), zeroline=True, zerolinewidth=2,
                     title="tone of the clauses naming the entity (−1 critical … +1 positive)")
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, height=max(200, len(names) * (10 + 9 * len(sources)) + 90), legend=True)

