"""Browser benchmark of the dashboard: how long pages and interactions take in a real Chromium.

    python bench/dashboard.py --articles 1000 [--workers 2]    # prepare a corpus from scratch, then measure
    python bench/dashboard.py --data D --cache C --corpus ID   # measure an already saved corpus

Preparation: build the deterministic synthetic corpus of bench/run.py (``build_corpus``), save it to a
CorpusStore in <workdir>/data and analyse it with the app's own code path (load_corpus + run_analysis with
Cache(<workdir>/cache)), plus the dev-set figures the pages show, so the dashboard opens from the disk
cache. With --data/--cache/--corpus only the analysis step runs: it reads the cached result back, or
fills the cache when the analysis code changed since (skip with --no-prime).

Then it starts ``streamlit run app.py`` on a free port and measures in headless Chromium (Playwright):

  first open          a fresh browser opens /?corpus=ID on a just-started server: imports, spaCy load,
                      analysis read from the disk cache, first page drawn (the server restarts per repeat)
  new session         a fresh browser context opens each page's URL (server memory cache warm)
  in-session nav      one browser tab clicks each page in the sidebar navigation
  filter change       one source picked in the sidebar's Sources filter, then the filter cleared, on
                      Overview, Compare, Themes, Claims, Timeline and Data
  claims expander     expanding (and collapsing) the first claim's evidence on Claims

A time runs from the navigation start or the pointer press of the click until the app's script run has finished
(``[data-testid="stApp"][data-test-script-state="notRunning"]``, confirmed after a short pause). The end
is the moment the state last turned "notRunning", logged in the page by a MutationObserver, so neither
the confirming pause nor polling delays count. Each measurement is repeated --repeats times; the table
gives median and max and, to tell the server's share from the browser's: the time until the script
started, the websocket span (first message sent .. last received, from Chrome's network events), the CPU
seconds of the streamlit process and of Chromium meanwhile, the kilobytes received, script runs and
exceptions shown. Server memory (RSS) is reported after each step and at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
# url path -> page title (h1 and sidebar navigation label). Overview is the default page, served at "/".
PAGES = {"": "Overview", "compare": "Compare sources", "themes": "Themes heatmap", "claims": "Claims",
         "timeline": "Timeline", "corpus": "Corpus", "data": "Data & downloads"}
FILTER_PAGES = ["", "compare", "themes", "claims", "timeline", "data"]
DEV_METRIC_AREAS = ("themes", "tone", "entities", "claims", "dates")  # what pages/*.py show via dev_metrics
FIRST_OPEN_TARGET_S = 5.0   # the "opens from cache in a few seconds", read as at most 5 s
FILTER_TARGET_S = 1.0       # the "a filter change re-renders in under a second in the browser"

# Installed in every document before the app's own scripts: logs [performance.now(), state] each time the
# app's script-run state changes. A document-wide observer finds the stApp element once it exists; after
# that only that element's attribute is watched (cheap on heavy pages).
STATE_LOGGER = """(() => {
  if (window.__lensLog) return;
  const log = [];
  let last, watched = null, rootObserver = null;
  const record = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    if (state !== last) { last = state; log.push([performance.now(), state]); }
    if (app && app !== watched) {
      watched = app;
      new MutationObserver(record).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
      if (rootObserver) { rootObserver.disconnect(); rootObserver = null; }
    }
  };
  window.__lensLog = log;
  window.__lensRecord = record;
  // When the (trusted) click really reached the page: timing starts there, not when Playwright began
  // its actionability checks (scrolling, waiting for a stable element).
  window.__lensInput = -1;
  addEventListener('pointerdown', e => { if (e.isTrusted) window.__lensInput = performance.now(); }, true);
  rootObserver = new MutationObserver(record);
  rootObserver.observe(document, {childList: true, subtree: true});
  record();
})();"""

# True once a script run started after log entry `mark` (or the document is new) and has finished.
RUN_DONE = """mark => {
  window.__lensRecord();
  const since = window.__lensLog.slice(mark);
  const started = since.some(e => e[1] !== 'notRunning');
  return started && document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]') !== null;
}"""


class BenchError(RuntimeError):
    """A benchmark step that cannot go on; the message says what and where to look."""


# ------------------------------------------------------------------------------------------ results

@dataclass
class Row:
    """One measured item: its times in seconds over the repeats, exceptions seen and notes."""

    category: str
    item: str
    seconds: list[float] = field(default_factory=list)
    before_run: list[float] = field(default_factory=list)  # seconds until the app reported its script running
    script_runs: list[int] = field(default_factory=list)   # script runs seen until idle (a rerun makes 2)
    ws: list[float] = field(default_factory=list)          # first websocket message sent .. last received
    kb: list[float] = field(default_factory=list)          # kilobytes received over the websocket
    server_cpu: list[float] = field(default_factory=list)  # CPU seconds of the server during it
    browser_cpu: list[float] = field(default_factory=list)  # CPU seconds of Chromium during it (incl. the pause)
    exceptions: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def max(self) -> float | None:
        return max(self.seconds) if self.seconds else None

    @property
    def median_before_run(self) -> float | None:
        return statistics.median(self.before_run) if self.before_run else None

    @property
    def median_ws(self) -> float | None:
        return statistics.median(self.ws) if self.ws else None

    @property
    def median_kb(self) -> float | None:
        return statistics.median(self.kb) if self.kb else None

    @property
    def median_server_cpu(self) -> float | None:
        return statistics.median(self.server_cpu) if self.server_cpu else None

    @property
    def median_browser_cpu(self) -> float | None:
        return statistics.median(self.browser_cpu) if self.browser_cpu else None

    def note(self, text: str) -> None:
        """Add a note once."""
        if text not in self.notes:
            self.notes.append(text)


class Results:
    """Rows in the order they were first measured."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Row] = {}
        self.failures = 0
        self.memory: list[tuple[str, float | None]] = []  # (after which step, server RSS in MB)

    def row(self, category: str, item: str) -> Row:
        """The row of one item, created on first use."""
        return self.rows.setdefault((category, item), Row(category, item))

    def category(self, category: str) -> list[Row]:
        """Every row of one category."""
        return [r for r in self.rows.values() if r.category == category]


