"""Browser tests: every page of a real ``streamlit run app.py`` in Chromium, driven like an analyst would.

Most tests share one session server on the bundled seeds; the upload/restart test and the deep-link test
start their own (fresh processes are what they test). Selectors rely on what a user sees: page titles
(h1), widget labels ("Sources", "Corpus", "Source", "Theme", "Article files", "Corpus name"), button and
tab texts, and Streamlit's stable data-testid attributes.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect


def _load_conftest():
    # tests/ has no packages, so "conftest" is ambiguous on sys.path: load this folder's by its path.
    spec = importlib.util.spec_from_file_location("e2e_conftest", Path(__file__).with_name("conftest.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_conf = _load_conftest()
Server, assert_no_exception, wait_for_app = _conf.Server, _conf.assert_no_exception, _conf.wait_for_app

pytestmark = pytest.mark.e2e

# url path -> the page title (h1) it must show. The default page (Overview) lives at "/": Streamlit
# ignores a default page's url_path, so "/overview" shows a "Page not found" dialog.
PAGES = {
    "": "Overview",
    "compare": "Compare sources",
    "themes": "Themes heatmap",
    "claims": "Claims",
    "timeline": "Timeline",
    "corpus": "Corpus",
    "data": "Data & downloads",
}
NAV_LABELS = ["Overview", "Compare sources", "Themes heatmap", "Claims", "Timeline", "Corpus",
              "Data & downloads"]
# A sentence id as the pages print it under evidence: "<article_id>:<position:03d>"
SENTENCE_ID = re.compile(r"[\w.-]+:\u200b?\d{3}\b")

RECALL_TXT = (
    "Carmaker recalls 80,000 electric SUVs over battery fire risk\n\n"
    "The carmaker said on Monday it would recall about 80,000 electric SUVs after a battery fault was "
    "linked to several fires in parked vehicles.\n\n"
    "Regulators said no injuries had been reported so far, but owners were told to park outside until "
    "a software update limits the charge level.\n\n"
    "Analysts warned that the recall could cost the company more than $400 million and dent demand "
    "for its newest models.\n")
RECALL_HTML = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Battery fault forces SUV recall</title>"
    "</head><body><nav>Home | Business | Autos</nav><article><h1>Battery fault forces SUV recall</h1>"
    "<p>The company insisted the fault affected only a small batch of cells made at one plant, and said "
    "dealers would replace the modules free of charge.</p>"
    "<p>Safety advocates criticised the carmaker for waiting months before telling owners about the "
    "risk.</p><p>Shares fell 3% in early trading.</p></article>"
    "<footer>Copyright 2025 Example News</footer></body></html>")


# ---------------------------------------------------------------------------------------------- helpers

@pytest.fixture(scope="session")
def app(server: Server, browser) -> str:
    """The session server's base URL, after one full visit of the app root.

    The first visit pays for the spaCy load and the seed analysis; it also runs app.py (st.navigation)
    once, so later deep links are routed by the app's own navigation.
    """
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(server.url + "/")
    wait_for_app(pg, timeout=300_000)
    assert_no_exception(pg)
    context.close()
    return server.url


def open_page(page, url: str) -> None:
    """Go to a URL of the app, wait for the script to finish, fail on any exception box."""
    page.goto(url)
    wait_for_app(page)
    settle(page)
    assert_no_exception(page)
    assert page.get_by_text("Page not found").count() == 0, f"{url} shows Streamlit's 'Page not found' dialog"


def settle(page, quiet_ms: int = 1000) -> None:
    """Wait until the script has not been running for ``quiet_ms`` (a page may rerun itself once on load)."""
    page.wait_for_function("""quiet => {
        const app = document.querySelector('[data-testid="stApp"]');
        const now = Date.now();
        if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') window.__lensBusy = now;
        return now - (window.__lensBusy || 0) >= quiet;
    }""", arg=quiet_ms, polling=100, timeout=120_000)


def rerun(page, action, timeout: float = 120_000) -> None:
    """Do ``action`` (a click, a key press) and wait for the script run it triggers to finish.

    Watching the app's script state for "running" avoids the race of checking "notRunning" before the
    rerun has even started; an action that triggers no run just waits a few seconds.
    """
    page.evaluate("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.__lensRuns = 0;
        if (window.__lensObserver) window.__lensObserver.disconnect();
        window.__lensObserver = new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') === 'running') window.__lensRuns++;
        });
        window.__lensObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }""")
    action()
    try:
        page.wait_for_function("window.__lensRuns > 0", timeout=10_000)
    except PlaywrightTimeout:
        pass
    wait_for_app(page, timeout)


