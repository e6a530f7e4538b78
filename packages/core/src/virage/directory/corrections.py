"""Corrections flow back: users report a wrong directory entry, the network reviews the reports.

- Any signed-in user who may read the directory reports an entry (a structure or a
  professional) with one click: what is wrong (phone, address, category, closed, name, other),
  optionally the right value and a comment.
- The network administration (``directory.manage``) accepts or rejects each report with a note.
- Accepting does **not** change the entry's registry fields: they come from a national registry
  (FINESS, RPPS) and the next import would put the old value back. An accepted report stays shown
  on the entry (« erreur signalée et confirmée par le réseau ») until the registry is corrected,
  and it is exported as an ROR-shaped anomaly ``Task`` (:mod:`virage.directory.correction_tasks`)
  that the network sends to the regional directory or the registry. The network's own
  information (places, zone…) is edited on the entry as before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from virage.accounts.context import AccessContext
from virage.directory import corrections_storage as store
from virage.directory import service, storage
from virage.errors import Conflict, InvalidInput, NotFound
from virage.french import MONTHS as FRENCH_MONTHS

#: What can be reported wrong → French label (the form's buttons, the review page).
FIELDS: dict[str, str] = {
    "phone": "Téléphone",
    "address": "Adresse",
    "category": "Catégorie",
    "closed": "Structure fermée ou professionnel qui n'exerce plus",
    "name": "Nom",
    "email": "Adresse de messagerie",
    "other": "Autre erreur",
}
STATUSES = {"open": "À examiner", "accepted": "Confirmé", "rejected": "Écarté"}
TARGETS = ("structure", "professional")
MAX_TEXT = 500
MAX_OPEN_PER_USER_AND_ENTRY = 5
MAX_LIST = 200


_PARIS = ZoneInfo("Europe/Paris")
_MONTHS = FRENCH_MONTHS


#: The migration (``core/0013_directory_corrections``).
create_tables = store.create_tables


def fr_moment(stamp: str | None) -> str:
    """'2026-07-03T12:05:00+00:00' → '3 juillet 2026 à 14 h 05' (Paris time)."""
    if not stamp:
        return ""
    at = datetime.fromisoformat(stamp).astimezone(_PARIS)
    day = "1er" if at.day == 1 else str(at.day)
    return f"{day} {_MONTHS[at.month - 1]} {at.year} à {at.hour} h {at.minute:02d}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text(value: str | None, name: str) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{name} : {MAX_TEXT} caractères au plus.")
    return text or None


def _entry(db, target_type: str, target_id: int) -> dict[str, Any]:
    if target_type == "structure":
        row = storage.get_structure(db, target_id)
    elif target_type == "professional":
        row = storage.get_professional(db, target_id)
    else:
        raise InvalidInput("Type de fiche inconnu : structure ou professional.")
    if row is None:
        raise NotFound("Cette fiche n'existe pas dans l'annuaire.")
    return row


def _current(row: dict, field: str) -> str | None:
    """The value the entry shows now for ``field`` (kept with the report, for the reviewer)."""
    if field == "phone":
        return row.get("phone")
    if field == "address":
        parts = [row.get("address_line"), row.get("postcode"), row.get("city")]
        return " ".join(p for p in parts if p) or None
    if field == "category":
        return row.get("category_label") or row.get("profession_label")
    if field == "closed":
        return "en activité" if row.get("status") == "open" else "fermée"
    if field == "name":
        return row.get("name") or " ".join(
            p for p in (row.get("given_name"), row.get("family_name")) if p
        )
    if field == "email":
        return row.get("email") or row.get("mssante")
    return None


def report(
    access: AccessContext,
    target_type: str,
    target_id: int,
    field: str,
    proposed: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Record a report on an entry; any reader of the directory may report."""
    service.require_read(access)
    actor = access.require_login()
    if field not in FIELDS:
        raise InvalidInput(
            "Choisissez ce qui est faux : " + ", ".join(f"{k} ({v})" for k, v in FIELDS.items())
        )
    row = _entry(access.db, target_type, target_id)
    proposed, comment = _text(proposed, "Valeur correcte"), _text(comment, "Commentaire")
    if field == "other" and not (proposed or comment):
        raise InvalidInput("Pour « Autre erreur », dites en quelques mots ce qui est faux.")
    pending = store.open_count(access.db, target_type, target_id, actor.user_id)
    if pending >= MAX_OPEN_PER_USER_AND_ENTRY:
        raise Conflict(
            "Vous avez déjà signalé plusieurs erreurs sur cette fiche : le réseau les examine."
        )
    values = {
        "target_type": target_type,
        "target_id": target_id,
        "field": field,
        "current_value": _current(row, field),
        "proposed": proposed,
        "comment": comment,
        "status": "open",
        "reported_by": actor.user_id,
        "reported_by_label": actor.display_name,
        "reported_at": _now(),
    }
    values["id"] = store.insert(access.db, values)
    access.audit(
        "directory.correction.report",
        target=f"directory_{target_type}:{target_id}",
        details={"champ": field, "signalement": values["id"]},
    )
    return decorate(access.db, values)


