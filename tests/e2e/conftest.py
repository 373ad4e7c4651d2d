"""Browser tests: a real ``streamlit run app.py`` on a free port, driven by Playwright in Chromium.

The browser is Debian's Chromium (/usr/bin/chromium) or one named by $COVERAGE_LENS_CHROMIUM, else
Playwright's own (after ``playwright install chromium``). Without any, the tests are skipped with that
instruction, except in CI ($COVERAGE_LENS_REQUIRE_BROWSER=1) where a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("COVERAGE_LENS_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A streamlit server process for the tests; restartable with the same data directory."""

    started: list[Server] = []  # every server of the session, to find the log behind a page's error

    def __init__(self, env: dict[str, str], args: list[str] | None = None) -> None:
        self.env = env
        self.args = list(args or [])  # extra `streamlit run` options, e.g. ["--theme.base", "dark"]
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None
        # The server's output (tracebacks of redacted errors) goes to a log file beside its data dir.
        data = Path(env.get("COVERAGE_LENS_DATA") or ROOT)
        self.log_path = data.parent / f"streamlit-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        Server.started.append(self)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                 "--server.port", str(self.port), "--server.headless", "true",
                 "--server.address", "127.0.0.1", *self.args],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"streamlit did not become healthy within 90 s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="session")
def browser_path() -> str:
    path = _chromium_path()
    if path is None:
        try:  # a Playwright-managed browser, if the user installed one
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                path = p.chromium.executable_path
                if not Path(path).exists():
                    path = None
        except Exception:
            path = None
    if path is None:
        message = ("no Chromium found: install Debian's chromium (apt-get install chromium), "
                   "or run `playwright install chromium`, or set COVERAGE_LENS_CHROMIUM")
        if os.environ.get("COVERAGE_LENS_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    env = dict(os.environ)
    env["COVERAGE_LENS_DATA"] = str(tmp_path_factory.mktemp("e2e-data"))
    env["COVERAGE_LENS_CACHE"] = str(tmp_path_factory.mktemp("e2e-cache"))
    env["PYTHONPATH"] = str(ROOT)
    return env


class RunningServer(Server):
    """An already running local server (COVERAGE_LENS_E2E_URL, for debugging a test against a live app)."""

    def __init__(self, env: dict[str, str], url: str) -> None:
        super().__init__(env)
        self._url = url.rstrip("/")

    @property
    def url(self) -> str:
        return self._url

    def start(self) -> None:  # not ours to start or stop
        pass

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def server(server_env) -> Iterator[Server]:
    reuse = os.environ.get("COVERAGE_LENS_E2E_URL")
    if reuse:
        # Only this machine: the suite never talks to another host.
        if not reuse.startswith("http://127.0.0.1:"):
            pytest.fail("COVERAGE_LENS_E2E_URL must be http://127.0.0.1:<port>")
        yield RunningServer(server_env, reuse)
        return
    srv = Server(server_env)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser(browser_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the test item, so a fixture can tell that the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture()
def page(browser, request, tmp_path_factory):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # A screenshot of every open tab of a failed test, to see what the browser showed.
        folder = Path(os.environ.get("COVERAGE_LENS_E2E_FAILURES")
                      or tmp_path_factory.getbasetemp() / "failures")
        folder.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)[:120]
        for i, tab in enumerate(context.pages):
            try:
                shot = folder / f"{name}-{i}.png"
                tab.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of the failed test: {shot}")
            except Exception:  # a closed or crashed tab: nothing to show
                pass
    context.close()


def wait_for_app(page, timeout: float = 120_000) -> None:
    """Wait until the script has finished running and no spinner is left."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def assert_no_exception(page, server: Server | None = None) -> None:
    """Fail when the page shows an exception box (with the server log's tail when the server is known)."""
    if page.locator('[data-testid="stException"]').count() == 0:
        return
    message = page.locator('[data-testid="stMain"]').inner_text()[:1500]
    server = server or next((s for s in reversed(Server.started) if page.url.startswith(s.url)), None)
    log = getattr(server, "log_path", None)
    if log and log.exists():
        tail = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))[-3000:]
        message += "\n--- server log (tail) ---\n" + tail
    raise AssertionError(message)