def title(page) -> str:
    """The page title (first h1 of the main area)."""
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def metric(page, label: str) -> str:
    """The value of the st.metric with this label."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def sidebar_options(page, label: str, area: str = "stSidebar") -> list[str]:
    """The options of a selectbox/multiselect of the sidebar (or another area; opens and closes its list)."""
    box = page.locator(f'[data-testid="{area}"] input[role="combobox"][aria-label="{label}"]').first
    open_combobox(page, box)
    options = page.get_by_role("option")
    # A multiselect offers a "Select all" entry first: not an option of the data.
    names = [t.strip() for t in options.all_inner_texts() if t.strip() != "Select all"]
    page.keyboard.press("Escape")
    return names


def sidebar_value(page, label: str) -> str | None:
    """The shown value of a sidebar selectbox."""
    return page.locator(f'[data-testid="stSidebar"] input[aria-label="{label}"]').first.get_attribute("value")


def open_combobox(page, box) -> None:
    """Open a selectbox/multiselect's list of options (a click, else the keyboard: the click alone
    sometimes only focuses the input)."""
    box.click()
    options = page.get_by_role("option")
    try:
        options.first.wait_for(timeout=3_000)
    except PlaywrightTimeout:
        box.press("ArrowDown")
        options.first.wait_for(timeout=10_000)


def pick_source(page, source: str) -> None:
    """Add one source to the sidebar's Sources filter and wait for the rerun."""
    open_combobox(page, page.locator('[data-testid="stSidebar"] input[role="combobox"][aria-label="Sources"]')
                  .first)
    rerun(page, page.get_by_role("option", name=source, exact=True).click)
    page.keyboard.press("Escape")