def fmt(value: float | None) -> str:
    """Seconds with two decimals, or a dash."""
    return "-" if value is None else f"{value:.2f}"


# -------------------------------------------------------------------------------------- preparation

def analyse(data: Path, cache_dir: Path, corpus_id: str, workers: int) -> None:
    """Analyse a saved corpus into ``cache_dir`` the way the app does, plus the dev-set figures the pages show.

    With a cache that already holds the result this only reads it back (a few seconds); otherwise the
    missing work is done here, so the dashboard then opens from the disk cache.
    """
    import inspect

    from analysis.cache import Cache
    from analysis.corpus import load_corpus
    from analysis.evaluate import cached_evaluation
    from analysis.nlp import load_nlp
    from analysis.pipeline import run_analysis
    from analysis.reopen import reopen_or_analyse
    from analysis.store import CorpusStore

    t = time.perf_counter()
    nlp = load_nlp()
    print(f"  spaCy pipeline loaded: {time.perf_counter() - t:.1f} s")
    cache = Cache(cache_dir)
    themes_path = os.environ.get("COVERAGE_LENS_THEMES") or None
    folder = CorpusStore(data).path(corpus_id)  # the app's folder, so the app's cache keys
    t = time.perf_counter()
    kwargs: dict[str, Any] = {}
    if "workers" in inspect.signature(run_analysis).parameters:
        kwargs["workers"] = workers
    how = "whole result already in the cache (found by file stats)"

    def run():
        nonlocal how
        loaded = load_corpus(folder)
        result = run_analysis(loaded.articles, skipped=loaded.skipped, nlp=nlp, themes_path=themes_path,
                              cache=cache, **kwargs)
        how = ("whole result already in the cache" if result.stats.get("result_cache_hit")
               else f"analysed, {cache.hits} article(s) from the cache, workers={kwargs.get('workers', 1)}")
        return result

    # The same lookup the app does, so the app's first open finds the result by file stats.
    tables, _, _ = reopen_or_analyse(folder, run, cache, themes_path=themes_path)
    print(f"  analysis of {len(tables['articles'])} articles ({how}): {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    for area in DEV_METRIC_AREAS:
        cached_evaluation(area, cache, nlp=nlp)
    print(f"  dev-set figures shown on the pages ({', '.join(DEV_METRIC_AREAS)}): {time.perf_counter() - t:.1f} s")


def prepare(n: int, workdir: Path, workers: int) -> str:
    """Build, save and pre-analyse an n-article synthetic corpus in workdir; return its corpus id."""
    from analysis.store import CorpusStore
    from bench.run import build_corpus

    t_all = time.perf_counter()
    store = CorpusStore(workdir / "data")
    name = f"Synthetic {n} articles"
    existing = [c for c in store.list() if c.name == name]
    if existing:  # build_corpus is deterministic: a corpus saved by an earlier run here is the same one
        corpus_id = existing[0].corpus_id
        print(f"  reusing saved corpus {corpus_id} in {store.root}")
    else:
        t = time.perf_counter()
        folder = workdir / f"corpus-{n}"
        paths = build_corpus(n, folder)
        files = [(p.name, p.read_bytes()) for p in paths]
        files.append(("sources.csv", (folder / "sources.csv").read_bytes()))
        corpus_id = store.create(name, files).corpus_id
        shutil.rmtree(folder, ignore_errors=True)
        print(f"  built and saved {n} articles as {corpus_id}: {time.perf_counter() - t:.1f} s")
    analyse(workdir / "data", workdir / "cache", corpus_id, workers)
    print(f"preparation took {time.perf_counter() - t_all:.1f} s")
    return corpus_id


# ------------------------------------------------------------------------------------------- server

def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on a free port with the benchmark's data and cache directories."""

    def __init__(self, data: Path, cache: Path, log_dir: Path, start_timeout: float) -> None:
        self.env = dict(os.environ, COVERAGE_LENS_DATA=str(data), COVERAGE_LENS_CACHE=str(cache),
                        PYTHONUNBUFFERED="1")
        self.log_dir = log_dir
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.log_path = log_dir / "streamlit.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start the server and wait until /_stcore/health answers; return the seconds that took."""
        self.port = free_port()
        self.log_path = self.log_dir / f"streamlit-{self.port}.log"
        t0 = time.perf_counter()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                 "--server.port", str(self.port), "--server.address", "127.0.0.1"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = t0 + self.start_timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"streamlit exited with code {self.proc.returncode} while starting; "
                                 f"see {self.log_path}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"streamlit did not answer /_stcore/health within {self.start_timeout:.0f} s; "
                         f"see {self.log_path}")

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 15 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def memory_mb(self) -> tuple[float | None, float | None]:
        """The server's resident memory now and its peak (VmHWM), in MB (None when unreadable)."""
        if self.proc is None or self.proc.poll() is not None:
            return None, None
        rss = peak = None
        try:
            import psutil

            rss = psutil.Process(self.proc.pid).memory_info().rss / 2**20
        except ImportError:
            pass
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return rss, peak
        fields = dict(re.findall(r"^(Vm\w+):\s+(\d+) kB", status, flags=re.M))
        if rss is None and "VmRSS" in fields:
            rss = int(fields["VmRSS"]) / 1024
        if "VmHWM" in fields:
            peak = int(fields["VmHWM"]) / 1024
        return rss, peak

    def log_tail(self, chars: int = 2000) -> str:
        """The end of the server's log, without colour codes."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return re.sub(r"\x1b\[[0-9;]*m", "", text)[-chars:]


def _process_table() -> dict[int, tuple[int, float]]:
    """Every process as pid -> (parent pid, CPU seconds used so far), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()  # fields after "pid (comm)": state, ppid, ...
        out[int(entry.name)] = (int(rest[1]), (int(rest[11]) + int(rest[12])) / ticks)
    return out


