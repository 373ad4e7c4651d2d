"""Overview: what the corpus is, the headline findings, tone per source and the articles table."""

from __future__ import annotations

import streamlit as st

from analysis.charts import build_tone_figure, source_colors
from analysis.findings import corpus_facts, headline_findings
from analysis.schema import TABLES
from analysis.textsafe import escape_markdown
from pages import common

view = common.current_view()
st.title("Overview")

tables = {name: view.table(name) for name in ("articles", "coverage", "claims", "sentences")}
tables["skipped"] = view.tables["skipped"]
articles = tables["articles"]
if articles.empty:
    common.empty_state("No article matches the sidebar filter. Clear the Sources filter to see the corpus.")
    st.stop()

facts = corpus_facts(tables)
cols = st.columns(5)
cols[0].metric("Articles", facts["articles"])
cols[1].metric("Sources", facts["sources"])
cols[2].metric("Sentences counted", f"{facts['sentences']:,}",
               help="Body and list-item sentences; headings, citations and boilerplate are left out.")
cols[3].metric("Dates known", f"{facts['dated']} of {facts['articles']}",
               help="Publication dates from metadata or a dateline; unknown dates stay blank, never guessed.")
cols[4].metric("Skipped files", facts["skipped"], help="Inputs that could not be read: see Data & downloads.")

st.subheader("Headline findings")
findings = headline_findings(tables)
if findings:
    # Findings quote source names and claim text: untrusted, so every line is escaped.
    st.markdown("\n".join(f"- {escape_markdown(f)}" for f in findings))
else:
    st.caption("Nothing stands out: with one source in view, or sources this similar, there is no contrast "
               "worth a headline.")

st.subheader("Tone per source")
st.caption("Mean tone of each source's sentences (−1 critical … +1 positive), with its number of articles.")
colors = source_colors(view.all_sources)
st.plotly_chart(build_tone_figure(articles, colors), theme="streamlit", key="overview-tone")

st.subheader("Articles")
shown = articles[["source", "title", "published", "published_from", "n_sentences", "n_words", "sentiment",
                  "url"]]
st.dataframe(
    shown, hide_index=True,
    column_config={
        "source": st.column_config.TextColumn("Source", help=TABLES["articles"]["source"]),
        "title": st.column_config.TextColumn("Title", help=TABLES["articles"]["title"], width="large"),
        "published": st.column_config.TextColumn("Published", help=TABLES["articles"]["published"]),
        "published_from": st.column_config.TextColumn("Date from", help=TABLES["articles"]["published_from"]),
        "n_sentences": st.column_config.NumberColumn("Sentences", help=TABLES["articles"]["n_sentences"]),
        "n_words": st.column_config.NumberColumn("Words", help=TABLES["articles"]["n_words"]),
        "sentiment": st.column_config.NumberColumn("Tone", help=TABLES["articles"]["sentiment"],
                                                   format="%+.2f"),
        # Shown as text, not a link: URLs come from untrusted input.
        "url": st.column_config.TextColumn("URL", help=TABLES["articles"]["url"]),
    })

common.how_computed(
    """
**Corpus.** Each file (or CSV/JSONL record) is one article. Text is cleaned into headings, body
paragraphs, list items, citations and boilerplate; only **body and list-item sentences count** toward
themes and tone.

**Headline findings** are computed, not written: a source "leans hardest" on a theme when its share of
sentences on that theme beats the pooled share of all other sources by at least 8 points and 1.5 times
(with 3+ sentences); "never mentions" means zero sentences while the other sources cover it. Tone compares
the sentence-weighted mean tone per source. Claim findings come from the Claims page: contested = some
sources state it and others state something incompatible; exclusives = claims only one source makes.
All findings follow the sidebar filters.

**Tone** is a lexicon score per sentence in [−1, 1] (0 when no tone words), read with the parse for
negation, intensifiers, hedges and contrast; the words behind each score are shown on Compare sources
and Themes heatmap. It measures wording, not the truth of a claim or an outlet's stance; small
differences (under about 0.05) are noise.
""",
    {"Themes (precision/recall per theme)": common.dev_metrics("themes"),
     "Tone (correlation with hand labels; coverage_lens is this app's scorer)": common.dev_metrics("tone")},
)
