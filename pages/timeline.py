"""Timeline: when each source published, the dates its text mentions, disagreements, first appearances."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from analysis.charts import source_colors
from analysis.charts_timeline import (
    KIND_LABELS,
    build_timeline_figure,
    conflict_sentence_ids,
    describe_date,
    undated_articles,
    unresolved_dates,
)
from analysis.schema import TABLES
from analysis.textsafe import escape_markdown
from analysis.timeline import claim_first_seen
from pages import common

PICKED_PAGE = 10  # items of a clicked marker per page

view = common.current_view()
st.title("Timeline")
st.caption(
    "When each source published and which dates its articles mention, one lane per source. Dates are "
    "never guessed: what cannot be placed on the calendar is listed below the chart."
)

articles = view.table("articles")
timeline = view.table("timeline")
sources = [s for s in view.all_sources if s in set(view.sources)]
if articles.empty:
    common.empty_state("No article matches the sidebar filter. Clear the Sources filter to see the timeline.")
    st.stop()

with_citations = st.toggle(
    "Include dates from reference lists (citations)",
    key="timeline-citations",
    help="Dates in bibliography/reference entries say when the cited work appeared, "
    "not when the story's events happened.",
)
kinds = ("published", "event", "citation") if with_citations else ("published", "event")
# Computed once per corpus by the pipeline; keep the pairs whose two sources are both in view.
conflicts = view.tables["date_conflicts"]
conflicts = conflicts[conflicts["source_a"].isin(view.sources) & conflicts["source_b"].isin(view.sources)]
conflict_ids = conflict_sentence_ids(conflicts)
resolved = timeline[(timeline["date"] != "") & timeline["kind"].isin(kinds)]


def show_item(r: pd.Series) -> None:
    """One timeline item: source, kind, the date words and how they read, the sentence, its article."""
    with st.container(border=True):
        what = "Published" if r.get("kind") == "published" else f"“{r['date_text']}”"
        kind = KIND_LABELS.get(r.get("kind", ""), r.get("kind", "date mentioned in the text"))
        reads = describe_date(r.get("date", ""), r.get("precision", "unresolved"))
        st.markdown(
            f"**{escape_markdown(r['source'])}** · {escape_markdown(kind)} · {escape_markdown(what)} → "
            f"{escape_markdown(reads)}"
            + (f" ({escape_markdown(r['precision'])})" if r.get("precision") else "")
        )
        st.markdown(escape_markdown(r["text"]) or "_(no title)_")
        st.caption(
            escape_markdown(
                f"article {r['article_id']}"
                + (f" · sentence {r['sentence_id']}" if r.get("sentence_id") else "")
                + (" · another source gives this event a date that cannot also be true"
                   if r.get("sentence_id") and r.get("sentence_id") in conflict_ids else "")
            )
        )


@st.fragment
def show_picked(rows: list[int]) -> None:
    """The items of the clicked marker (or the selected row), a page at a time. A fragment: turning a page
    redraws only this list, not the chart and tables."""
    rows = [r for r in rows if r in timeline.index]
    if not rows:
        st.caption("Click a marker on the chart or select a row to read its sentence here.")
        return
    if len(rows) > 1:
        first = timeline.loc[rows[0]]
        st.markdown(
            f"**{len(rows)} items on this marker**: {escape_markdown(first['source'])} · "
            f"{escape_markdown(KIND_LABELS.get(first['kind'], first['kind']))} · "
            f"{escape_markdown(describe_date(first['date'], first['precision']))}"
        )
    pages = max(1, math.ceil(len(rows) / PICKED_PAGE))
    page = st.pagination(pages, key=f"timeline-picked-{rows[0]}-{len(rows)}") if pages > 1 else 1
    for row in rows[(page - 1) * PICKED_PAGE: page * PICKED_PAGE]:
        show_item(timeline.loc[row])


def dated_table() -> pd.DataFrame:
    """The resolved items with their reading, in the table's column order (cached per view and kinds)."""
    out = resolved.assign(
        when=[describe_date(d, p) for d, p in zip(resolved["date"], resolved["precision"], strict=True)]
    )
    return out[["date", "when", "precision", "kind", "source", "date_text", "text", "sentence_id"]]


