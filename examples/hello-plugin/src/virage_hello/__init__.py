"""virage-hello: the smallest useful Virage plugin, to copy when starting a regional connector.

It adds a page (/hello), an API route (/api/v1/hello), a navigation item, a migration (a table of
greetings) and a CLI command (``virage hello NAME``). Each hook below is explained in README.md.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlite_utils
from litestar import Controller, get, post
from litestar.params import JSONBody
from litestar.response import Template
from pydantic import BaseModel, Field, field_validator

from virage.app import prepare_database
from virage.db import Migration, utcnow_iso
from virage.deps import DB
from virage.errors import InvalidInput
from virage.plugins import hookimpl
from virage.web.nav import NavItem

__version__ = "0.1.0"

NAMESPACE = "hello"


# --- storage: the only place with SQL ------------------------------------------------------


def _create_greetings(db: DB) -> None:
    db.execute(
        "CREATE TABLE hello_greetings ("
        " id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)"
    )


def add_greeting(db: sqlite_utils.Database, name: str) -> dict:
    created_at = utcnow_iso()
    cur = db.execute(
        "INSERT INTO hello_greetings (name, created_at) VALUES (?, ?)", [name, created_at]
    )
    return {"id": cur.lastrowid, "name": name, "created_at": created_at}


def count_greetings(db: DB) -> int:
    return db.execute("SELECT count(*) FROM hello_greetings").fetchone()[0]


# --- models at the boundary -----------------------------------------------------------------


class GreetingIn(BaseModel):
    name: str = Field(min_length=1, max_length=80, description="Prénom de la personne à saluer")

    @field_validator("name")
    @classmethod
    def strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("le prénom ne peut pas être vide")
        return value


class Greeting(BaseModel):
    id: int
    name: str
    created_at: str
    message: str


def greet(name: str) -> str:
    return f"Bonjour {name} !"


# --- HTTP: a page and an API route -----------------------------------------------------------


class HelloPage(Controller):
    path = "/hello"
    include_in_schema = False

    @get("/")
    async def page(self, db: DB) -> Template:
        return Template("hello/page.html", context={"count": count_greetings(db)})


class HelloApi(Controller):
    path = "/api/v1/hello"
    tags = ["Exemple : hello"]

    @get("/", summary="Nombre de salutations enregistrées")
    async def stats(self, db: DB) -> dict[str, int]:
        return {"greetings": count_greetings(db)}

    @post("/", summary="Saluer quelqu'un (et l'enregistrer)")
    async def create(self, data: JSONBody[GreetingIn], db: DB) -> Greeting:
        row = add_greeting(db, data.name)
        return Greeting(**row, message=greet(data.name))


# --- the hooks ---------------------------------------------------------------------------------


@hookimpl
def register_routes():
    return [HelloPage, HelloApi]


@hookimpl
def register_template_dirs():
    return [Path(__file__).parent / "templates"]


@hookimpl
def register_nav_items():
    return [NavItem("Bonjour", "/hello/", order=500)]


@hookimpl
def register_migrations():
    return [Migration(NAMESPACE, "0001_greetings", _create_greetings, "Table des salutations")]


@hookimpl
def register_commands(cli):
    @cli.command()
    @click.argument("name")
    @click.pass_obj
    def hello(ctx, name: str) -> None:
        """Saluer quelqu'un et l'enregistrer dans la base (exemple de plugin)."""
        name = name.strip()
        if not name:
            raise InvalidInput("le prénom ne peut pas être vide.")
        db = prepare_database(ctx.settings, ctx.plugins)  # opens and migrates
        try:
            add_greeting(db, name)
            click.echo(f"{greet(name)} ({count_greetings(db)} salutation(s) enregistrée(s))")
        finally:
            db.conn.close()


@hookimpl
def extra_plugin_info():
    return {"description": "Plugin d'exemple à copier pour écrire un connecteur régional."}