def cpu_seconds(server_pid: int | None) -> tuple[float, float]:
    """CPU seconds used so far by the server process tree and by this script's Chromium processes.

    Chromium's processes are the descendants of this process outside the server's tree (the Playwright
    driver is counted too; it is small). Processes that exited (closed tabs) no longer count.
    """
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)

    def tree(root: int) -> set[int]:
        seen, todo = set(), [root]
        while todo:
            pid = todo.pop()
            if pid not in seen:
                seen.add(pid)
                todo.extend(children.get(pid, []))
        return seen

    server = tree(server_pid) if server_pid in table else set()
    browser = tree(os.getpid()) - server - {os.getpid()}
    return (sum(table[p][1] for p in server if p in table), sum(table[p][1] for p in browser if p in table))


# ------------------------------------------------------------------------------------------ browser

class Timer:
    """Times script runs of the app in one browser page."""

    def __init__(self, page: Any, timeout_s: float, settle_ms: int, server: Server) -> None:
        self.page = page
        self.timeout_ms = timeout_s * 1000
        self.settle_ms = settle_ms
        self.server = server
        self.last_before_run = 0.0  # of the last goto/action: seconds until the script run started
        self.last_runs = 0          # of the last goto/action: script runs it took
        self.last_ws: float | None = None  # first websocket message sent .. last received (server + transfer)
        self.last_kb = 0.0          # kilobytes the browser received over the websocket
        self.last_cpu = (0.0, 0.0)  # CPU seconds the server and the browser used during it
        # Websocket frames as (direction, CDP timestamp in s, payload bytes): the network stack's clock, so
        # a busy page (rendering) does not delay them.
        self.frames: list[tuple[str, float, int]] = []
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameSent", lambda e: self._frame("sent", e))
        cdp.on("Network.webSocketFrameReceived", lambda e: self._frame("received", e))
        cdp.send("Network.enable")

    def _frame(self, direction: str, event: dict) -> None:
        response = event.get("response") or {}
        data = response.get("payloadData") or ""
        size = len(data) * 3 // 4 if response.get("opcode") == 2 else len(data)  # binary frames are base64
        self.frames.append((direction, float(event.get("timestamp", 0.0)), size))

    def _ws_stats(self, frame_mark: int) -> None:
        """Set ``last_ws`` and ``last_kb`` from the frames since ``frame_mark``."""
        frames = self.frames[frame_mark:]
        sent = [t for d, t, _ in frames if d == "sent"]
        received = [t for d, t, _ in frames if d == "received"]
        self.last_ws = max(received) - min(sent) if sent and received and max(received) > min(sent) else None
        self.last_kb = sum(n for d, _, n in frames if d == "received") / 1024

    def _state(self) -> str:
        return self.page.evaluate(
            "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
            " return a ? a.getAttribute('data-test-script-state') : 'no app element'; }")

    def _log_tail(self) -> str:
        """The last script states the page logged, as "state@seconds" (for error messages)."""
        try:
            log = self.page.evaluate("window.__lensLog.slice(-5)")
        except Exception as exc:  # a crashed or blocked page
            return f"unavailable ({type(exc).__name__})"
        return ", ".join(f"{state}@{t / 1000:.1f}s" for t, state in log) or "none"

    def _wait_done(self, mark: int, what: str, timeout_ms: float, t0: float, frame_mark: int) -> float:
        """Wait for the run after log entry ``mark`` to finish (confirmed after a pause); return its end time.

        Also sets ``last_before_run`` (from ``t0`` until the first script run started) and ``last_runs``.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        first_mark = mark
        deadline = time.perf_counter() + timeout_ms / 1000
        while True:
            left = max(1.0, (deadline - time.perf_counter()) * 1000)
            try:
                self.page.wait_for_function(RUN_DONE, arg=mark, polling=50, timeout=left)
            except PlaywrightTimeout:
                raise BenchError(f"{what}: the app did not finish its script run within {timeout_ms / 1000:.0f} s "
                                 f"(script state now: {self._state()}; last states seen: {self._log_tail()}); "
                                 f"server log: {self.server.log_path}") from None
            n = self.page.evaluate("window.__lensLog.length")
            self.page.wait_for_timeout(self.settle_ms)  # the double check: no new run may have started
            n2, idle = self.page.evaluate(
                "sel => { window.__lensRecord(); return [window.__lensLog.length, !!document.querySelector(sel)]; }",
                IDLE)
            if n2 == n and idle:
                log = self.page.evaluate("m => window.__lensLog.slice(m)", first_mark)
                started = [t for t, state in log if state not in ("notRunning", "initial", None)]
                self.last_before_run = ((started[0] if started else log[-1][0]) - t0) / 1000
                self.last_runs = sum(1 for _, state in log if state == "running")
                self._ws_stats(frame_mark)
                return float(log[-1][0])
            mark = n  # another run started (a rerun): wait for that one too

    def goto(self, url: str, what: str, timeout_s: float | None = None) -> float:
        """Open a URL in this (fresh) page; seconds from navigation start until the app is idle."""
        frame_mark, cpu = len(self.frames), self._cpu()
        self.page.goto(url, wait_until="commit", timeout=(timeout_s * 1000 if timeout_s else self.timeout_ms))
        end = self._wait_done(0, what, timeout_s * 1000 if timeout_s else self.timeout_ms, 0.0, frame_mark)
        self.last_cpu = tuple(b - a for a, b in zip(cpu, self._cpu(), strict=True))
        return end / 1000  # performance.now() counts from the document's navigation start

    def action(self, act: Callable[[], None], what: str) -> float:
        """Do ``act`` (a click); seconds from the pointer press it caused until the run it caused has finished."""
        mark, t0 = self.page.evaluate("() => { window.__lensRecord(); window.__lensInput = -1; "
                                      "return [window.__lensLog.length, performance.now()]; }")
        frame_mark, cpu = len(self.frames), self._cpu()
        act()
        clicked = self.page.evaluate("window.__lensInput")
        t0 = clicked if clicked >= t0 else t0  # the moment the pointer went down, when seen
        seconds = (self._wait_done(mark, what, self.timeout_ms, t0, frame_mark) - t0) / 1000
        self.last_cpu = tuple(b - a for a, b in zip(cpu, self._cpu(), strict=True))
        return seconds

    def _cpu(self) -> tuple[float, float]:
        return cpu_seconds(self.server.proc.pid if self.server.proc else None)

    def exceptions(self) -> int:
        """Exception boxes on the page now."""
        return self.page.locator(EXCEPTION).count()

    def check_page(self, row: Row, title: str) -> None:
        """Note exceptions, a "Page not found" dialog, or a page title other than ``title``."""
        row.exceptions = max(row.exceptions, self.exceptions())
        if self.page.get_by_text("Page not found").count():
            row.note("'Page not found' dialog")
        h1 = self.page.locator('[data-testid="stMain"] h1').first
        shown = h1.inner_text(timeout=5000).strip() if h1.count() else ""
        if shown != title:
            row.note(f"title {shown!r} instead of {title!r}")


def page_url(base: str, path: str, corpus_id: str) -> str:
    """The URL of one page for the corpus."""
    return f"{base}/{path}?corpus={corpus_id}"


@contextlib.contextmanager
def new_tab(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context (own cookies and session) with the state logger installed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(STATE_LOGGER)
    try:
        yield context.new_page()
    finally:
        context.close()


def sources_box(page: Any) -> Any:
    """The sidebar's Sources multiselect."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.locator('input[aria-label="Sources"]')).first


