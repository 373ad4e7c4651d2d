"""Coverage Lens: the dashboard frame. Page config, corpus choice, shared sidebar filters, navigation.

Run with ``streamlit run app.py``. The sidebar filters are bound to the URL's query parameters, so a
link reproduces the exact view (page, corpus, sources, themes).
"""

from __future__ import annotations

import streamlit as st

from pages import common

st.set_page_config(page_title="Coverage Lens", page_icon=":material/compare:", layout="wide",
                   initial_sidebar_state="expanded")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview",
            default=True),
    st.Page("pages/compare.py", title="Compare sources", icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page("pages/themes.py", title="Themes heatmap", icon=":material/grid_on:", url_path="themes"),
    st.Page("pages/claims.py", title="Claims", icon=":material/fact_check:", url_path="claims"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/corpus.py", title="Corpus", icon=":material/folder_open:", url_path="corpus"),
    st.Page("pages/data.py", title="Data & downloads", icon=":material/download:", url_path="data"),
]

nav = st.navigation(PAGES)
common.render_sidebar()
nav.run()