if resolved.empty:
    hidden = int(((timeline["date"] != "") & (timeline["kind"] == "citation")).sum())
    msg = (
        "Nothing in view has a calendar date: no publication dates are known and no mentioned date could be "
        "resolved (relative dates such as “this summer” need a publication date to anchor them)."
    )
    if hidden and not with_citations:
        msg += f" {hidden} citation date(s) are hidden: switch on “Include dates from reference lists”."
    common.empty_state(msg, icon=":material/event_busy:")
else:
    n_pub = int((resolved["kind"] == "published").sum())
    st.caption(
        "Shape = what the date is (legend); colour = source; a translucent bar spans a month, season, "
        "quarter or year. One marker stands for every item of a source with the same kind and date, and "
        f"grows with their number. {n_pub} publication date(s), {len(resolved) - n_pub} "
        f"date(s) {'from the text and reference lists' if with_citations else 'mentioned in the text'}. "
        "Hover for the sentence (or how many items); click a marker to list its items below the chart."
    )
    fig = common.cached_derived(view.key("timeline", kinds), lambda: build_timeline_figure(
        timeline, sources, source_colors(view.all_sources), kinds, conflict_ids))
    event = st.plotly_chart(
        fig, theme="streamlit", key="timeline-chart", on_select="rerun", selection_mode="points"
    )
    # The selection state is a dict (attribute access too in the browser; a plain dict when set in a test).
    points = ((event or {}).get("selection") or {}).get("points") or []
    custom = points[0].get("customdata") if points else None
    if isinstance(custom, list) and custom:
        clicked = [int(r) for r in custom]  # the timeline rows of the clicked marker
        if clicked != st.session_state.get("_timeline_clicked"):
            st.session_state["_timeline_clicked"] = clicked
            st.session_state["_timeline_picked"] = clicked
    picked_slot = st.container()

    st.subheader("Dated items")
    shown = common.cached_derived(view.key("timeline-table", kinds), dated_table)
    sel = st.dataframe(
        shown,
        hide_index=True,
        key="timeline-table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "date": st.column_config.TextColumn("Date", help=TABLES["timeline"]["date"]),
            "when": "Reads as",
            "precision": st.column_config.TextColumn("Precision", help=TABLES["timeline"]["precision"]),
            "kind": st.column_config.TextColumn("Kind", help=TABLES["timeline"]["kind"]),
            "source": "Source",
            "date_text": st.column_config.TextColumn("Date words", help=TABLES["timeline"]["date_text"]),
            "text": st.column_config.TextColumn("Sentence (or title)", width="large"),
            "sentence_id": "Sentence id",
        },
    )
    rows = list(sel.selection.rows) if sel and getattr(sel, "selection", None) else []
    if rows:
        chosen = int(shown.index[rows[0]])
        if chosen != st.session_state.get("_timeline_selected"):
            st.session_state["_timeline_selected"] = chosen
            st.session_state["_timeline_picked"] = [chosen]
    picked = st.session_state.get("_timeline_picked")
    if isinstance(picked, int):  # a single row, as stored by an earlier version of this page
        picked = [picked]
    with picked_slot:
        show_picked(list(picked or []))

if len(conflicts):
    st.subheader("Sources disagree on dates")
    st.caption(
        "The same event (same claim, or sentences sharing most of their content words) given dates "
        "that cannot both be true. Their markers have a red ring on the chart."
    )
    st.dataframe(
        conflicts[["event", "source_a", "date_a", "source_b", "date_b", "text_a", "text_b", "basis"]],
        hide_index=True,
        column_config={
            "event": "Event",
            "source_a": "Source A",
            "date_a": "Date A",
            "source_b": "Source B",
            "date_b": "Date B",
            "text_a": st.column_config.TextColumn("Sentence A", width="large"),
            "text_b": st.column_config.TextColumn("Sentence B", width="large"),
            "basis": "Matched by",
        },
    )

st.subheader("Not on the calendar")
undated = undated_articles(articles)
st.markdown(f"**Articles without a publication date** ({len(undated)})")
if undated.empty:
    st.caption("Every article in view has a publication date.")
else:
    st.caption(
        "Their dated mentions cannot be anchored, and they cannot count as first with a claim. "
        "Add dates on the Corpus page or in sources.csv."
    )
    st.dataframe(
        undated,
        hide_index=True,
        column_config={
            "source": "Source",
            "article_id": "Article",
            "title": st.column_config.TextColumn("Title", width="large"),
            "path": "File",
        },
    )
