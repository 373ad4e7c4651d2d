"""Claims: which sources support, contradict, hedge or skip each claim, with the sentences behind it."""

from __future__ import annotations

import zlib

import pandas as pd
import streamlit as st

from analysis.charts_claims import (
    STATUSES,
    build_claim_grid_figure,
    evidence_markdown,
    filter_claims,
    notes_markdown,
    short_text,
    split_cue,
    stance_counts,
    syndicated_groups,
)
from analysis.claims import claim_method_notes, source_exclusives_omissions
from analysis.schema import TABLES
from analysis.textsafe import escape_markdown
from pages import common

PAGE_SIZE = 25
EVIDENCE_PAGE = 8  # evidence sentences per stance column and page
STATUS_HELP = {
    "contested": "some sources state something incompatible",
    "consensus": "two or more independent sources support it",
    "single-source": "only one source asserts it (others may hedge it: a hedge does not count as support)",
}
STATUS_ICONS = {
    "contested": ":material/warning:",
    "consensus": ":material/done_all:",
    "single-source": ":material/person:",
}
STANCE_HEAD = {
    "supports": ":blue[**✓ Supports**]",
    "contradicts": ":red[**✗ Contradicts**]",
    "hedged": ":orange[**? Hedged**]",
}

view = common.current_view()
st.title("Claims")
st.caption(
    "Sentences that make the same assertion are grouped into a claim; each source's stance on it is "
    "read from its own wording. Contested claims come first."
)

all_claims = view.tables["claims"]
if all_claims.empty:
    common.empty_state(
        "No claims were found in this corpus: no two sentences make a comparable assertion, or "
        "the articles have no declarative body sentences."
    )
    common.how_computed(notes_markdown(claim_method_notes()), {"Claims": common.dev_metrics("claims")})
    st.stop()

sources = [s for s in view.all_sources if s in set(view.sources)]
left, right = st.columns(2)
statuses = left.multiselect(
    "Status",
    list(STATUSES),
    default=list(STATUSES),
    key="claims-status",
    format_func=lambda s: s.replace("-", " "),
    help="Contested: "
    + STATUS_HELP["contested"]
    + ". Consensus: "
    + STATUS_HELP["consensus"]
    + ". Single source: "
    + STATUS_HELP["single-source"]
    + ".",
)
page_themes = right.multiselect(
    "Theme",
    list(view.themes),
    key="claims-theme",
    placeholder="All themes selected in the sidebar",
    help="Keeps claims whose sentences carry one of these themes. The sidebar's theme filter applies too.",
)
chosen_themes = page_themes or list(view.themes)

shown = filter_claims(all_claims, sources, statuses, chosen_themes, view.theme_names)
counts = stance_counts(shown)
cols = st.columns(4)
cols[0].metric("Claims in view", len(shown), help=f"Of {len(all_claims)} claims in the corpus.")
for col, status in zip(cols[1:], STATUSES, strict=True):
    col.metric(
        status.capitalize().replace("-", " "), counts[status], help=STATUS_HELP[status].capitalize() + "."
    )

if shown.empty:
    common.empty_state(
        "No claim matches these filters. Add statuses or themes, or clear the sidebar filters."
    )