def open_sources(page: Any) -> None:
    """Open the Sources multiselect's list of options (a click, else the keyboard)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = sources_box(page).locator("input").first
    box.click()
    try:
        page.get_by_role("option").first.wait_for(timeout=3000)
    except PlaywrightTimeout:
        box.press("ArrowDown")
        page.get_by_role("option").first.wait_for(timeout=10_000)


def first_source(page: Any) -> str:
    """The first source offered by the Sources filter (its dropdown is opened and closed again)."""
    open_sources(page)
    names = [t.strip() for t in page.get_by_role("option").all_inner_texts() if t.strip() != "Select all"]
    page.keyboard.press("Escape")
    if not names:
        raise BenchError("the Sources filter offers no source")
    return names[0]


def claim_expanders(page: Any) -> Any:
    """The per-claim expanders on the Claims page (not the "How this is computed" note)."""
    main = page.locator('[data-testid="stMain"]')
    return main.locator('[data-testid="stExpander"]').filter(
        has_not=page.locator("summary", has_text="How this is computed"))


def screenshot(page: Any, path: Path) -> None:
    """A PNG of the whole page: the viewport is stretched to the height of the app's scrolling main area."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"],'
            + ' [data-testid="stSidebarContent"]')].map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 20_000)})
    try:
        page.wait_for_timeout(500)  # layout and charts resize to the new viewport (no script run)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)