def sources_in_filter(page, expected: int) -> list[str]:
    """The sources shown as tags in the sidebar's Sources multiselect (waits for ``expected`` tags)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.locator('input[aria-label="Sources"]'))
    tags = box.first.locator("[data-tag]")
    try:
        expect(tags).to_have_count(expected, timeout=10_000)
    except AssertionError:
        pass  # the caller's assertion shows what is there
    return [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())]


def download_csv(page, button_text: str) -> pd.DataFrame:
    """Click a visible download button and read the CSV it delivers."""
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=button_text) \
        .locator("visible=true").first
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def seed_articles() -> pd.DataFrame:
    """The seeds as the corpus loader reads them (sources, ids), without the NLP pipeline."""
    from analysis.corpus import load_corpus

    return load_corpus(Path(__file__).resolve().parents[2] / "seeds").articles


@pytest.fixture()
def fresh_server(server_env, tmp_path) -> Iterator[Server]:
    """A server of its own (own data dir, the session's analysis cache): for restart and first visits."""
    env = dict(server_env)
    env["COVERAGE_LENS_DATA"] = str(tmp_path / "data")
    srv = Server(env)
    srv.start()
    yield srv
    srv.stop()


# ------------------------------------------------------------------------------------------------ tests

@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_every_page_loads_with_its_title(page, app, path):
    open_page(page, f"{app}/{path}")
    assert title(page) == PAGES[path]
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for label in NAV_LABELS:
        assert label in nav


def test_source_filter_updates_url_and_content_and_is_restored_from_url(page, app, seed_articles):
    open_page(page, f"{app}/")
    assert title(page) == "Overview"
    assert int(metric(page, "Articles")) == len(seed_articles)
    options = sidebar_options(page, "Sources")
    assert sorted(options) == sorted(seed_articles["source"].unique())
    source = options[-1]
    expected = int((seed_articles["source"] == source).sum())
    assert expected < len(seed_articles)

    pick_source(page, source)
    assert_no_exception(page)
    assert parse_qs(urlparse(page.url).query).get("source") == [source], page.url
    assert int(metric(page, "Articles")) == expected
    assert int(metric(page, "Sources")) == 1
    shared = page.url

    # The same link in a new tab restores the filter and the filtered content.
    other = page.context.new_page()
    open_page(other, shared)
    assert title(other) == "Overview"
    assert sources_in_filter(other, 1) == [source]
    assert int(metric(other, "Articles")) == expected

    # The filter follows the user to another page (the Data page's articles tab counts it).
    nav_link = other.locator('[data-testid="stSidebarNav"]').get_by_text("Data & downloads", exact=True)
    rerun(other, nav_link.click)
    assert_no_exception(other)
    assert title(other) == "Data & downloads"
    assert parse_qs(urlparse(other.url).query).get("source") == [source], other.url
    assert other.get_by_role("tab", name=f"articles ({expected})").count() == 1


def test_heatmap_cell_click_shows_its_evidence(page, app):
    open_page(page, f"{app}/themes")
    plot = page.locator('[data-testid="stMain"] .js-plotly-plot').first
    plot.wait_for()
    # The cell with the most sentences that is not the evidence panel's default (first source, first theme).
    cell = plot.evaluate("""gd => {
        const t = gd.data[0], fl = gd._fullLayout;
        let best = null;
        t.y.forEach((src, i) => t.x.forEach((th, j) => {
            const v = t.z[i][j];
            const ok = (i || j) && v !== null && !Number.isNaN(v);
            if (ok && (best === null || v > best.v)) best = {i, j, v, src, th};
        }));
        const box = gd.getBoundingClientRect();
        best.px = box.left + fl.xaxis._offset + fl.xaxis.l2p(best.j);
        best.py = box.top + fl.yaxis._offset + fl.yaxis.l2p(best.i);
        return best;
    }""")
    assert cell and cell["v"] > 0, cell
    rerun(page, lambda: page.mouse.click(cell["px"], cell["py"]))
    assert_no_exception(page)

    main = page.locator('[data-testid="stMain"]')
    # The click is copied into the evidence panel's Source/Theme selectboxes.
    shown = {label: main.locator(f'input[aria-label="{label}"]').first.get_attribute("value")
             for label in ("Source", "Theme")}
    assert shown == {"Source": cell["src"], "Theme": cell["th"]}, (
        "the first click on a heatmap cell did not select it", cell, shown)
    summary = main.get_by_text(f"{cell['src']} · {cell['th']}:").first
    summary.wait_for()
    n_cell = int(re.search(r":\W*(\d+) sentences", summary.inner_text()).group(1))
    captions = [c for c in main.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
                if c.startswith("cues:")]
    # The panel lists the cell's sentences (a first page of up to 20), each with its cues and sentence id.
    assert n_cell > 0 and len(captions) == min(20, n_cell), (n_cell, captions)
    assert all(SENTENCE_ID.search(c) for c in captions), captions


def test_csv_download_matches_the_filtered_table(page, app, seed_articles):
    source = sorted(seed_articles["source"].unique())[0]
    expected = seed_articles[seed_articles["source"] == source]
    open_page(page, f"{app}/data?source={source}")
    assert title(page) == "Data & downloads"
    assert sources_in_filter(page, 1) == [source]

    articles = download_csv(page, "articles.csv")
    assert set(articles["source"]) == {source}
    assert sorted(articles["article_id"]) == sorted(expected["article_id"])
    assert page.get_by_role("tab", name=f"articles ({len(expected)})").count() == 1
    assert page.get_by_text(f"{len(expected)} rows of {len(seed_articles)}").count() >= 1

    tab = page.get_by_role("tab", name=re.compile(r"^sentences \(\d[\d,]*\)$"))
    n_shown = int(re.search(r"\(([\d,]+)\)", tab.inner_text()).group(1).replace(",", ""))
    tab.click()
    sentences = download_csv(page, "sentences.csv")
    assert len(sentences) == n_shown > 0
    assert set(sentences["source"]) == {source}
    assert set(sentences["article_id"]) <= set(expected["article_id"])
    assert sentences["sentence_id"].str.match(r"^.+:\d{3}$").all()


def test_claim_expander_shows_evidence_sentences(page, app):
    open_page(page, f"{app}/claims")
    assert title(page) == "Claims"
    main = page.locator('[data-testid="stMain"]')
    claims = main.locator('[data-testid="stExpander"]').filter(
        has_not=page.locator("summary", has_text="How this is computed"))
    assert claims.count() > 0, main.inner_text()[:2000]
    first = claims.first
    header = first.locator("summary").inner_text()
    claim_id = header.split("·")[0].split()[-1].strip()
    rerun(page, first.locator("summary").click)
    assert_no_exception(page)
    first = main.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text=f"{claim_id} ·")).first
    details = first.locator('[data-testid="stExpanderDetails"]')
    details.wait_for()
    body = details.inner_text()
    assert re.search(r"(Supports|Contradicts|Hedged) \(\d+ source", body), body
    assert SENTENCE_ID.search(body), body


