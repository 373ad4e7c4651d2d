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
    label_margin,
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

PAGE_SIZE = 12  # sentences per source and page
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


def roomy_margins(fig, labels, *, legend: bool = False):
    """The figure with margins that already fit its y labels, legend and x axis (see ``label_margin``:
    with room from the start, Plotly's automargin has nothing to push and draws each chart once)."""
    # Right: room for the value labels drawn outside the longest bars ("94% (16)").
    fig.update_layout(margin={"l": label_margin(labels), "r": 64, "t": 48 if legend else 8, "b": 64})
    return fig


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


def small_note(text: str) -> str:
    """Markdown of an already escaped note in small grey type (what st.caption shows, inside one element)."""
    return f":small[:gray[{text}]]"


def sentence_markdown(row, *, with_cues: bool = True) -> str:
    """One sentence: escaped text with cue highlights, then on the next line, small and grey, why (themes,
    cues, tone words)."""
    cues = cue_words(row.theme_cues) if with_cues else []
    text = highlight_markdown(row.text, cues, tokens=row.tokens, lemmas=row.lemmas)
    why = escape_markdown(why_caption(row.theme_cues, row.sentiment, row.tone_terms))
    return f"{text}  \n{small_note(why)}"


def show_sentences(rows, *, heading: str = "", with_cues: bool = True) -> None:
    """A heading and sentences as one Markdown element. Every element is a component for the browser to
    build: a sentence drawn as text plus caption made a page of 12 cost 24 of them, in every column."""
    parts = [heading] if heading else []
    parts += [sentence_markdown(row, with_cues=with_cues) for row in rows.itertuples(index=False)]
    st.markdown("\n\n".join(parts))


@st.fragment
def sentence_pages(picked, key: str) -> None:
    """One source's sentences, a page at a time. A fragment: turning a page redraws only this list,
    not the whole page (three columns of charts and sentences take over a second in the browser)."""
    pages = max(1, math.ceil(len(picked) / PAGE_SIZE))
    box = st.container(height=520)
    page = st.pagination(pages, key=key) if pages > 1 else 1
    with box:
        show_sentences(picked.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])


st.markdown("**Theme coverage**: share of each source's sentences per theme (count in brackets)")
if themes and not coverage.empty:
    share = common.cached_derived(view.key("compare-share", chosen), lambda: roomy_margins(
        build_theme_share_figure(coverage, chosen, colors, themes), themes, legend=True))
    st.plotly_chart(share, theme="streamlit", key="theme-share")
else:
    common.empty_state("No theme in view.")

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
        pos, neg = common.cached_derived(view.key("compare-extremes", source),
                                         partial(tone_extremes, sentences, source, n=2))
        for title, rows, none in (("Most positive sentences", pos, "No sentence with positive tone words."),
                                  ("Most critical sentences", neg, "No sentence with negative tone words.")):
            if rows.empty:
                st.markdown(f"**{title}**  \n{small_note(none)}")
            else:
                show_sentences(rows, heading=f"**{title}**", with_cues=False)

        picked = common.cached_derived(view.key("compare-sentences", source, theme_choice), partial(
            counted_sentences, sentences, source, None if theme_choice == ALL_THEMES else theme_choice))
        label = "All sentences" if theme_choice == ALL_THEMES else f"Sentences about {theme_choice}"
        st.markdown(f"**{escape_markdown(label)}** ({len(picked)})")
        if picked.empty:
            common.empty_state(f"{source} has no sentence about {theme_choice}."
                               if theme_choice != ALL_THEMES else f"{source} has no body sentence.")
            continue
        sentence_pages(picked, f"page-{source}-{theme_choice}")