# ------------------------------------------------------------------------------------- measurements

def measure(results: Results, row: Row, fn: Callable[[], float], timer: Timer) -> float | None:
    """Run one timed step of ``timer``'s page; a failure is noted on the row (and counted), not fatal."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        seconds = fn()
    except (BenchError, PlaywrightError) as exc:
        results.failures += 1
        message = str(exc).splitlines()[0][:300]
        row.note(f"FAILED: {message}")
        print(f"    ! {row.category} / {row.item}: {message}", flush=True)
        return None
    row.seconds.append(seconds)
    row.before_run.append(timer.last_before_run)
    row.script_runs.append(timer.last_runs)
    if timer.last_ws is not None:
        row.ws.append(timer.last_ws)
    row.kb.append(timer.last_kb)
    row.server_cpu.append(timer.last_cpu[0])
    row.browser_cpu.append(timer.last_cpu[1])
    return seconds


def first_open(browser: Any, server: Server, corpus_id: str, results: Results, args: argparse.Namespace,
               repeat: int) -> None:
    """A fresh browser on a just-started server opens the Overview of the corpus."""
    row = results.row("first open", "Overview (/), server just started")
    with new_tab(browser) as page:
        timer = Timer(page, args.timeout, args.settle_ms, server)

        def run() -> float:
            seconds = timer.goto(page_url(server.url, "", corpus_id), "first open", args.open_timeout)
            timer.check_page(row, PAGES[""])
            return seconds

        seconds = measure(results, row, run, timer)
    rss, _ = server.memory_mb()
    results.memory.append((f"after first open #{repeat + 1}", rss))
    print(f"  first open #{repeat + 1}: {fmt(seconds)} s (server RSS after it: {fmt_mb(rss)})", flush=True)


def new_sessions(browser: Any, server: Server, corpus_id: str, results: Results, args: argparse.Namespace,
                 repeat: int) -> None:
    """Each page's URL in a fresh browser context; screenshots on the first repeat if asked."""
    for path, title in PAGES.items():
        row = results.row("new session", f"{title} (/{path})")
        with new_tab(browser) as page:
            timer = Timer(page, args.timeout, args.settle_ms, server)

            def run(timer: Timer = timer, path: str = path, row: Row = row, title: str = title) -> float:
                seconds = timer.goto(page_url(server.url, path, corpus_id), f"new session on /{path}")
                timer.check_page(row, title)
                return seconds

            measure(results, row, run, timer)
            if args.screenshots and repeat == 0:
                try:
                    screenshot(page, Path(args.screenshots) / f"{path or 'overview'}.png")
                except Exception as exc:  # a screenshot is a by-product: never a reason to stop measuring
                    row.note(f"no screenshot: {type(exc).__name__}")
    print(f"  new sessions #{repeat + 1} done", flush=True)