def decorate(db, row: dict[str, Any]) -> dict[str, Any]:
    """A report with its labels and the entry's name (for pages and the API)."""
    out = dict(row)
    out["field_label"] = FIELDS.get(row["field"], row["field"])
    out["status_label"] = STATUSES[row["status"]]
    out["reported_on"] = fr_moment(row["reported_at"])
    out["reviewed_on"] = fr_moment(row.get("reviewed_at"))
    try:
        entry = _entry(db, row["target_type"], row["target_id"])
    except NotFound:
        entry = None
    out["entry_name"] = (
        (entry.get("name") or f"{entry.get('given_name') or ''} {entry['family_name']}".strip())
        if entry
        else "fiche supprimée"
    )
    out["entry_source"] = entry.get("source") if entry else None
    out["finess"] = entry.get("finess") if entry else None
    out["rpps"] = entry.get("rpps") if entry else None
    out["entry_url"] = (
        f"/annuaire/structures/{row['target_id']}"
        if row["target_type"] == "structure"
        else f"/annuaire/professionnels/{row['target_id']}"
    )
    return out


def list_reports(access: AccessContext, status: str | None = None) -> list[dict[str, Any]]:
    access.require("directory.manage", action="directory.correction.list")
    if status not in (None, *STATUSES):
        raise InvalidInput("État attendu : open, accepted ou rejected.")
    return [decorate(access.db, r) for r in store.listed(access.db, status, MAX_LIST)]


def confirmed_for(db, target_type: str, target_id: int) -> list[dict[str, Any]]:
    """Accepted reports of an entry: shown on its page until the registry is corrected."""
    return [decorate(db, r) for r in store.confirmed(db, target_type, target_id)]


def review(
    access: AccessContext, report_id: int, decision: str, note: str | None = None
) -> dict[str, Any]:
    """Accept or reject a report (network administration). The entry itself is not changed."""
    access.require("directory.manage", action="directory.correction.review")
    if decision not in ("accepted", "rejected"):
        raise InvalidInput("Décision attendue : accepted (confirmer) ou rejected (écarter).")
    note = _text(note, "Note")
    if decision == "rejected" and not note:
        raise InvalidInput("Dites en une phrase pourquoi ce signalement est écarté.")
    row = store.get(access.db, report_id)
    if row is None:
        raise NotFound("Ce signalement n'existe pas.")
    closed = row["status"] == "open" and store.close(
        access.db,
        report_id,
        {
            "status": decision,
            "review_note": note,
            "reviewed_by_label": access.require_login().display_name,
            "reviewed_at": _now(),
        },
    )
    if not closed:  # examined before, or by someone else a moment ago
        row = store.get(access.db, report_id)
        raise Conflict(f"Ce signalement a déjà été examiné ({STATUSES[row['status']].lower()}).")
    access.audit(
        "directory.correction.review",
        target=f"directory_{row['target_type']}:{row['target_id']}",
        details={"signalement": report_id, "decision": decision},
    )
    return decorate(access.db, store.get(access.db, report_id))