def test_timeline_shows_chart_or_explicit_empty_state(page, app):
    open_page(page, f"{app}/timeline")
    assert title(page) == "Timeline"
    main = page.locator('[data-testid="stMain"]')
    chart = main.locator(".js-plotly-plot")
    empty = main.locator('[data-testid="stAlert"]').filter(has_text="calendar date")
    assert chart.count() + empty.count() >= 1, main.inner_text()[:2000]
    if chart.count():
        n_points = chart.first.evaluate("gd => gd.data.reduce((n, t) => n + (t.x ? t.x.length : 0), 0)")
        assert n_points > 0
        assert main.get_by_role("heading", name="Dated items").count() == 1


def test_upload_txt_and_html_creates_a_corpus_that_survives_restart(fresh_server, page):
    name = "E2E upload: SUV recall"
    open_page(page, fresh_server.url + "/")
    open_page(page, fresh_server.url + "/corpus")
    assert title(page) == "Corpus"
    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files([
        {"name": "recall.txt", "mimeType": "text/plain", "buffer": RECALL_TXT.encode()},
        {"name": "recall.html", "mimeType": "text/html", "buffer": RECALL_HTML.encode()},
    ])
    page.locator('[data-testid="stFileChipName"]', has_text="recall.html").wait_for()
    page.get_by_label("Corpus name").fill(name)
    rerun(page, lambda: page.get_by_label("Corpus name").press("Enter"))
    rerun(page, page.get_by_role("button", name=re.compile("Analyze")).click, timeout=300_000)
    assert_no_exception(page)
    success = page.locator('[data-testid="stAlert"]').filter(has_text="Saved and analysed")
    assert success.count() == 1, page.locator('[data-testid="stMain"]').inner_text()[:2000]
    assert "2 article(s)" in success.inner_text()
    assert sidebar_value(page, "Corpus") == name  # the new corpus is selected
    corpus_id = parse_qs(urlparse(page.url).query).get("corpus", [None])[0]

    fresh_server.stop()
    fresh_server.start()

    open_page(page, fresh_server.url + "/corpus")
    assert title(page) == "Corpus"
    # Listed on the Corpus page ("Open a corpus"; the table beside it is a canvas) and in the sidebar.
    assert name in sidebar_options(page, "Open a corpus", area="stMain")
    assert name in sidebar_options(page, "Corpus")
    # Select it in the sidebar: its two articles are analysed and shown.
    open_combobox(page, page.locator('[data-testid="stSidebar"] input[role="combobox"][aria-label="Corpus"]'))
    rerun(page, page.get_by_role("option", name=name).click, timeout=300_000)
    assert_no_exception(page)
    assert sidebar_value(page, "Corpus") == name
    if corpus_id:
        assert parse_qs(urlparse(page.url).query).get("corpus") == [corpus_id]
    assert "2 articles" in page.locator('[data-testid="stSidebar"]').inner_text()


def test_deep_link_as_first_visit_uses_the_app_navigation(fresh_server, page):
    """A bookmarked page opened first on a fresh server gets app.py's navigation, not Streamlit's legacy
    pages/ folder mode (which lists raw file names and knows no "themes" url path)."""
    page.goto(fresh_server.url + "/themes?metric=Tone")
    wait_for_app(page, timeout=300_000)
    settle(page)
    assert_no_exception(page)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "common" not in nav.split(), "Streamlit's legacy pages/ navigation is showing: " + nav
    for label in NAV_LABELS:
        assert label in nav
    assert title(page) == "Themes heatmap"
    assert urlparse(page.url).path.rstrip("/").endswith("/themes"), page.url
    assert parse_qs(urlparse(page.url).query).get("metric") == ["Tone"], page.url
    assert page.get_by_text("Page not found").count() == 0, (
        "the first visit of a fresh server ran in Streamlit's legacy pages/ mode, which has no 'themes' page")