def navigation(browser: Any, server: Server, corpus_id: str, results: Results, args: argparse.Namespace,
               repeat: int) -> None:
    """In one tab: click every page in the sidebar navigation, ending back on Overview."""
    from playwright.sync_api import Error as PlaywrightError

    order = [p for p in PAGES if p] + [""]
    with new_tab(browser) as page:
        timer = Timer(page, args.timeout, args.settle_ms, server)
        try:
            timer.goto(page_url(server.url, "", corpus_id), "opening Overview for in-session navigation")
        except (BenchError, PlaywrightError) as exc:
            results.failures += 1
            results.row("in-session nav", "(opening Overview)").note(f"FAILED: {exc}")
            return
        for path in order:
            title = PAGES[path]
            row = results.row("in-session nav", f"-> {title}")
            link = page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).first

            def run(link: Any = link, title: str = title, row: Row = row) -> float:
                seconds = timer.action(link.click, f"navigating to {title}")
                timer.check_page(row, title)
                return seconds

            if measure(results, row, run, timer) is None:  # get back to a known state
                with contextlib.suppress(Exception):
                    timer.goto(page_url(server.url, path, corpus_id), f"reloading /{path}")
    print(f"  in-session navigation #{repeat + 1} done", flush=True)


def filter_changes(browser: Any, server: Server, corpus_id: str, results: Results, args: argparse.Namespace,
                   repeat: int) -> None:
    """On each filterable page: pick one source in the sidebar, then clear the filter; both timed."""
    from playwright.sync_api import Error as PlaywrightError

    with new_tab(browser) as page:
        timer = Timer(page, args.timeout, args.settle_ms, server)
        source = args.source
        for path in FILTER_PAGES:
            title = PAGES[path]
            pick_row = results.row("filter change", f"{title}: pick a source")
            clear_row = results.row("filter change", f"{title}: clear it")
            try:
                timer.goto(page_url(server.url, path, corpus_id), f"opening /{path} for the filter change")
                source = source or first_source(page)
            except (BenchError, PlaywrightError) as exc:
                results.failures += 1
                pick_row.note(f"FAILED to open the page: {str(exc).splitlines()[0][:200]}")
                continue

            def pick(title: str = title, row: Row = pick_row, source: str = source) -> float:
                open_sources(page)
                option = page.get_by_role("option", name=source, exact=True).first
                seconds = timer.action(option.click, f"picking {source!r} on {title}")
                page.keyboard.press("Escape")
                row.exceptions = max(row.exceptions, timer.exceptions())
                if "source=" not in page.url:
                    row.note("the URL did not get source=")
                return seconds

            def clear(title: str = title, row: Row = clear_row) -> float:
                button = sources_box(page).get_by_role("button", name="Clear all")
                seconds = timer.action(button.click, f"clearing the Sources filter on {title}")
                row.exceptions = max(row.exceptions, timer.exceptions())
                if "source=" in page.url:
                    row.note("the URL kept source=")
                return seconds

            if measure(results, pick_row, pick, timer) is not None:
                measure(results, clear_row, clear, timer)
    print(f"  filter changes #{repeat + 1} done (source {source!r})", flush=True)


def claims_expander(browser: Any, server: Server, corpus_id: str, results: Results, args: argparse.Namespace,
                    repeat: int) -> None:
    """On Claims: expand the first claim's evidence (st.expander with on_change="rerun"), then collapse it."""
    from playwright.sync_api import Error as PlaywrightError

    open_row = results.row("claims expander", "expand first claim's evidence")
    close_row = results.row("claims expander", "collapse it again")
    with new_tab(browser) as page:
        timer = Timer(page, args.timeout, args.settle_ms, server)
        try:
            timer.goto(page_url(server.url, "claims", corpus_id), "opening Claims for the expander")
        except (BenchError, PlaywrightError) as exc:
            results.failures += 1
            open_row.note(f"FAILED to open Claims: {str(exc).splitlines()[0][:200]}")
            return
        expanders = claim_expanders(page)
        if expanders.count() == 0:
            open_row.note("skipped: no claim expander on the Claims page")
            return
        summary = expanders.first.locator("summary")
        claim_id = summary.inner_text().split("·")[0].split()[-1].strip()

        def expand() -> float:
            seconds = timer.action(summary.click, "expanding the first claim")
            details = claim_expanders(page).filter(has=page.locator("summary", has_text=f"{claim_id} ·")).first \
                .locator('[data-testid="stExpanderDetails"]')
            body = details.inner_text(timeout=5000) if details.count() else ""
            if not re.search(r"(Supports|Contradicts|Hedged) \(\d+ source", body):
                open_row.note("expanded, but no evidence columns shown")
            open_row.exceptions = max(open_row.exceptions, timer.exceptions())
            return seconds

        if measure(results, open_row, expand, timer) is not None:
            measure(results, close_row, lambda: timer.action(summary.click, "collapsing the first claim"), timer)
    print(f"  claims expander #{repeat + 1} done", flush=True)


# ------------------------------------------------------------------------------------------- report

def fmt_mb(value: float | None) -> str:
    """Megabytes, or a dash."""
    return "-" if value is None else f"{value:,.0f} MB"


