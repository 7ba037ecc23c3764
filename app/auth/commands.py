"""``flask create-user``: create a user for a real deployment."""
from __future__ import annotations

import click
import sqlalchemy as sa

from app.auth.roles import Role
from app.auth.services import MIN_PASSWORD_LENGTH, create_user
from app.core.models import Organisation
from app.extensions import db


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--organisation", required=True,
              help="Organisation name or SCB code, e.g. 'Sundsvall' or '2281'.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([role.value for role in Role]))
@click.option("--email", default=None)
@click.password_option(help="Prompted for when not given.")
def create_user_command(
    username: str, full_name: str, organisation: str, roles: tuple[str, ...],
    email: str | None, password: str,
) -> None:
    """Create a user of an organisation with one or more roles."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"at least {MIN_PASSWORD_LENGTH} characters",
                                 param_hint="password")
    matches = db.session.scalars(
        sa.select(Organisation).where(
            sa.or_(Organisation.name == organisation, Organisation.scb_code == organisation)
        )
    ).all()
    if len(matches) != 1:
        raise click.BadParameter(
            f"matches {len(matches)} organisations; give the exact name or SCB code",
            param_hint="--organisation",
        )
    try:
        user = create_user(username=username, full_name=full_name, password=password,
                           organisation=matches[0], roles=[Role(r) for r in roles], email=email)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--username") from error
    db.session.commit()
    click.echo(f"Created {user.username} at {matches[0].name} with roles {', '.join(roles)}.")
