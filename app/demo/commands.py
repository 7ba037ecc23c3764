"""``flask demo-data``: load the demo (idempotent: a second run changes nothing)."""
from __future__ import annotations

import click
import sqlalchemy as sa

from app.core import audit
from app.core.models import Organisation, OrgKind
from app.core.reference import load_reference_data
from app.demo.care_units import create_care_units
from app.demo.procurement import create_demo_procurement
from app.demo.reports import create_demo_reports
from app.demo.users import DEMO_COUNTIES, DEMO_PASSWORD, create_demo_users, demo_users
from app.extensions import db


def print_logins() -> None:
    """Print the demo logins, grouped by organisation."""
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for demo in demo_users():
        roles = ", ".join(role.value for role in demo.roles)
        click.echo(f"  {demo.username:<34} {demo.organisation.name:<32} {roles}")


def load_demo() -> dict[str, int]:
    """Reference data, care units, users, reports and offers; returns what was added."""
    load_reference_data()
    municipalities = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrgKind.MUNICIPALITY)).all()
    demo_municipalities = [org for org in municipalities if org.county_code in DEMO_COUNTIES]
    added = {"care_units": create_care_units(municipalities), "users": len(create_demo_users()),
             "reports": create_demo_reports(demo_municipalities)}
    added["offers"] = create_demo_procurement()
    if any(added.values()):
        audit.record("demo.load", "demo", after=added)
    return added


@click.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo users and their password."""
    print_logins()


@click.command("demo-data")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
def demo_data_command(quiet: bool) -> None:
    """Load the demo: all municipalities, demo users, care units (and reports)."""
    if not sa.inspect(db.engine).has_table("organisations"):
        raise click.ClickException(
            "The database has no schema yet: run 'flask --app wsgi db upgrade'.")
    added = load_demo()
    db.session.commit()
    click.echo("Demo data: " + ", ".join(f"{count} {name} added" for name, count in added.items()))
    if not quiet:
        print_logins()