def print_table(results: Results) -> None:
    """Every row: runs, median, max, exceptions and notes."""
    width = max(len(r.item) for r in results.rows.values())
    head = (f"{'category':<16} {'item':<{width}} {'n':>2} {'median s':>9} {'max s':>7} {'to run s':>9} "
            f"{'ws s':>6} {'srv CPU':>7} {'brw CPU':>7} {'KB in':>6} {'runs':>4} {'exc':>4}  notes")
    print("\n" + head + "\n" + "-" * len(head))
    last = None
    for r in results.rows.values():
        if last is not None and r.category != last:
            print()
        last = r.category
        runs = "-" if not r.script_runs else str(max(r.script_runs))
        print(f"{r.category:<16} {r.item:<{width}} {len(r.seconds):>2} {fmt(r.median):>9} {fmt(r.max):>7} "
              f"{fmt(r.median_before_run):>9} {fmt(r.median_ws):>6} {fmt(r.median_server_cpu):>7} "
              f"{fmt(r.median_browser_cpu):>7} "
              f"{'-' if r.median_kb is None else f'{r.median_kb:.0f}':>6} {runs:>4} {r.exceptions:>4}  "
              f"{'; '.join(r.notes)}")
    print("n: successful repeats · median s / max s: navigation start or pointer press until the app is idle · "
          "to run s: median until the app showed its script running (page load, connection, round trip) · ws s: "
          "median from the first websocket message the page sent to the last it took in (the server's run and the "
          "transfer, but a page busy drawing takes messages in late, so an upper bound of the server's share) · "
          "srv CPU / brw CPU: median CPU "
          "seconds the streamlit process / Chromium used meanwhile (both share this machine's cores; Chromium's "
          "includes the confirming pause) · KB in: median websocket "
          "kilobytes received · runs: most script runs in one measurement · exc: exception boxes on the page")


def print_summary(results: Results, memory: tuple[float | None, float | None]) -> None:
    """One line per category, with the issue's targets."""
    def spread(rows: list[Row]) -> str:
        done = [r for r in rows if r.seconds]
        if not done:
            return "no successful measurement"
        meds = [r.median for r in done]
        slow = max(done, key=lambda r: r.median)
        fast = min(done, key=lambda r: r.median)
        return (f"medians {min(meds):.2f}-{max(meds):.2f} s (fastest {fast.item}, slowest {slow.item} "
                f"{slow.median:.2f} s), worst single run {max(r.max for r in done):.2f} s")

    print("\nSummary")
    first = results.category("first open")
    if first and first[0].seconds:
        r = first[0]
        verdict = "MET" if r.median <= FIRST_OPEN_TARGET_S else "NOT MET"
        print(f"  first open:        median {r.median:.2f} s, max {r.max:.2f} s over {len(r.seconds)} server "
              f"start(s)  -> target 'a 1000-article corpus opens from cache in a few seconds' "
              f"(<= {FIRST_OPEN_TARGET_S:.0f} s here): {verdict}")
    else:
        print("  first open:        no successful measurement")
    print(f"  new session:       {spread(results.category('new session'))}")
    print(f"  in-session nav:    {spread(results.category('in-session nav'))}")
    filt = [r for r in results.category("filter change") if r.seconds]
    print(f"  filter change:     {spread(filt)}")
    if filt:
        over = [f"{r.item} ({r.median:.2f} s)" for r in filt if r.median >= FILTER_TARGET_S]
        verdict = "MET" if not over else "NOT MET on " + ", ".join(over)
        print(f"                     -> target 'a filter change re-renders in under a second in the browser' "
              f"(median per interaction < {FILTER_TARGET_S:.0f} s): {verdict}")
    exp = results.category("claims expander")
    if exp:
        print(f"  claims expander:   {spread(exp) if any(r.seconds for r in exp) else '; '.join(exp[0].notes)}")
    n_exc = sum(r.exceptions for r in results.rows.values())
    print(f"  exceptions shown:  {n_exc}" + ("" if not n_exc else " (" + ", ".join(
        f"{r.category}/{r.item}: {r.exceptions}" for r in results.rows.values() if r.exceptions) + ")"))
    steps = ", ".join(f"{label} {fmt_mb(rss)}" for label, rss in results.memory)
    print(f"  server memory:     RSS {fmt_mb(memory[0])} at the end, peak {fmt_mb(memory[1])} ({steps})")
    if results.failures:
        print(f"  FAILED steps:      {results.failures} (see the notes column)")


# --------------------------------------------------------------------------------------------- main

