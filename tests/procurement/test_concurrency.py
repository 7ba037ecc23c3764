"""Buyers committing at the same moment, on PostgreSQL with real commits in threads: every
accepted commitment counts, and the total never passes the offer's quantity (the order row
is locked while a commitment is checked and saved)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from app.auth.roles import Role
from app.auth.services import create_user
from app.extensions import db
from app.procurement.models import Commitment
from tests.helpers import PASSWORD, csrf_token_from, login, organisation, run_at_once
from tests.postgres import committed_database_app, only_in_postgres_run
from tests.procurement.conftest import accept, make_offer, make_order, make_supplier

TOWNS = ("Timrå", "Kramfors", "Härnösand", "Ånge", "Sollefteå", "Örnsköldsvik")
ROUNDS = 15


@pytest.fixture(scope="module")
def shared_app() -> Iterator[Flask]:
    only_in_postgres_run()
    with committed_database_app() as app:
        with app.app_context():
            for index, town in enumerate(TOWNS):
                create_user(username=f"buyer{index}", full_name=town, password=PASSWORD,
                            organisation=organisation(town), roles=[Role.MUNICIPAL_BUYER])
            create_user(username="lead", full_name="Lead", password=PASSWORD,
                        organisation=organisation("Sundsvall"),
                        roles=[Role.MUNICIPAL_BUYER, Role.PROCUREMENT_LEAD])
            db.session.commit()
        yield app


def _order(app: Flask, quantity: int, name: str) -> int:
    """A fresh open order on an accepted offer of ``quantity`` units."""
    from app.auth.services import find_user

    with app.app_context():
        lead = find_user("lead")
        supplier = _supplier(lead, name)
        offer = accept(make_offer(lead, supplier, quantity=quantity, minimum_order=0), lead)
        return make_order(lead, offer, days=3).id


def _supplier(lead, name: str):  # noqa: ANN001, ANN202
    from app.procurement.models import Supplier

    found = db.session.scalar(sa.select(Supplier).where(Supplier.name == name))
    return found or make_supplier(lead, name=name)


def _client(app: Flask, username: str):  # noqa: ANN202
    client = app.test_client()
    assert login(client, type("U", (), {"username": username})()).status_code == 302
    return client, csrf_token_from(client.get("/").get_data(as_text=True))


def _committing(client, token: str, order_id: int, quantity: int):  # noqa: ANN001, ANN202
    return lambda: client.post(f"/inkop/bestallningar/{order_id}/atagande",
                               data={"csrf_token": token, "quantity": str(quantity)},
                               headers={"HX-Request": "true"}).status_code


def _committed(app: Flask, order_id: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Commitment.quantity), 0))
                                 .where(Commitment.order_id == order_id))


@pytest.mark.postgres
def test_concurrent_commitments_never_pass_the_offer(shared_app: Flask) -> None:
    clients = [_client(shared_app, f"buyer{i}") for i in range(len(TOWNS))]
    for repetition in range(ROUNDS):
        order_id = _order(shared_app, 1_000, "Norrlandsmedicin AB")
        statuses = run_at_once(*[_committing(c, t, order_id, 300) for c, t in clients])
        accepted = statuses.count(200)
        assert accepted == 3 and statuses.count(422) == 3, (repetition, statuses)
        assert _committed(shared_app, order_id) == 900


@pytest.mark.postgres
def test_two_buyers_committing_at_once_both_count(shared_app: Flask) -> None:
    (first, first_token), (second, second_token) = (_client(shared_app, f"buyer{i}")
                                                    for i in range(2))
    for _ in range(ROUNDS):
        order_id = _order(shared_app, 1_000, "Norrlandsmedicin AB")
        statuses = run_at_once(_committing(first, first_token, order_id, 400),
                               _committing(second, second_token, order_id, 400))
        assert statuses == [200, 200]
        assert _committed(shared_app, order_id) == 800

