"""Every route answers 404 to ids that do not exist, are too large or are malformed."""
from __future__ import annotations

import re

import pytest
from flask import Flask

from app.auth.roles import Role
from app.core.models import OrgKind
from tests.helpers import page_csrf

#: Values for the non-id parts of URLs that exist, so that only the id under test is wrong.
GOOD_VALUES = {"county_code": "22", "section_key": "own", "material_code": "MUNSKYDD_IIR",
               "fmt": "xlsx"}
BAD_IDS = ("99999999999999999999", "2147483648", "-1", "abc", "1.5", "0x10")
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes_with_ids(app: Flask) -> list[tuple[str, str]]:
    id_converter = app.url_map.converters["int"]
    found = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(conv, id_converter) for conv in rule._converters.values()):
            method = "GET" if "GET" in (rule.methods or ()) else "POST"
            found.append((rule.rule, method))
    return sorted(found)


def _url(rule: str, bad: str) -> str:
    def replace(match: re.Match[str]) -> str:
        converter, name = match.groups()
        return bad if converter == "int" else GOOD_VALUES.get(name, "x")
    return ARGUMENT.sub(replace, rule)


def test_the_walk_covers_the_id_routes(app: Flask) -> None:
    assert len(_routes_with_ids(app)) >= 15


@pytest.mark.parametrize("bad", BAD_IDS)
def test_malformed_and_out_of_range_ids_answer_404(app: Flask, client, logged_in,
                                                   bad: str) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    token = page_csrf(client, "/")
    for rule, method in _routes_with_ids(app):
        url = _url(rule, bad)
        response = client.open(url, method=method, data={"csrf_token": token},
                               headers={"X-CSRFToken": token})
        assert response.status_code == 404, (method, url, response.status_code)


def test_unknown_codes_answer_404(client, logged_in) -> None:
    logged_in("Socialstyrelsen", Role.ADMIN, kind=OrgKind.NATIONAL_BOARD)
    for url in ("/lagesbild/lan/99/", "/lagesbild/lan/22/export.pdf",
                "/lagesbild/lan/22/?period=2026-02-31", "/lagesbild/lan/22/?period=99999-01-01"):
        assert client.get(url).status_code == 404, url