def show_entity_evidence(view, names, chosen, event) -> None:
    """The sentences behind an entity bar: the clicked bar, or the entity and source picked below."""
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
    parts = []
    for row in rows.iloc[(page - 1) * EVIDENCE_PAGE: page * EVIDENCE_PAGE].itertuples(index=False):
        tone = f"{row.sentiment:+.2f}" if row.sentiment == row.sentiment else "n/a"  # NaN-safe
        note = escape_markdown(f"{row.source} · mention “{row.mention}” · clause tone {tone} · {row.sentence_id}")
        parts.append(f"{escape_markdown(row.text)}  \n{small_note(note)}")
    with st.container(height=320):
        st.markdown("\n\n".join(parts))  # one element for the page of sentences (see show_sentences)


entities = view.table("entities")
names = common.cached_derived(view.key("compare-top-entities", chosen), partial(top_entities, entities, chosen))
if not entities.empty and names:
    st.header("Who is mentioned")
    st.caption("Mentions of people, organisations and products (names merged across spellings), per source. "
               "Click a bar, or pick an entity below, for the sentences behind it.")
    event = st.plotly_chart(common.cached_derived(view.key("compare-entities", chosen),
                                                  lambda: roomy_margins(build_entity_figure(entities, chosen, colors),
                                                                        names, legend=True)),
                            theme="streamlit", key="entities",
                            on_select="rerun", selection_mode="points")
    show_entity_evidence(view, names, chosen, event)
    only = common.cached_derived(view.key("compare-exclusive", chosen), partial(exclusive_entities, entities, chosen))
    if len(chosen) > 1 and not only.empty:
        st.markdown("**Named by only one of these sources** (who brings in competitors, critics, others)")
        st.dataframe(only, hide_index=True, width="content")
    shared = len(chosen) > 1 and common.cached_derived(
        view.key("compare-shared-entities", chosen), partial(top_entities, entities, chosen, shared_only=True))
    if shared:
        st.subheader("Tone toward shared entities")
        st.caption("Mean tone of the clauses that name each entity, for entities two or more of these "
                   "sources mention.")
        st.plotly_chart(common.cached_derived(view.key("compare-entity-tone", chosen),
                                              lambda: roomy_margins(
                                                  build_entity_tone_figure(entities, chosen, colors), names,
                                                  legend=True)),
                        theme="streamlit", key="entity-tone")

@st.fragment
def distinctive_terms(terms, chosen) -> None:
    """One tab per source with its distinctive terms. Only the open tab's table is built and sent (lazy tabs
    in a fragment: switching tabs reruns just this section); three tables at once cost the browser ~0.25 s
    on every filter change."""
    tabs = st.tabs([escape_markdown(s) for s in chosen], on_change="rerun",
                   key=f"compare-terms-{zlib.crc32(repr(chosen).encode()):08x}")
    for tab, source in zip(tabs, chosen, strict=True):
        if tab.open is False:
            continue
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


terms = view.table("terms")
if not terms.empty and terms["source"].isin(chosen).any():
    st.header("Distinctive wording")
    st.caption("Words and phrases a source uses more than the rest of the corpus, most distinctive first "
               "(z above 1.96: distinctive at about the 5% level; lower: a leaning).")
    distinctive_terms(terms, chosen)

common.how_computed(
    """
**Theme coverage**: share of the source's body and list-item sentences tagged with each theme (a sentence
may carry several themes). Themes are matched by cue terms and phrases from the themes file, on lemmas,
with context rules; the highlighted words in each sentence are the cues that matched, listed after it.

**Tone**: each sentence gets a lexicon score in [−1, 1]; the words that drove it are listed with their signed
contributions. The source's mean weights every sentence equally. Zero-tone sentences are left out of the
most positive / critical lists, and a sentence the source repeats is listed there once.

**Who is mentioned**: spaCy named entities (organisations, people, products, works), merged across
spellings and aliases; tone toward an entity is the tone of the clause that names it.

**Distinctive wording**: weighted log-odds with an informative prior (Monroe et al. 2008) of each lemma or
noun phrase in this source against all others.
""",
    {"Themes": common.dev_metrics("themes"), "Tone": common.dev_metrics("tone"),
     "Entities": common.dev_metrics("entities")},
)
