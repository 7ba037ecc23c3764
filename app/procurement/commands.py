"""``flask expire-offers``: expire offers past their validity date (run daily, e.g. by cron)."""
from __future__ import annotations

import click

from app.extensions import db
from app.procurement.services import expire_offers
from app.reports.periods import today


@click.command("expire-offers")
def expire_offers_command() -> None:
    """Mark every open offer whose validity date has passed as expired."""
    count = expire_offers(today())
    db.session.commit()
    click.echo(f"{count} offer(s) expired.")
