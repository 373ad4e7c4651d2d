"""Compare sources: 2-4 sources side by side: themes, tone, sentences, entities and distinctive terms."""

from __future__ import annotations

import math
import zlib
from functools import partial

import streamlit as st

from analysis.charts import (
    build_entity_figure,
    build_entity_tone_figure,
    build_theme_share_figure,
    source_colors,
    source_tone,
    top_entities,
)
from analysis.findings import (
    counted_sentences,
    exclusive_entities,
    sources_by_articles,
    terms_with_examples,
    tone_extremes,
)
from analysis.textsafe import escape_markdown, highlight_markdown, parse_cues
from pages import common

PAGE_SIZE = 12  # sentences per source and page: each one is two elements to draw
EVIDENCE_PAGE = 10
ALL_THEMES = "All themes in view"

view = common.current_view()
st.title("Compare sources")

articles = view.table("articles")
options = sources_by_articles(articles)
if not options:
    common.empty_state("No article matches the sidebar filter. Clear the Sources filter to compare sources.")
    st.stop()

# The widget key follows the sources on offer, so a sidebar filter change resets the choice instead of
# keeping sources that are no longer available.
chosen = st.multiselect("Sources to compare", options, default=options[:3], max_selections=4,
                        key=f"compare-sources-{zlib.crc32(repr(options).encode()):08x}",
                        help="Two to four sources, side by side. Defaults to those with the most articles.")
if not chosen:
    common.empty_state("Pick at least one source to compare.")
    st.stop()

colors = source_colors(view.all_sources)
coverage = view.table("coverage")
sentences = view.table("sentences")
tone = source_tone(articles).set_index("source")
themes = list(view.themes)
theme_choice = st.selectbox("Show sentences about", [ALL_THEMES, *themes], key="compare-theme",
                            help="Filters the sentence lists below; highlighted words are the theme cues.")
x_max = float(coverage[coverage["source"].isin(chosen)]["share"].max()) if not coverage.empty else 0.0


def cue_words(theme_cues: str) -> list[str]:
    """Cues of the themes in view (only the chosen theme when one is picked)."""
    cues = parse_cues(theme_cues)
    wanted = [theme_choice] if theme_choice != ALL_THEMES else themes
    return [c for t in wanted for c in cues.get(t, [])]


def why_caption(theme_cues: str, sentiment: float, tone_terms: str) -> str:
    """Evidence under a sentence: its themes with their cue words, then its tone and the words behind it."""
    themes_part = "; ".join(f"{t} ({', '.join(c)})" for t, c in parse_cues(theme_cues).items())
    tone_part = f"tone {sentiment:+.2f}" + (f" from {tone_terms.replace('; ', ', ')}" if tone_terms else "")
    return (f"themes: {themes_part} · " if themes_part else "") + tone_part


def show_sentence(row, *, with_cues: bool = True) -> None:
    """One sentence: escaped text with cue highlights, then why (themes, cues, tone words) in a caption."""
    cues = cue_words(row.theme_cues) if with_cues else []
    st.markdown(highlight_markdown(row.text, cues, tokens=row.tokens, lemmas=row.lemmas))
    st.caption(escape_markdown(why_caption(row.theme_cues, row.sentiment, row.tone_terms)))


@st.fragment
def sentence_pages(picked, key: str) -> None:
    """One source's sentences, a page at a time. A fragment: turning a page redraws only this list,
    not the whole page (three columns of charts and sentences take over a second in the browser)."""
    pages = max(1, math.ceil(len(picked) / PAGE_SIZE))
    box = st.container(height=520)
    page = st.pagination(pages, key=key) if pages > 1 else 1
    with box:
        for row in picked.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE].itertuples(index=False):
            show_sentence(row)


columns = st.columns(len(chosen), gap="medium")
for col, source in zip(columns, chosen, strict=True):
    with col, st.container(border=True):
        st.subheader(escape_markdown(source))
        n_art = int(tone.loc[source, "articles"]) if source in tone.index else 0
        n_sent = int(tone.loc[source, "sentences"]) if source in tone.index else 0
        mean = tone.loc[source, "tone"] if source in tone.index else float("nan")
        st.markdown(f"{n_art} article{'s' if n_art != 1 else ''} · {n_sent} sentences · mean tone "
                    f"**{'–' if mean != mean else f'{mean:+.2f}'}**",
                    help="Mean tone of the source's sentences: −1 critical … +1 positive.")
        st.markdown("**Theme coverage** (share of its sentences)")
        if themes and not coverage.empty:
            share = common.cached_derived(view.key("compare-share", source, chosen), partial(
                build_theme_share_figure, coverage, source, colors.get(source, "#888888"), themes, x_max=x_max))
            st.plotly_chart(share, theme="streamlit", key=f"share-{source}")
        else:
            common.empty_state("No theme in view.")

        pos, neg = common.cached_derived(view.key("compare-extremes", source),
                                         partial(tone_extremes, sentences, source, n=2))
        st.markdown("**Most positive sentences**")
        if pos.empty:
            st.caption("No sentence with positive tone words.")
        for row in pos.itertuples(index=False):
            show_sentence(row, with_cues=False)
        st.markdown("**Most critical sentences**")
        if neg.empty:
            st.caption("No sentence with negative tone words.")
        for row in neg.itertuples(index=False):
            show_sentence(row, with_cues=False)

        picked = common.cached_derived(view.key("compare-sentences", source, theme_choice), partial(
            counted_sentences, sentences, source, None if theme_choice == ALL_THEMES else theme_choice))
        label = "All sentences" if theme_choice == ALL_THEMES else f"Sentences about {theme_choice}"
        st.markdown(f"**{escape_markdown(label)}** ({len(picked)})")
        if picked.empty:
            common.empty_state(f"{source} has no sentence about {theme_choice}."
                               if theme_choice != ALL_THEMES else f"{source} has no body sentence.")
            continue
        sentence_pages(picked, f"page-{source}-{theme_choice}")

