"""The `eage` executable (SPEC §7): the Flask command group around create_app. The commands
themselves are registered on the app (eage/commands.py), so they are also reachable as
`flask --app eage …`."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from eage import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True)
def main() -> None:
    """eage — back-office of the employer group L'équipe associée."""
