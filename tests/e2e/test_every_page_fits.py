"""Every page a user of each role can reach by following links: no sideways scrolling at
1280 px, at 200 % zoom or printed on A4 landscape, and no JavaScript errors.

The walk follows same-site links breadth-first from the home page (GET only; downloads,
logout and language switches are left out) and stops at PAGE_LIMIT pages per role, with
at most PER_KIND pages of one kind (URLs that differ only in their numbers), so that one
long list does not use up the walk.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.e2e.conftest import assert_fits, log_in

PAGE_LIMIT = 45
PER_KIND = 2
USERS = [
    "admin",
    "kramfors.rapportor",
    "lst-vasternorrland.samordnare",
    "lst-vasternorrland.beredning",
    "sundsvall.inkop",
]
#: Links that change state, download a file or leave the page's language.
SKIPPED = re.compile(r"/logga-ut|/sprak|\.(pdf|csv|xlsx)$|/export|/ladda-ner|/bilagor/\d+$|"
                     r"format=|/dokument/|\?lang=")


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _links(page, origin: str) -> list[str]:  # noqa: ANN001
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIPPED.search(href):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


@pytest.mark.parametrize("username", USERS)
def test_every_reachable_page_fits(browser, live_server: str, username: str) -> None:
    context = browser.new_context(base_url=live_server, locale="sv-SE",
                                  viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, username)
    queue, seen, kinds, visited = ["/"], {"/"}, {}, []
    while queue and len(visited) < PAGE_LIMIT:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or response.status != 200 or "text/html" not in (
                response.headers.get("content-type", "")):
            continue
        visited.append(path)
        assert_fits(page)
        for link in _links(page, live_server):
            kind = _kind(urlsplit(link).path)
            if link not in seen and kinds.get(kind, 0) < PER_KIND:
                seen.add(link)
                kinds[kind] = kinds.get(kind, 0) + 1
                queue.append(link)
    context.close()
    assert len(visited) >= 10, visited
    assert errors == [], errors
