"""Schema helpers for the two engines: what a migration says once and each engine spells its way.

Migrations write plain SQL that both engines accept (``TEXT``, ``INTEGER``, ``REAL``, ``UNIQUE``,
``CHECK``, ``REFERENCES``, ``COLLATE NOCASE``…). Where the engines differ, the domain's storage
module branches on ``db.dialect`` — or calls one of these helpers when the need is shared:

- :func:`prepare` (PostgreSQL, before migrations): the ``nocase`` collation (case-insensitive
  equality, as SQLite's ``NOCASE``), a ``blob`` type (``bytea``), ``virage_fold(text)`` (lower
  case without accents, for full-text search), and the row-level-security function;
- :func:`after_migration` (PostgreSQL): a table's ``id INTEGER PRIMARY KEY`` keeps SQLite's
  meaning there too — a 64-bit key given by the database when the insert leaves it out, and never
  reused below an id inserted explicitly (copies, seeds) — ``INTEGER`` stays 64 bits and
  ``REAL`` 8 bytes;
- :func:`refuse` declares a trigger that refuses a change with a message (append-only tables,
  frozen records): ``IntegrityError`` on both engines;
- :func:`now_text` is the SQL expression of the current UTC time as Virage stores it (text).
"""

from __future__ import annotations

import unicodedata

from virage.db import Database

NOCASE = (
    "CREATE COLLATION IF NOT EXISTS nocase"
    " (provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
)
#: SQLite's ``BLOB`` column type, for migrations written once: PostgreSQL's bytes are ``bytea``.
BLOB_TYPE = """DO $$ BEGIN
    IF to_regtype('blob') IS NULL THEN CREATE DOMAIN blob AS bytea; END IF;
END $$"""
#: Row-level security: does the current request act for ``structure`` (see virage.db_policies)?
SCOPE_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION virage_sees(structure BIGINT) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE coalesce(current_setting('virage.structures', true), '')
        WHEN 'all' THEN true
        WHEN '' THEN false
        ELSE structure = ANY (string_to_array(current_setting('virage.structures', true), ',')::bigint[])
    END
$$""",
    """CREATE OR REPLACE FUNCTION virage_scope_all() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('virage.structures', true), '') = 'all'
$$""",
    """CREATE OR REPLACE FUNCTION virage_scope() RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN coalesce(current_setting('virage.structures', true), '') IN ('', 'all')
        THEN '{}'::bigint[]
        ELSE string_to_array(current_setting('virage.structures', true), ',')::bigint[] END
$$""",
)


def sees(column: str) -> str:
    """The policy condition "the request acts for this row's structure". The scope is read once
    per query (two InitPlans), not once per row, and an index on the column can serve it."""
    return f'((SELECT virage_scope_all()) OR "{column}" = ANY (CAST((SELECT virage_scope()) AS bigint[])))'


ROWID_FUNCTION = """CREATE OR REPLACE FUNCTION virage_rowid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := nextval(TG_ARGV[0]::regclass);
    ELSIF NEW.id > COALESCE(pg_sequence_last_value(TG_ARGV[0]::regclass), 0) THEN
        PERFORM setval(TG_ARGV[0]::regclass, NEW.id);
    END IF;
    RETURN NEW;
END $$"""


def _fold_function() -> str:
    """``virage_fold(text)``: lower case without accents, as :func:`fold_text` (full-text search
    on PostgreSQL folds the indexed text with it, Python folds the words searched)."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii()).lower()
        if len(base) == 1 and base.isalpha() and char.lower() != base:
            source.append(char)
            target.append(base)
    pairs = "".join(source).replace("'", "''"), "".join(target)
    ligatures = "replace(replace(replace(lower($1), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss')"
    return (
        "CREATE OR REPLACE FUNCTION virage_fold(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
        f" $$ SELECT translate({ligatures}, '{pairs[0]}', '{pairs[1]}') $$"
    )


