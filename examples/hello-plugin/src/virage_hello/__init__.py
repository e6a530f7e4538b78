"""virage-hello: the smallest useful Virage plugin, to copy when starting a regional connector.

It adds a page (/hello), an API route (/api/v1/hello), a navigation item, migrations (a table of
greetings), two permissions and a CLI command (``virage hello NAME``). Nothing is anonymous: the
page needs a signed-in user, the API a bearer token, the command a named account; every greeting
is checked against the plugin's own permission by the core's access model, which writes the audit
entry. Each hook below is explained in README.md.

Everything it takes from Virage comes from ``virage.sdk``, the public door for plugins: the rest
of ``virage`` is internal and may change in any release.
"""

from __future__ import annotations

from pathlib import Path

import click
from litestar import Controller, get, post
from litestar.params import JSONBody
from litestar.response import Template
from pydantic import BaseModel, Field, field_validator

from virage.sdk import (
    ROLES,
    Access,
    AccessContext,
    Database,
    InvalidInput,
    Migration,
    NavItem,
    NotFound,
    accounts,
    hookimpl,
    permission,
    plural,
    prepare_database,
    require_actor_guard,
    structure_policy,
    transaction,
    utcnow_iso,
)

__version__ = "0.1.0"
#: The range of ``virage.sdk`` this plugin is written for: Virage refuses to load it otherwise.
VIRAGE_SDK = ">=1,<2"

NAMESPACE = "hello"

# --- permissions: declared here, decided and audited by the core -------------------------------

GREET = "hello.greet"
READ = "hello.read"
PERMISSIONS = [
    # A first name is personal data: each use is written to the audit trail.
    permission(
        GREET, "Saluer quelqu'un et l'enregistrer (plugin d'exemple)", ["director", "nurse"]
    ),
    # A count is not personal data: checked, but not audited.
    permission(
        READ, "Voir le nombre de salutations (plugin d'exemple)", list(ROLES), personal_data=False
    ),
]


# --- storage: the only place with SQL ------------------------------------------------------


def _create_greetings(db: Database) -> None:
    db.execute(
        "CREATE TABLE hello_greetings ("
        " id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)"
    )


def _add_structure_and_author(db: Database) -> None:
    # A released migration never changes: the next step is a new one.
    db.execute("ALTER TABLE hello_greetings ADD COLUMN structure_id INTEGER")
    db.execute("ALTER TABLE hello_greetings ADD COLUMN author_id INTEGER")


def _row_security(db: Database) -> None:
    # PostgreSQL: a request sees and writes only the greetings of the structures it acts for,
    # even if a query forgot its WHERE structure_id = ? (nothing on SQLite).
    structure_policy(db, "hello_greetings")


def add_greeting(db: Database, structure_id: int, author_id: int, name: str) -> dict:
    created_at = utcnow_iso()
    # RETURNING id: the new row's id on both engines (SQLite and PostgreSQL).
    cur = db.execute(
        "INSERT INTO hello_greetings (name, created_at, structure_id, author_id)"
        " VALUES (?, ?, ?, ?) RETURNING id",
        [name, created_at, structure_id, author_id],
    )
    return {"id": cur.fetchone()[0], "name": name, "created_at": created_at}


def count_greetings(db: Database, structure_id: int) -> int:
    sql = "SELECT count(*) FROM hello_greetings WHERE structure_id = ?"
    return db.execute(sql, [structure_id]).fetchone()[0]


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


# --- use case: the access check and its audit entry come first, then the write -----------------


def record_greeting(access: AccessContext, structure_id: int, name: str) -> Greeting:
    # Decides with the core's rules (role in that structure), writes the audit entry, or raises
    # NotAuthenticated (401), Forbidden (403, reason in French) or NotFound (another structure).
    access.require(GREET, structure_id=structure_id, action=GREET)
    with transaction(access.db):
        row = add_greeting(access.db, structure_id, access.actor.user_id, name)
    return Greeting(**row, message=greet(name))