unresolved = unresolved_dates(timeline, kinds=("event", "citation") if with_citations else ("event",))
st.markdown(f"**Dates that could not be resolved** ({len(unresolved)})")
if unresolved.empty:
    st.caption("Every date mentioned in the text was placed on the calendar.")
else:
    st.caption(
        "Relative or vague dates (“this summer”, “last week”) need the article's publication day as "
        "an anchor; without one they stay here instead of being guessed. Select a row to read the sentence."
    )
    un_sel = st.dataframe(
        unresolved[["source", "date_text", "text", "sentence_id"]],
        hide_index=True,
        key="timeline-unresolved",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "source": st.column_config.TextColumn("Source", width="small"),
            "date_text": st.column_config.TextColumn("Date words", width="small"),
            "text": st.column_config.TextColumn("Sentence", width="large"),
            "sentence_id": st.column_config.TextColumn("Sentence id", width="small"),
        },
    )
    un_rows = list(un_sel.selection.rows) if un_sel and getattr(un_sel, "selection", None) else []
    if un_rows:
        show_item(unresolved.iloc[un_rows[0]])

st.subheader("Who had each claim first")
claims = view.tables["claims"]
dated_days = articles["published"].fillna("").astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")
if claims.empty:
    st.caption("No claims in this corpus.")
elif not dated_days.any():
    st.info(
        "This needs publication dates, and none of the articles in view has one. Add them on the "
        "**Corpus** page (edit the Published column of an uploaded corpus), or put a `sources.csv` "
        "next to the files with columns `file,source,title,published,url` and dates as YYYY-MM-DD. "
        "Datelines at the top of an article (e.g. “May 12, 2025 —”) are read automatically.",
        icon=":material/event_busy:",
    )
else:
    # 31k evidence rows at 1,000 articles: computed once per view, not on every rerun.
    first = common.cached_derived(view.key("first-seen"), lambda: claim_first_seen(
        claims, view.table("claim_evidence"), articles))
    first = first[first["first_date"] != ""]
    if first.empty:
        st.caption("No claim has evidence in a dated article.")
    else:
        first = first.sort_values(["first_date", "claim_id"], kind="stable")
        st.caption(
            "Earliest publication date among the articles that state or report the claim (contradictions "
            "do not count), and the source(s) that published it that day."
        )
        st.dataframe(
            first[["claim_id", "first_date", "first_source", "n_sources", "text"]],
            hide_index=True,
            column_config={
                "claim_id": "Claim",
                "first_date": "First seen",
                "first_source": "First by",
                "n_sources": st.column_config.NumberColumn("Sources with it"),
                "text": st.column_config.TextColumn("Claim", width="large"),
            },
        )
        n_undated = int((~dated_days).sum())
        if n_undated:
            st.caption(f"{n_undated} article(s) in view have no publication date and cannot count as first.")

common.how_computed(
    """
**Publication dates** come from the corpus metadata (`sources.csv`, a CSV/JSONL field, the page's HTML
metadata) or a dateline at the top of the article. Unknown dates stay blank: they are never guessed.

**Dates in the text** are spaCy `DATE` entities in body and list-item sentences (reference-list entries are
*citations*, shown only with the toggle). Durations and frequencies ("for three years", "every week") are
not points in time and are left out. Each mention is resolved with dateparser plus rules for seasons,
quarters, "early/late", weekdays and relative words:

* **Anchor**: relative dates ("last week", "this summer", "on Tuesday") are resolved against the article's
  publication day, with the verb tense choosing between past and future occurrences. Without a known
  publication day they stay **unresolved** and are listed under *Not on the calendar*.
* **Precision**: every date keeps the precision the text gives: day, month, season, quarter or year. A
  coarse date is drawn as a bar over its whole period instead of a falsely exact point.
* **Conflicts**: two sources disagree when sentences about the same event (evidence of the same claim, or
  sharing most content words) carry dates where neither contains the other ("2025" and "2025-08-20" agree;
  "2025-08" and "2025-09" do not).
* **First seen** per claim: the earliest publication day among the articles that state or report it.
""",
    {"Dates (resolution accuracy and mention recall on the dev set)": common.dev_metrics("dates")},
)