def parse_args() -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=1000, help="size of the synthetic corpus to prepare")
    p.add_argument("--workers", type=int, default=1, help="analysis worker processes for the preparation")
    p.add_argument("--workdir", help="folder for the prepared corpus, cache and server log (kept; default: a "
                                     "temporary folder, removed at the end)")
    p.add_argument("--data", help="existing $COVERAGE_LENS_DATA (with --cache and --corpus: skip preparation)")
    p.add_argument("--cache", help="existing $COVERAGE_LENS_CACHE holding the corpus's analysis")
    p.add_argument("--corpus", help="id of the saved corpus in --data")
    p.add_argument("--no-prime", action="store_true",
                   help="with --data/--cache: do not check and fill the analysis cache before measuring")
    p.add_argument("--repeats", type=int, default=3, help="repeats of every measurement (default 3)")
    p.add_argument("--source", help="source to pick in the filter (default: the first one offered)")
    p.add_argument("--screenshots", help="folder for a full-page PNG of each page")
    p.add_argument("--json", help="also write the measurements to this JSON file")
    p.add_argument("--timeout", type=float, default=120, help="seconds one page load or interaction may take")
    p.add_argument("--open-timeout", type=float, default=600,
                   help="seconds the first open may take (a cold cache means a full analysis)")
    p.add_argument("--server-timeout", type=float, default=90, help="seconds for streamlit to start")
    p.add_argument("--settle-ms", type=int, default=400, help="pause before re-checking that the app stayed idle")
    p.add_argument("--only", nargs="+", choices=["first", "session", "nav", "filter", "expander"],
                   help="measure only these categories")
    args = p.parse_args()
    given = [args.data, args.cache, args.corpus]
    if any(given) and not all(given):
        p.error("--data, --cache and --corpus go together")
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    return args


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM (e.g. from `timeout`) takes the KeyboardInterrupt path, so the server is always stopped."""
    raise KeyboardInterrupt


def main() -> int:
    """Prepare, start the server, measure, print the table; always stop the server."""
    args = parse_args()
    signal.signal(signal.SIGTERM, _terminate)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    temp = None
    if args.workdir:
        workdir = Path(args.workdir).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = temp = Path(tempfile.mkdtemp(prefix="coverage-lens-dash-"))
    server: Server | None = None
    results = Results()
    memory: tuple[float | None, float | None] = (None, None)
    try:
        if args.data:
            data, cache, corpus_id = Path(args.data).resolve(), Path(args.cache).resolve(), args.corpus
            print(f"Using saved corpus {corpus_id} (data {data}, cache {cache}); --articles is ignored")
            if not args.no_prime:
                t = time.perf_counter()
                analyse(data, cache, corpus_id, args.workers)
                print(f"checking (and if needed filling) the analysis cache took {time.perf_counter() - t:.1f} s")
        else:
            data, cache = workdir / "data", workdir / "cache"
            print(f"Preparing a {args.articles}-article corpus in {workdir}")
            corpus_id = prepare(args.articles, workdir, args.workers)
        only = set(args.only or ["first", "session", "nav", "filter", "expander"])
        server = Server(data, cache, workdir, args.server_timeout)

        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                starts = args.repeats if "first" in only else 1
                for i in range(starts):
                    server.stop()
                    print(f"streamlit started in {server.start():.1f} s at {server.url} (log {server.log_path})",
                          flush=True)
                    if "first" in only:
                        first_open(browser, server, corpus_id, results, args, i)
                    else:  # warm the server's memory cache before timing the other categories
                        with new_tab(browser) as page:
                            Timer(page, args.timeout, args.settle_ms, server).goto(
                                page_url(server.url, "", corpus_id), "warming the server", args.open_timeout)
                steps = [("session", new_sessions), ("nav", navigation), ("filter", filter_changes),
                         ("expander", claims_expander)]
                for name, step in steps:
                    if name not in only:
                        continue
                    for i in range(args.repeats):
                        step(browser, server, corpus_id, results, args, i)
                    results.memory.append((f"after {name}", server.memory_mb()[0]))
            finally:
                browser.close()
        memory = server.memory_mb()
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the server", file=sys.stderr)
        return 130
    except BenchError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        if server is not None:
            print(f"--- server log tail ({server.log_path}) ---\n{server.log_tail()}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if results.rows:
            print_table(results)
            print_summary(results, memory)
        if args.json and results.rows:
            Path(args.json).write_text(json.dumps(
                {"memory_mb": {"rss": memory[0], "peak": memory[1]}, "failures": results.failures,
                 "rows": [{"category": r.category, "item": r.item, "seconds": r.seconds, "median": r.median,
                           "before_run": r.before_run, "script_runs": r.script_runs, "ws": r.ws, "kb": r.kb,
                           "server_cpu": r.server_cpu, "browser_cpu": r.browser_cpu,
                           "max": r.max, "exceptions": r.exceptions, "notes": r.notes}
                          for r in results.rows.values()]}, indent=1))
        if temp is not None:
            if results.failures:
                print(f"(kept {temp} for the server log)")
            else:
                shutil.rmtree(temp, ignore_errors=True)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
