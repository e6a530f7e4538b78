"""The directory's MSSanté addresses: an incoming message whose sender is a professional's
MSSanté address in the directory (RPPS) says so in the item, with the name and profession the
directory gives: the person answering knows who writes before answering, by the national
registry rather than by what the sender typed. Nothing is said for an unknown address (many are
organisational mailboxes, absent from the professionals' registry)."""

from __future__ import annotations

import logging

from virage.sdk import Database, directory

log = logging.getLogger("virage.mssante")


def note(db: Database, sender: str) -> str | None:
    """« [Annuaire : …] » when exactly one professional of the directory has this address."""
    address = (sender or "").strip().lower()
    if "@" not in address or len(address) > 254:
        return None
    try:
        found = directory.search_professionals(
            db, directory.SearchParams(q=address, open_only=False, per_page=5)
        ).results
    except Exception:  # an enrichment: never a reason not to file the message
        log.exception("MSSanté : recherche de l'expéditeur dans l'annuaire impossible.")
        return None
    matches = [p for p in found if (p.get("mssante") or "").strip().lower() == address]
    if len(matches) != 1:
        return None
    who = matches[0]
    name = " ".join(filter(None, [who.get("given_name"), who.get("family_name")]))
    what = who.get("profession_label")
    return f"[Annuaire : {address} est l'adresse MSSanté de {name}{', ' + what if what else ''}.]"
