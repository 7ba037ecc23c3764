"""Browser tests: a real server (subprocess) on 127.0.0.1 with the demo data, driven by
Playwright through Debian's Chromium. Skipped (loudly) without /usr/bin/chromium, except in
CI where REQUIRE_BROWSER=1 turns the skip into a failure.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(encoding='utf-8')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start in time")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server with migrated SQLite database and the demo data."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required in CI but missing")
        pytest.skip(f"browser tests need {CHROMIUM} (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("live")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'e2e.db'}",
           "FLASK_SECRET_KEY": "e2e-secret", "FLASK_WTF_CSRF_ENABLED": "true",
           "FLASK_JOBS_SQLITE_PATH": str(folder / "jobs.db")}
    env.pop("TEST_DATABASE_URL", None)
    _flask(env, "db", "upgrade")
    _flask(env, "demo-data", "--quiet")
    port = _free_port()
    log = folder / "server.log"
    with log.open("w", encoding="utf-8") as log_file:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        worker = subprocess.Popen([*flask, "worker"], cwd=ROOT, env=env, stdout=log_file,
                                  stderr=subprocess.STDOUT)
        process = subprocess.Popen(
            [*flask, "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            for child in (process, worker):
                child.terminate()
                child.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(live_server: str):  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server: str):  # noqa: ANN001, ANN201
    """A fresh browser context (no cookies) per test, collecting CSP violations and JS errors."""
    context = browser.new_context(base_url=live_server, locale="sv-SE")
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda msg: msg.type == "error" and tab.problems.append(msg.text))
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    yield tab
    context.close()


def log_in(page, username: str, password: str = "samordna-demo") -> None:  # noqa: ANN001
    page.goto("/logga-in")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")


def open_draft(page, username: str) -> None:  # noqa: ANN001
    """Log in as a municipality's reporter and open a draft of this period's report: started
    afresh, or a correction of the submitted one."""
    log_in(page, username)
    page.goto("/lagesbild/")
    start = page.get_by_role("button", name=re.compile("Starta rapport"))
    if start.count():
        start.click()
    else:
        page.locator(".card a.button").first.click()
        correct = page.get_by_role("button", name="Rätta rapporten (ny revision)")
        if correct.count():
            correct.click()
    page.get_by_role("link", name="Granska och skicka in").wait_for()


def submit_from_form(page) -> None:  # noqa: ANN001
    """Press the submission button after the rows, then confirm on the review page."""
    page.get_by_role("link", name="Granska och skicka in").click()
    page.get_by_role("button", name="Bekräfta och skicka in").click()
    page.get_by_text("Rapporten är inskickad.").wait_for()


#: Printable width of A4 landscape with the print stylesheet's 12 mm margins, in CSS px.
A4_LANDSCAPE_PX = round((297 - 2 * 12) / 25.4 * 96)
#: 200 % zoom of a 1280 × 800 window is a 640 × 400 CSS-pixel viewport.
ZOOMED_200 = {"width": 640, "height": 400}


def assert_fits(page) -> None:  # noqa: ANN001
    """The page does not scroll sideways at its own size, at 200 % zoom, or printed on A4
    landscape; the viewport is restored afterwards."""
    original = page.viewport_size
    page.wait_for_load_state("load")  # stylesheets applied
    try:
        for size, media in ((original, "screen"), (ZOOMED_200, "screen"),
                            ({"width": A4_LANDSCAPE_PX, "height": 700}, "print")):
            page.set_viewport_size(size)
            page.emulate_media(media=media)
            width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert width <= inner, f"{page.url} ({media}, {size['width']} px): {width} px wide"
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(original)