def fold_text(text: str) -> str:
    """What ``virage_fold`` does, in Python (lower case, accents and ligatures removed)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    out = []
    for char in text:
        if 0xC0 <= ord(char) < 0x250:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
            if len(base) == 1 and base.isalpha():
                char = base
        out.append(char)
    return "".join(out)


def prepare(db: Database) -> None:
    """Objects every PostgreSQL schema of Virage needs before its migrations run (idempotent)."""
    if db.dialect != "postgresql":
        return
    db.execute(NOCASE)
    db.execute(BLOB_TYPE)
    db.execute(ROWID_FUNCTION)
    db.execute(_fold_function())
    for function in SCOPE_FUNCTIONS:
        db.execute(function)


def after_migration(db: Database) -> None:
    """PostgreSQL: keep SQLite's meaning of the types a migration wrote — ``INTEGER`` is 64 bits
    (PostgreSQL's has 32: an identifier or a counter beyond 2**31 would fail), ``REAL`` 8 bytes
    (PostgreSQL's has 4: coordinates would lose their last digits) — and give each new
    ``id INTEGER PRIMARY KEY`` SQLite's rowid behaviour."""
    if db.dialect != "postgresql":
        return
    # pg_catalog, not information_schema: this runs after every migration step.
    ids = db.fetch_all(
        "SELECT c.relname AS table_name FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indrelid"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]"
        " WHERE i.indisprimary AND i.indnatts = 1 AND a.attname = 'id' AND NOT a.atthasdef"
        " AND a.attidentity = '' AND a.atttypid IN ('integer'::regtype, 'bigint'::regtype)"
        " AND c.relnamespace = current_schema()::regnamespace"
        " AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid"
        "  AND t.tgname = c.relname || '_rowid')"
        " ORDER BY 1"
    )
    widen(db)
    for row in ids:
        table = row["table_name"]
        seq = f"{table}_id_seq"
        db.execute(f'CREATE SEQUENCE IF NOT EXISTS "{seq}" OWNED BY "{table}".id')
        db.execute(
            f'SELECT setval(\'"{seq}"\', GREATEST((SELECT MAX(id) FROM "{table}"), 1),'
            f' (SELECT MAX(id) FROM "{table}") IS NOT NULL)'
        )
        db.execute(
            f'CREATE TRIGGER "{table}_rowid" BEFORE INSERT ON "{table}"'
            f" FOR EACH ROW EXECUTE FUNCTION virage_rowid('\"{seq}\"')"
        )


def widen(db: Database, table: str | None = None) -> None:
    """PostgreSQL: ``integer`` columns become ``bigint`` and ``real`` ones ``double precision``
    (of one table, or of every table of the schema). Done before a policy or a trigger names a
    column: PostgreSQL cannot change a column's type once they depend on it."""
    if db.dialect != "postgresql":
        return
    narrow: dict[str, list[str]] = {}
    for row in db.fetch_all(
        "SELECT c.relname AS table_name, a.attname AS column_name,"
        " format_type(a.atttypid, NULL) AS type FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
        " AND a.attnum > 0 AND NOT a.attisdropped"
        " AND a.atttypid IN ('integer'::regtype, 'real'::regtype)"
        " AND (CAST(? AS TEXT) IS NULL OR c.relname = ?)"
        " ORDER BY 1, 2",
        [table, table],
    ):
        wide = "BIGINT" if row["type"] == "integer" else "double precision"
        narrow.setdefault(row["table_name"], []).append(
            f'ALTER COLUMN "{row["column_name"]}" TYPE {wide}'
        )
    for name, changes in narrow.items():
        db.execute(f'ALTER TABLE "{name}" {", ".join(changes)}')


def resync_rowids(db: Database) -> None:
    """PostgreSQL: after rows were copied in with their ids, the next id follows the largest."""
    if db.dialect != "postgresql":
        return
    for row in db.fetch_all(
        "SELECT s.relname AS seq, t.relname AS tab FROM pg_class s"
        " JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a'"
        " JOIN pg_class t ON t.oid = d.refobjid"
        " WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"
    ):
        db.execute(
            f'SELECT setval(\'"{row["seq"]}"\', GREATEST((SELECT MAX(id) FROM "{row["tab"]}"),'
            f' 1), (SELECT MAX(id) FROM "{row["tab"]}") IS NOT NULL)'
        )


def without_rowid(db: Database) -> str:
    """SQLite's ``WITHOUT ROWID`` table option (a table clustered on its key); nothing elsewhere."""
    return " WITHOUT ROWID" if db.dialect == "sqlite" else ""


def now_text(db: Database, offset_minutes: int = 0) -> str:
    """SQL for the current UTC time as stored (``2026-12-02T08:30:00+00:00``), plus an offset."""
    if db.dialect == "postgresql":
        shift = f" + interval '{int(offset_minutes)} minutes'" if offset_minutes else ""
        return f"to_char((now() AT TIME ZONE 'UTC'){shift}, 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"
    shift = f", '{int(offset_minutes):+d} minutes'" if offset_minutes else ""
    return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'{shift})"


def refuse(
    db: Database,
    name: str,
    *,
    table: str,
    event: str,
    message: str,
    when: str | None = None,
) -> None:
    """A trigger refusing ``event`` (``"UPDATE"``, ``"DELETE"``, ``"UPDATE OF a, b"``,
    ``"INSERT"``) on ``table`` with ``message`` when ``when`` (SQL over ``OLD``/``NEW``) holds.

    Both engines raise their ``IntegrityError``: the storage code catches one exception type.
    """
    if not name.isidentifier():
        raise ValueError(f"trigger name must be an identifier: {name!r}")
    quoted = message.replace("'", "''")
    if db.dialect == "postgresql":
        widen(db, table)  # before the trigger depends on the table's columns
        # The condition goes in the function: PostgreSQL's WHEN takes no subquery.
        db.execute(
            f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF {when or 'true'} THEN RAISE EXCEPTION USING MESSAGE = '{quoted}',"
            " ERRCODE = 'integrity_constraint_violation'; END IF;"
            " IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        db.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW"
            f" EXECUTE FUNCTION {name}_fn()"
        )
        return
    condition = f"WHEN {when} " if when else ""
    db.execute(
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} {condition}"
        f"BEGIN SELECT RAISE(ABORT, '{quoted}'); END"
    )