def show_entity_evidence(view, entities, chosen, event) -> None:
    """The sentences behind an entity bar: the clicked bar, or the entity and source picked below."""
    names = top_entities(entities, chosen)
    points = (event.selection.points if event and getattr(event, "selection", None) else []) or []
    if points and points[0].get("y") in names:  # a clicked bar: y is the entity
        st.session_state["entity-pick"] = points[0]["y"]
    left, right = st.columns(2)
    entity = left.selectbox("Sentences that mention", names, key="entity-pick")
    source = right.selectbox("in", ["all of these sources", *chosen], key="entity-source")
    rows = view.tables["entity_sentences"]
    rows = rows[(rows["entity"] == entity) & rows["source"].isin(chosen if source not in chosen else [source])]
    if rows.empty:
        common.empty_state(f"No sentence of these sources mentions {entity}.")
        return
    st.caption(f"{len(rows)} sentence(s); tone is the tone of the clause that names {escape_markdown(entity)}.")
    pages = max(1, math.ceil(len(rows) / EVIDENCE_PAGE))
    page = st.pagination(pages, key=f"entity-page-{entity}-{source}") if pages > 1 else 1
    with st.container(height=320):
        for row in rows.iloc[(page - 1) * EVIDENCE_PAGE: page * EVIDENCE_PAGE].itertuples(index=False):
            st.markdown(escape_markdown(row.text))
            tone = f"{row.sentiment:+.2f}" if row.sentiment == row.sentiment else "n/a"  # NaN-safe
            st.caption(f"{escape_markdown(row.source)} · mention “{escape_markdown(row.mention)}” · clause tone "
                       f"{tone} · {row.sentence_id}")


entities = view.table("entities")
if not entities.empty and top_entities(entities, chosen):
    st.header("Who is mentioned")
    st.caption("Mentions of people, organisations and products (names merged across spellings), per source. "
               "Click a bar, or pick an entity below, for the sentences behind it.")
    event = st.plotly_chart(common.cached_derived(view.key("compare-entities", chosen),
                                                  lambda: build_entity_figure(entities, chosen, colors)),
                            theme="streamlit", key="entities",
                            on_select="rerun", selection_mode="points")
    show_entity_evidence(view, entities, chosen, event)
    only = exclusive_entities(entities, chosen)
    if len(chosen) > 1 and not only.empty:
        st.markdown("**Named by only one of these sources** (who brings in competitors, critics, others)")
        st.dataframe(only, hide_index=True, width="content")
    if len(chosen) > 1 and top_entities(entities, chosen, shared_only=True):
        st.subheader("Tone toward shared entities")
        st.caption("Mean tone of the clauses that name each entity, for entities two or more of these "
                   "sources mention.")
        st.plotly_chart(build_entity_tone_figure(entities, chosen, colors), theme="streamlit",
                        key="entity-tone")

terms = view.table("terms")
if not terms.empty and terms["source"].isin(chosen).any():
    st.header("Distinctive wording")
    st.caption("Words and phrases a source uses more than the rest of the corpus, most distinctive first "
               "(z above 1.96: distinctive at about the 5% level; lower: a leaning).")
    for tab, source in zip(st.tabs([escape_markdown(s) for s in chosen]), chosen, strict=True):
        with tab:
            table = common.cached_derived(view.key("compare-terms", source),
                                          partial(terms_with_examples, terms, view.tables["sentences"], source))
            if table.empty:
                st.caption("No distinctive term.")
                continue
            st.dataframe(table, hide_index=True, column_config={
                "term": st.column_config.TextColumn("Term", width=160),
                "count": st.column_config.NumberColumn("Uses", width=60),
                "z": st.column_config.NumberColumn("z", format="%.1f", width=60,
                                                   help="Above 1.96: distinctive at about the 5% level."),
                "example": st.column_config.TextColumn("Example sentence", width="large")})

common.how_computed(
    """
**Theme coverage**: share of the source's body and list-item sentences tagged with each theme (a sentence
may carry several themes). Themes are matched by cue terms and phrases from the themes file, on lemmas,
with context rules; the highlighted words in each sentence are the cues that matched, listed after it.

**Tone**: each sentence gets a lexicon score in [−1, 1]; the words that drove it are listed with their signed
contributions. The source's mean weights every sentence equally. Zero-tone sentences are left out of the
most positive / critical lists.

**Who is mentioned**: spaCy named entities (organisations, people, products, works), merged across
spellings and aliases; tone toward an entity is the tone of the clause that names it.

**Distinctive wording**: weighted log-odds with an informative prior (Monroe et al. 2008) of each lemma or
noun phrase in this source against all others.
""",
    {"Themes": common.dev_metrics("themes"), "Tone": common.dev_metrics("tone"),
     "Entities": common.dev_metrics("entities")},
)
