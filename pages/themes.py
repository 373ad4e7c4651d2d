"""Themes heatmap: sources x themes (share, count or tone); a cell shows its evidence sentences."""

from __future__ import annotations

import math

import streamlit as st

from analysis.charts import METRIC_LABELS, build_heatmap_figure
from analysis.findings import counted_sentences
from analysis.textsafe import escape_markdown, highlight_markdown, parse_cues
from pages import common

PAGE_SIZE = 20

view = common.current_view()
st.title("Themes heatmap")

coverage = view.table("coverage")
sources = [s for s in view.sources if s in set(coverage["source"])]
themes = [t for t in view.themes if t in set(coverage["theme"])]
if coverage.empty or not sources or not themes:
    common.empty_state("No source and theme in view: clear the sidebar filters to see the heatmap.")
    st.stop()

# The URL holds the button label (?metric=Tone): a bound segmented control stores its formatted option.
BUTTONS = {"Share": "share", "Sentences": "count", "Tone": "tone"}
choice = st.segmented_control("Metric", list(BUTTONS), default="Share", key="metric", bind="query-params",
                              help="Share: the theme's sentences as a share of the source's sentences. "
                                   "Sentences: how many. Tone: their mean tone (−1 critical … +1 positive).")
metric = BUTTONS.get(choice or "Share", "share")
st.caption(f"{METRIC_LABELS[metric]}, per source (rows) and theme (columns). Hover a cell for all figures "
           "and where the theme first appears; click it for the sentences behind it.")

# The cell whose evidence is listed below (the selectboxes' values; their defaults on the first run).
selected = (st.session_state.get("heatmap-source") or sources[0],
            st.session_state.get("heatmap-theme") or themes[0])
fig = build_heatmap_figure(coverage, metric, sources, themes, selected=selected)
event = st.plotly_chart(fig, theme="streamlit", key="heatmap", on_select="rerun", selection_mode="points",
                        config={"displayModeBar": False})  # the toolbar would cover the theme labels

# A click selects a cell; it is copied into the selectboxes below (which also work without clicking),
# once per new click so that changing a selectbox afterwards is not overridden by the old click. The
# rerun redraws the chart with the clicked cell outlined.
points = (event.selection.points if event and getattr(event, "selection", None) else []) or []
if points:
    clicked = (points[0].get("y"), points[0].get("x"))
    if clicked != st.session_state.get("_heatmap_clicked") and clicked[0] in sources and clicked[1] in themes:
        st.session_state["_heatmap_clicked"] = clicked
        st.session_state["heatmap-source"], st.session_state["heatmap-theme"] = clicked
        st.rerun()

st.subheader("Evidence")
left, right = st.columns(2)
source = left.selectbox("Source", sources, key="heatmap-source")
theme = right.selectbox("Theme", themes, key="heatmap-theme")

cell = coverage[(coverage["source"] == source) & (coverage["theme"] == theme)]
picked = counted_sentences(view.table("sentences"), source, theme)
if picked.empty:
    common.empty_state(f"{source} has no sentence tagged {theme}.")
else:
    row = cell.iloc[0] if len(cell) else None
    if row is not None:
        first = row["first_position"]
        st.caption(escape_markdown(
            f"{source} · {theme}: {int(row['sentences'])} sentences ({row['share']:.0%} of the source), "
            f"mean tone {row['mean_sentiment']:+.2f}"
            + ("" if first != first else f", first mention on average {first:.0%} into the article") + "."))
    pages = max(1, math.ceil(len(picked) / PAGE_SIZE))
    box = st.container()
    page = st.pagination(pages, key=f"heatmap-page-{source}-{theme}") if pages > 1 else 1
    with box:
        for r in picked.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE].itertuples(index=False):
            cues = parse_cues(r.theme_cues).get(theme, [])
            st.markdown(highlight_markdown(r.text, cues, tokens=r.tokens, lemmas=r.lemmas))
            tone_words = f" ({r.tone_terms})" if r.tone_terms else ""
            st.caption(escape_markdown(f"cues: {', '.join(cues) or '–'} · tone {r.sentiment:+.2f}{tone_words}"
                                       f" · {r.sentence_id}"))

with st.expander("Prominence: where each theme first appears", icon=":material/vertical_align_top:"):
    st.caption("Relative position of the theme's first sentence in each article (0% = the lead, 100% = the "
               "end), averaged over the source's articles that mention it. Blank: never mentioned.")
    prominence = coverage.pivot_table(index="source", columns="theme", values="first_position",
                                      aggfunc="first", dropna=False)
    prominence = prominence.reindex(index=sources, columns=themes) * 100
    st.dataframe(prominence, column_config={t: st.column_config.NumberColumn(t, format="%.0f%%")
                                            for t in themes})

common.how_computed(
    """
Each cell counts a source's **body and list-item sentences** tagged with a theme. A sentence is tagged
when it contains one of the theme's cue terms or phrases (from the themes file, matched on lemmas, with
context rules for ambiguous words); a sentence can carry several themes, so shares do not add up to 100%.

* **Share** = theme sentences / all counted sentences of the source: compares sources of different length.
* **Sentences** = the raw count: a long article weighs more.
* **Tone** = mean tone of the theme's sentences, in [−1, 1] (lexicon score of each sentence, with negation,
  intensifiers and hedges read from the parse). Blank when the source has no sentence on the theme.

The evidence lists every sentence behind a cell with the cue words highlighted and the tone words that
scored it, so any number can be checked by reading.
""",
    {"Themes": common.dev_metrics("themes"), "Tone": common.dev_metrics("tone")},
)