# --- HTTP: a page and an API route, both behind authentication ---------------------------------


def _token_structure(access: AccessContext) -> int:
    actor = access.require_login()
    if actor.token_structure_id is None:
        raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
    return actor.token_structure_id


class HelloPage(Controller):
    path = "/hello"
    include_in_schema = False
    guards = [require_actor_guard]  # signed-in users only (otherwise: the log-in page)

    @get("/")
    async def page(self, access: Access) -> Template:
        actor = access.require_login()
        counts = [
            {"structure": s["name"], "count": count_greetings(access.db, s["id"])}
            for s in accounts.structures(access.db, actor.structure_ids)
            if access.allowed(READ, structure_id=s["id"])
        ]
        return Template("hello/page.html", context={"counts": counts})


class HelloApi(Controller):
    path = "/api/v1/hello"
    tags = ["Exemple : hello"]
    guards = [require_actor_guard]  # a bearer token is required (401 otherwise)

    @get("/", summary="Nombre de salutations enregistrées dans la structure du jeton")
    async def stats(self, access: Access) -> dict[str, int]:
        structure_id = _token_structure(access)
        access.require(READ, structure_id=structure_id)
        return {"greetings": count_greetings(access.db, structure_id)}

    @post("/", summary="Saluer quelqu'un (et l'enregistrer, tracé au journal)")
    async def create(self, access: Access, data: JSONBody[GreetingIn]) -> Greeting:
        return record_greeting(access, _token_structure(access), data.name)


# --- the hooks ---------------------------------------------------------------------------------


@hookimpl
def register_permissions():
    return PERMISSIONS


@hookimpl
def register_routes():
    return [HelloPage, HelloApi]


@hookimpl
def register_template_dirs():
    return [Path(__file__).parent / "templates"]


@hookimpl
def register_nav_items():
    # Shown to who may read the page (SDK 1.4: a menu entry follows a permission; hiding is not
    # security, the page checks it too).
    return [NavItem("Bonjour", "/hello/", order=500, permission=READ)]


@hookimpl
def register_migrations():
    return [
        Migration(NAMESPACE, "0001_greetings", _create_greetings, "Table des salutations"),
        Migration(
            NAMESPACE,
            "0002_structure_and_author",
            _add_structure_and_author,
            "Salutations : structure et auteur",
        ),
        Migration(
            NAMESPACE,
            "0003_row_security",
            _row_security,
            "Salutations : sécurité par ligne (PostgreSQL)",
        ),
    ]


@hookimpl
def register_commands(cli):
    @cli.command()
    @click.argument("name")
    @click.option("--structure", required=True, help="Structure (numéro ou nom exact)")
    @click.option("--as", "username", required=True, help="Compte qui salue (ses droits)")
    @click.pass_obj
    def hello(ctx, name: str, structure: str, username: str) -> None:
        """Saluer quelqu'un au nom d'un compte et l'enregistrer (exemple de plugin)."""
        name = name.strip()
        if not name:
            raise InvalidInput("le prénom ne peut pas être vide.")
        db = prepare_database(ctx.settings, ctx.plugins)  # opens and migrates
        try:
            found = accounts.find_structure(db, structure)
            if found is None or accounts.user_by_username(db, username) is None:
                raise NotFound("Structure ou compte introuvable (numéro ou nom exact).")
            # The command acts as a named account, with its rights, like the web and the API.
            access = accounts.access_for(db, ctx.plugins, username, route="virage hello")
            greeting = record_greeting(access, found["id"], name)
            total = count_greetings(db, found["id"])
            click.echo(f"{greeting.message} ({plural(total, 'salutation enregistrée')} au total)")
        finally:
            db.close()


@hookimpl
def extra_plugin_info():
    return {"description": "Plugin d'exemple à copier pour écrire un connecteur régional."}
