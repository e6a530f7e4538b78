"""Creating accounts from a CSV file: one invitation per line, a report per line.

The file: UTF-8 (with or without the BOM spreadsheets add), ``;`` or ``,`` between columns, a
header line naming the columns (in any order; case and accents do not matter):
``identifiant;nom;courriel;profession;rpps;structure;rôle`` — ``identifiant``, ``nom``,
``structure`` (its number or exact name) and ``rôle`` are required. At most :data:`MAX_BYTES` and
:data:`MAX_ROWS` lines: a larger file is refused whole, before anything is created.

Each line is its own unit: it creates its account and its invitation, or nothing; a refused line
does not stop the others, and the report says so, line by line, in French.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from virage.access import ROLES
from virage.accounts import lifecycle, storage
from virage.accounts.lifecycle_access import Manager
from virage.errors import InvalidInput, VirageError
from virage.french import plural

MAX_BYTES = 1_000_000
MAX_ROWS = 500
COLUMNS = ("identifiant", "nom", "courriel", "profession", "rpps", "structure", "role")
REQUIRED = ("identifiant", "nom", "structure", "role")
ALIASES = {"email": "courriel", "mail": "courriel", "nom affiche": "nom", "login": "identifiant"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _role_aliases() -> dict[str, str]:
    aliases = {code: code for code in ROLES}
    for code, label in ROLES.items():
        aliases[_fold(label)] = code
        aliases[_fold(label.split(" (")[0])] = code
    extra = {
        "directeur": "director",
        "directrice": "director",
        "delegue a la protection des donnees": "dpo",
        "coordinateur": "coordinator",
        "coordinatrice": "coordinator",
        "idec": "coordinator",
        "infirmier": "nurse",
        "infirmiere": "nurse",
        "aide-soignant": "care_assistant",
        "aide-soignante": "care_assistant",
        "aide soignant": "care_assistant",
        "aide soignante": "care_assistant",
        "travailleur social": "social_worker",
        "travailleuse sociale": "social_worker",
        "aide a domicile": "home_help",
        "secretaire": "secretariat",
    }
    aliases.update(extra)
    return aliases


ROLE_ALIASES = _role_aliases()


@dataclass
class Line:
    number: int
    username: str
    created: bool
    message: str
    path: str | None = None
    """The invitation link's path (``/invitation/…``), for a created account."""


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for line in self.lines if line.created)

    @property
    def refused(self) -> int:
        return len(self.lines) - self.created

    @property
    def summary(self) -> str:
        text = (
            f"{plural(self.created, 'compte créé', 'comptes créés')}, "
            f"{plural(self.refused, 'ligne refusée', 'lignes refusées')}."
        )
        if self.refused and self.created:
            text += " Les lignes refusées n'ont rien créé ; les autres ont été créées."
        return text


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The lines of the file as ``(line number, {column: value})``; ``InvalidInput`` (French) for
    a file that cannot be read as a whole."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            f"Le fichier est trop gros ({len(content) // 1000} ko) : {MAX_BYTES // 1000} ko au "
            f"plus, soit environ {MAX_ROWS} comptes. Découpez-le en plusieurs fichiers."
        )
    if b"\x00" in content:
        raise InvalidInput("Ce fichier n'est pas un fichier texte CSV.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "Le fichier n'est pas en UTF-8 : dans votre tableur, enregistrez-le au format "
            "« CSV UTF-8 (délimité par des points-virgules) »."
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InvalidInput("Le fichier est vide : la première ligne doit nommer les colonnes.")
    if len(lines) > MAX_ROWS + 1:
        raise InvalidInput(
            f"Le fichier compte {len(lines) - 1} lignes : {MAX_ROWS} au plus. Découpez-le en "
            "plusieurs fichiers."
        )
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [_fold(h) for h in next(reader)]
        header = [ALIASES.get(h, h) for h in header]
        header = ["role" if h == "role" or h.startswith("role") else h for h in header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InvalidInput(
                "La première ligne doit nommer les colonnes ; il manque : "
                + ", ".join("rôle" if c == "role" else c for c in missing)
                + ". Colonnes possibles : identifiant;nom;courriel;profession;rpps;structure;rôle."
            )
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row = {
                h: (printable(values[i].strip()) if i < len(values) else "")
                for i, h in enumerate(header)
            }
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InvalidInput(f"Le fichier CSV est mal formé ({exc}).") from None
    return rows


def printable(text: str) -> str:
    """What the report may repeat of a line: no control characters (terminal escapes…)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _structure(manager: Manager, key: str) -> int:
    if not key:
        raise InvalidInput("La colonne structure est vide.")
    structure = storage.find_structure(manager.db, key)
    if structure is None or not manager.may_structure(structure["id"]):
        raise InvalidInput(f"Structure « {key[:60]} » introuvable ou hors de votre direction.")
    return structure["id"]


def _role(key: str) -> str:
    role = ROLE_ALIASES.get(_fold(key))
    if role is None:
        raise InvalidInput(
            f"Rôle « {key[:40]} » inconnu ; rôles possibles : " + ", ".join(ROLES.values()) + "."
        )
    return role


def import_accounts(manager: Manager, content: bytes) -> Report:
    """Invite every line of the file; see the module docstring."""
    rows = read_rows(content)
    report = Report()
    for number, row in rows:
        username = row.get("identifiant", "")[:100]
        try:
            invitation = lifecycle.invite(
                manager,
                username=username,
                display_name=row.get("nom", ""),
                structure_id=_structure(manager, row.get("structure", "")),
                role=_role(row.get("role", "")),
                email=row.get("courriel"),
                profession=row.get("profession"),
                rpps=row.get("rpps"),
            )
        except VirageError as exc:
            report.lines.append(Line(number, username, False, exc.message))
            continue
        report.lines.append(Line(number, username, True, "compte créé", invitation.path))
    manager.audit(
        "accounts.import",
        details={"lignes": len(rows), "crees": report.created, "refusees": report.refused},
    )
    return report