else:
    # Paging: the grid and the list below show the same first claims; "Show more" adds a page.
    # Keyed by the filters, so a filter change starts again from the first page.
    key_n = f"claims-shown-n-{zlib.crc32(repr((statuses, chosen_themes, sources)).encode()):08x}"
    n_visible = min(len(shown), st.session_state.get(key_n, PAGE_SIZE))
    visible = shown.head(n_visible)

    evidence = view.tables["claim_evidence"]
    evidence = evidence[evidence["source"].isin(sources)]
    sent_cols = (
        view.tables["sentences"].set_index("sentence_id")[["tokens", "lemmas"]]
        if {"tokens", "lemmas"} <= set(view.tables["sentences"].columns)
        else pd.DataFrame(columns=["tokens", "lemmas"])
    )
    by_claim = dict(tuple(evidence.groupby("claim_id", sort=False)))

    def show_claim(claim: pd.Series, where: str = "list") -> None:
        """The claim's full text, its sources by stance, and its evidence sentences side by side."""
        st.markdown(f"**{escape_markdown(claim['text'])}**")
        n_sup, n_con = int(claim["n_support"]), int(claim["n_contradict"])
        st.caption(
            escape_markdown(
                f"{claim['status']} · {n_sup} independent voice(s) support, {n_con} contradict · agreement "
                f"{float(claim['agreement']):.0%} (share of covering independent voices that support, whole "
                f"corpus) · themes: {(claim['themes'] or '–').replace(';', ', ')}"
            )
        )
        rows = by_claim.get(claim["claim_id"], evidence.iloc[0:0])
        present = [s for s in ("supports", "contradicts", "hedged") if (rows["stance"] == s).any()]
        if not present:
            st.caption("No evidence sentence from the sources in view.")
        for col, stance in zip(st.columns(len(present) or 1, gap="medium"), present, strict=False):
            part = rows[rows["stance"] == stance]
            # The claim's own (representative) wording leads its column.
            part = part.assign(_rep=part["cue"] != "representative wording").sort_values(
                "_rep", kind="stable"
            )
            with col:
                st.markdown(f"{STANCE_HEAD[stance]} ({part['source'].nunique()} source(s), "
                            f"{len(part)} sentence(s))")
                # Paged: a consensus claim in a large corpus has hundreds of supporting sentences, and
                # drawing them all made opening one claim take seconds.
                pages = max(1, -(-len(part) // EVIDENCE_PAGE))
                if pages > 1:
                    page = st.pagination(pages, key=f"evidence-page-{claim['claim_id']}-{stance}-{where}")
                    part = part.iloc[(page - 1) * EVIDENCE_PAGE: page * EVIDENCE_PAGE]
                for ev in part.itertuples(index=False):
                    cue = split_cue(ev.cue)
                    tok = sent_cols["tokens"].get(ev.sentence_id, "") if len(sent_cols) else ""
                    lem = sent_cols["lemmas"].get(ev.sentence_id, "") if len(sent_cols) else ""
                    with st.container(border=True):
                        st.markdown(evidence_markdown(ev.text, stance, cue, tokens=tok, lemmas=lem))
                        why = [f"{ev.source} · {ev.sentence_id}"]
                        if cue.stance_cue:
                            why.append(f"why {stance}: {cue.stance_cue}")
                        elif ev.cue == "representative wording":
                            why.append("the claim's representative wording")
                        if cue.joined_by:
                            why.append(f"joined to the claim by {cue.joined_by}")
                        st.caption(escape_markdown(" · ".join(why)))
        silent = [s for s in claim["sources_silent"].split(";") if s]
        if silent:
            st.caption(escape_markdown("Silent (not mentioned): " + ", ".join(silent)))

    st.subheader("Who says what")
    st.caption(
        "One row per claim, one column per source. ✓ blue supports · ✗ vermillion contradicts · "
        "? orange hedged (reported as possible or attributed to others) · grey: silent (not "
        "mentioned). Hover a row for the full claim; click a cell to read its evidence right below the grid."
    )
    # A consumed click bumps the chart's key: the grid redraws without plotly's dimmed selection, and
    # the clicked claim stays open in the panel below until another click or "Close".
    grid_key = f"claims-grid-{st.session_state.get('_claims_grid_n', 0)}"
    grid = common.cached_derived(view.key("claims-grid", statuses, chosen_themes, n_visible),
                                lambda: build_claim_grid_figure(visible, sources, counts))
    event = st.plotly_chart(
        grid,
        theme="streamlit",
        key=grid_key,
        on_select="rerun",
        selection_mode="points",
    )
    points = (event.selection.points if event and getattr(event, "selection", None) else []) or []
    if points:
        ids = list(visible["claim_id"])
        label = points[0].get("y")
        custom = points[0].get("customdata")
        clicked = next((c for c in ids if isinstance(label, str) and label.startswith(f"{c} ·")), None)
        if clicked is None and isinstance(custom, list) and len(custom) > 3 and custom[3] in ids:
            clicked = custom[3]
        if clicked:
            st.session_state["_claims_focus"] = clicked
            st.session_state["_claims_grid_n"] = st.session_state.get("_claims_grid_n", 0) + 1
            st.rerun()
    focus = st.session_state.get("_claims_focus")
    if focus in set(shown["claim_id"]):
        with st.container(border=True, key="claims-focus"):
            head, close = st.columns([6, 1], vertical_alignment="center")
            head.markdown(f"**Selected in the grid: {escape_markdown(focus)}**")
            close.button(
                "Close",
                key="claims-focus-close",
                icon=":material/close:",
                on_click=st.session_state.pop,
                args=("_claims_focus", None),
            )
            show_claim(shown[shown["claim_id"] == focus].iloc[0], where="grid")

    # Computed once per corpus by the pipeline (whole-article similarity is the slow part).
    in_view = view.tables["syndication"]
    if "article_id" in in_view:
        in_view = in_view[in_view["article_id"].isin(view.table("articles")["article_id"])]
    groups = syndicated_groups(in_view, view.table("articles"))
    if len(groups):
        with st.container(border=True):
            st.markdown(
                "**Syndicated copy.** These sources ran the same text (whole-article similarity ≥ 0.8); "
                "each group counts as one independent voice in the support and contradiction counts."
            )
            st.dataframe(
                groups,
                hide_index=True,
                column_config={
                    "group": "Group",
                    "sources": "Sources",
                    "articles": "Articles",
                    "n_articles": "Articles (n)",
                },
            )

    st.subheader("Evidence per claim")
    for claim in visible.to_dict("records"):
        cid = claim["claim_id"]
        label = (
            f"{escape_markdown(cid)} · {escape_markdown(claim['status'])} · "
            f"{escape_markdown(short_text(claim['text'], 110))}"
        )
        exp = st.expander(
            label, key=f"claim-open-{cid}", on_change="rerun", icon=STATUS_ICONS.get(claim["status"])
        )
        if exp.open:
            with exp:
                show_claim(pd.Series(claim))
    if n_visible < len(shown):
        st.caption(f"Showing {n_visible} of {len(shown)} claims.")
        st.button(
            f"Show {min(PAGE_SIZE, len(shown) - n_visible)} more",
            key="claims-more",
            icon=":material/expand_more:",
            on_click=st.session_state.__setitem__,
            args=(key_n, n_visible + PAGE_SIZE),
        )
    common.download_csv(shown, "claims", label="Download these claims (CSV)", key="dl-claims-view")

st.subheader("Exclusives and omissions per source")
st.caption(
    "Exclusive: a claim only this source makes. Omission: a claim most of the other sources in view "
    "support that this source never mentions. Follows the source and theme filters (not the status "
    "filter)."
)
panel_claims = filter_claims(all_claims, sources, None, chosen_themes, view.theme_names)
exo = source_exclusives_omissions(panel_claims)
summary = pd.DataFrame({"source": sources})
for kind in ("exclusive", "omission"):
    n = exo[exo["kind"] == kind].groupby("source").size()
    summary[f"{kind}s"] = summary["source"].map(n).fillna(0).astype(int)
for stance, col in (
    ("supports", "sources_support"),
    ("contradicts", "sources_contradict"),
    ("hedged", "sources_hedged"),
):
    summary[stance] = [
        int(panel_claims[col].map(lambda v, s=s: s in v.split(";")).sum()) if len(panel_claims) else 0
        for s in sources
    ]
st.dataframe(
    summary,
    hide_index=True,
    column_config={
        "source": "Source",
        "exclusives": st.column_config.NumberColumn("Exclusives", help="Claims only this source makes."),
        "omissions": st.column_config.NumberColumn(
            "Omissions", help="Claims most other sources support, absent here."
        ),
        "supports": st.column_config.NumberColumn("Supports", help="Claims this source supports."),
        "contradicts": st.column_config.NumberColumn("Contradicts", help="Claims this source contradicts."),
        "hedged": st.column_config.NumberColumn(
            "Hedged", help="Claims this source reports as possible/attributed."
        ),
    },
)
panel_source = st.selectbox(
    "Source",
    sources,
    key="claims-panel-source",
    help="Lists that source's exclusive claims and its omissions.",
)
mine = exo[exo["source"] == panel_source]
ex_col, om_col = st.columns(2, gap="medium")
for col, kind, title in ((ex_col, "exclusive", "Exclusives"), (om_col, "omission", "Omissions")):
    part = mine[mine["kind"] == kind][["claim_id", "text"]]
    with col:
        st.markdown(f"**{title}** ({len(part)})")
        if part.empty:
            st.caption("None." if kind == "exclusive" else "None: it mentions every claim most others make.")
        else:
            st.dataframe(
                part,
                hide_index=True,
                column_config={
                    "claim_id": st.column_config.TextColumn("Claim", width="small"),
                    "text": st.column_config.TextColumn(
                        "Claim text", width="large", help=TABLES["claims"]["text"]
                    ),
                },
            )

common.how_computed(notes_markdown(claim_method_notes()), {"Claims": common.dev_metrics("claims")})
