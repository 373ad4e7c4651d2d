"""Full-page screenshots of every page, in the light and the dark theme, for people to look at.

    python tests/e2e/screens.py --out /tmp/shots

starts ``streamlit run app.py`` twice on 127.0.0.1 (the configured light theme, then ``--theme.base
dark``) on the bundled seeds, with throw-away data and cache folders, and saves
``<out>/<theme>/<nn>-<page>.png`` plus a few states behind a click (a claim opened, a heatmap cell
picked, the "How this is computed" notes open). Uses the same Chromium as the browser tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from conftest import CHROMIUM_ARGS, ROOT, Server, _chromium_path, wait_for_app  # noqa: E402

# (file name, url path): the default page (Overview) lives at "/"; "/overview" shows "Page not found".
PAGES = [("overview", ""), ("compare", "compare"), ("themes", "themes"), ("claims", "claims"),
         ("timeline", "timeline"), ("corpus", "corpus"), ("data", "data")]


def settle(page, quiet_ms: int = 1000) -> None:
    """Wait until the script has been idle for ``quiet_ms`` and charts had time to draw."""
    wait_for_app(page, timeout=300_000)
    page.wait_for_function("""quiet => {
        const app = document.querySelector('[data-testid="stApp"]');
        const now = Date.now();
        if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') window.__lensBusy = now;
        return now - (window.__lensBusy || 0) >= quiet;
    }""", arg=quiet_ms, polling=100, timeout=300_000)
    page.wait_for_timeout(500)


def shoot(page, path: Path, max_height: int = 16_000) -> None:
    """Save the whole page: Streamlit scrolls inside its main container, so the window is grown to fit it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(...['stMain', 'stAppViewContainer', 'stSidebarContent']
        .map(id => document.querySelector(`[data-testid="${id}"]`))
        .filter(Boolean).map(e => e.scrollHeight), document.documentElement.scrollHeight)""")
    page.set_viewport_size({"width": size["width"], "height": min(max_height, max(size["height"], height))})
    page.wait_for_timeout(700)  # charts redraw at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    print(path, flush=True)


def extra_states(page, base: str, folder: Path) -> None:
    """States an analyst reaches by one click: an opened claim, a clicked heatmap cell, the method notes."""
    page.goto(f"{base}/claims")
    settle(page)
    claims = page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary').filter(
        has_not_text="How this is computed")
    if claims.count():
        claims.first.click()
        settle(page)
        shoot(page, folder / "20-claims-claim-open.png")

    page.goto(f"{base}/themes")
    settle(page)
    plot = page.locator('[data-testid="stMain"] .js-plotly-plot').first
    if plot.count():
        pos = plot.evaluate("""gd => { const fl = gd._fullLayout, box = gd.getBoundingClientRect();
            const n = gd.data[0].x.length, m = gd.data[0].y.length;
            return [box.left + fl.xaxis._offset + fl.xaxis.l2p(n - 1),
                    box.top + fl.yaxis._offset + fl.yaxis.l2p(m - 1)]; }""")
        page.mouse.click(*pos)
        page.wait_for_timeout(1500)
        settle(page)
        shoot(page, folder / "21-themes-cell-clicked.png")

    page.goto(f"{base}/")
    settle(page)
    notes = page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary').filter(
        has_text="How this is computed")
    if notes.count():
        notes.first.click()
        page.wait_for_timeout(800)
        shoot(page, folder / "22-overview-how-computed.png")


def run(out: Path, themes: list[str], width: int, cache: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    browser_path = _chromium_path()
    if browser_path is None:
        sys.exit("no Chromium found: apt-get install chromium, or set COVERAGE_LENS_CHROMIUM")
    work = Path(tempfile.mkdtemp(prefix="lens-screens-"))
    env = dict(os.environ)
    env["COVERAGE_LENS_CACHE"] = str(cache or work / "cache")  # shared: the second theme reuses the analysis
    env["PYTHONPATH"] = str(ROOT)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS, headless=True)
        for theme in themes:
            env_theme = dict(env, COVERAGE_LENS_DATA=str(work / f"data-{theme}"))
            server = Server(env_theme, args=[] if theme == "light" else ["--theme.base", theme])
            started = time.time()
            server.start()
            try:
                context = browser.new_context(viewport={"width": width, "height": 1000},
                                              color_scheme="dark" if theme == "dark" else "light")
                page = context.new_page()
                page.goto(server.url + "/")  # the first visit pays for the analysis
                settle(page)
                for i, (name, url_path) in enumerate(PAGES):
                    page.goto(f"{server.url}/{url_path}")
                    settle(page)
                    shoot(page, out / theme / f"{i:02d}-{name}.png")
                extra_states(page, server.url, out / theme)
                context.close()
            finally:
                server.stop()
            print(f"{theme}: {time.time() - started:.0f} s; server log {server.log_path}", flush=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--themes", nargs="+", default=["light", "dark"], choices=["light", "dark"])
    parser.add_argument("--width", type=int, default=1400, help="viewport width in pixels")
    parser.add_argument("--cache", type=Path, default=None,
                        help="analysis cache folder to reuse (default: a fresh temporary one)")
    args = parser.parse_args()
    run(args.out, args.themes, args.width, args.cache)


if __name__ == "__main__":
    main()
