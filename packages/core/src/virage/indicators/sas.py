"""The « sas »: an export is prepared for a period, shown in full, approved by the director and
by the DPO (two people), then downloadable. Every step is audited.

The content is computed from the source at preparation and its SHA-256 kept. At each approval it
is computed again: if anything changed in the data since (a visit pointed late, a transmission
added), the export is invalidated and must be prepared again — what is approved is exactly what
was shown. Once approved the content is frozen; what leaves is that content. A period already
sent for a structure cannot be sent again: two exports of the same period would tell, by
difference, what one late admission changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.db import transaction, utcnow_iso
from virage.errors import Conflict, Forbidden, NotFound
from virage.indicators import service, storage
from virage.indicators.model import period_months, period_text
from virage.indicators.suppression import Table

APPROVER_ROLES = ("director", "dpo")


def _content(access: AccessContext, structure_id: int, period: str) -> dict[str, Any]:
    months = period_months(period)
    structure = lookups.structure(access.db, structure_id) or {}
    indicators = []
    for entry in service.compute(access.db, access.plugins, structure_id, months):
        table: Table = entry.pop("table")
        indicators.append(
            {
                **entry,
                "rows": table.as_rows(),
                "month_totals": table.col_totals if entry["additive"] else {},
                "total": table.grand_total if entry["additive"] else None,
                "hidden_cells": table.hidden,
            }
        )
    return {
        "structure": {
            "id": structure_id,
            "name": structure.get("name", ""),
            "kind": structure.get("kind", ""),
            "finess": structure.get("finess") or "",
        },
        "period": period,
        "period_label": period_text(period),
        "months": months,
        "threshold": service.threshold(access.db),
        "indicators": indicators,
    }


def digest(content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(access: AccessContext, structure_id: int, period: str) -> int:
    actor = access.require_login()
    access.require("indicators.export.prepare", structure_id=structure_id)
    period = (period or "").strip()[:10]
    period_months(period)  # checks the period's form (InvalidInput)
    if storage.period_sent(access.db, structure_id, period):
        access.audit(
            "indicators.export.refused",
            structure_id=structure_id,
            details={"période": period, "raison": "déjà envoyée"},
            outcome="denied",
        )
        raise Conflict(
            f"Les indicateurs du {period_text(period)} ont déjà été envoyés : un second envoi "
            "permettrait de déduire, par différence, ce qui concerne une personne."
        )
    content = _content(access, structure_id, period)
    with transaction(access.db):
        export_id = storage.insert_export(
            access.db, structure_id, period, content, digest(content), actor.user_id, utcnow_iso()
        )
        access.audit(
            "indicators.export.prepared",
            structure_id=structure_id,
            target=f"indicator_export:{export_id}",
            details={"période": period},
        )
    return export_id


def get(access: AccessContext, export_id: int) -> dict:
    """The export, its approvals, and what the viewer may do with it."""
    actor = access.require_login()
    row = storage.export(access.db, export_id)
    if row is None or not access.allowed(
        "indicators.export.review", structure_id=row["structure_id"]
    ):
        raise NotFound("Cet export n'existe pas, ou il n'est pas de vos structures.")
    access.audit(
        "indicators.export.reviewed",
        structure_id=row["structure_id"],
        target=f"indicator_export:{export_id}",
    )
    approvals = storage.approvals(access.db, export_id)
    names = lookups.user_names(access.db, [a["user_id"] for a in approvals]) if approvals else {}
    row["approvals"] = [{**a, "name": names.get(a["user_id"], "")} for a in approvals]
    role = actor.role_in(row["structure_id"])
    done_roles = {a["role"] for a in approvals}
    row["can_approve"] = (
        row["status"] == "prepared"
        and role in APPROVER_ROLES
        and role not in done_roles
        and actor.user_id not in {a["user_id"] for a in approvals}
    )
    row["missing_roles"] = [r for r in APPROVER_ROLES if r not in done_roles]
    return row


def approve(access: AccessContext, export_id: int) -> str:
    """Approve as director or DPO; returns the new status. Changed data invalidates the export."""
    actor = access.require_login()
    row = storage.export(access.db, export_id)
    if row is None:
        raise NotFound("Cet export n'existe pas, ou il n'est pas de vos structures.")
    sid = row["structure_id"]
    access.require("indicators.export.approve", structure_id=sid)
    role = actor.role_in(sid)
    target = f"indicator_export:{export_id}"
    if row["status"] != "prepared":
        raise Conflict("Cet export n'attend plus d'approbation.")
    approvals = storage.approvals(access.db, export_id)
    if role not in APPROVER_ROLES or any(
        a["role"] == role or a["user_id"] == actor.user_id for a in approvals
    ):
        access.audit("indicators.export.refused", structure_id=sid, target=target, outcome="denied")
        raise Forbidden(
            "Cet export attend l'approbation d'une autre personne : la direction et le délégué à "
            "la protection des données approuvent chacun une fois."
        )
    if digest(_content(access, sid, row["period"])) != row["content_hash"]:
        with transaction(access.db):
            storage.set_status(access.db, export_id, "invalidated")
            access.audit("indicators.export.invalidated", structure_id=sid, target=target)
        raise Conflict(
            "Les données ont changé depuis la préparation de cet export : il est annulé. "
            "Préparez-le à nouveau et relisez-le."
        )
    now = utcnow_iso()
    with transaction(access.db):
        storage.add_approval(access.db, export_id, sid, role, actor.user_id, now)
        access.audit(
            "indicators.export.approved", structure_id=sid, target=target, details={"rôle": role}
        )
        if len(approvals) + 1 == len(APPROVER_ROLES):
            storage.set_status(access.db, export_id, "approved", now)
            return "approved"
    return "prepared"


def for_download(access: AccessContext, export_id: int, fmt: str) -> dict:
    """The approved content, the download audited (the first one marks the export as sent)."""
    access.require_login()
    row = storage.export(access.db, export_id)
    if row is None:
        raise NotFound("Cet export n'existe pas, ou il n'est pas de vos structures.")
    sid = row["structure_id"]
    access.require("indicators.export.download", structure_id=sid)
    if row["status"] != "approved":
        access.audit(
            "indicators.export.refused",
            structure_id=sid,
            target=f"indicator_export:{export_id}",
            outcome="denied",
        )
        raise Conflict(
            "Cet export n'est pas encore approuvé par la direction et le délégué à la protection "
            "des données : il ne peut pas sortir."
        )
    with transaction(access.db):
        storage.mark_downloaded(access.db, export_id, utcnow_iso())
        access.audit(
            "indicators.export.downloaded",
            structure_id=sid,
            target=f"indicator_export:{export_id}",
            details={"format": fmt},
        )
    return row


def listing(access: AccessContext, structure_id: int) -> list[dict]:
    access.require("indicators.export.review", structure_id=structure_id)
    return storage.exports(access.db, structure_id)


def sent(access: AccessContext, structure_id: int) -> list[dict]:
    """What was sent about the structure's activity (aggregates only), for a person who asks."""
    access.require("indicators.sent.read", structure_id=structure_id)
    access.audit("indicators.sent.read", structure_id=structure_id)
    return storage.sent_exports(access.db, structure_id)


def approved_for(access: AccessContext, structure_id: int, period: str) -> int | None:
    """The latest approved export of a period (the command line delivers only those)."""
    access.require("indicators.export.download", structure_id=structure_id)
    period_months(period)
    row = storage.approved_export(access.db, structure_id, period)
    return row["id"] if row else None


def sent_summary(db, person_id: int) -> list[dict]:
    """The exports sent for the person's structure, summed up (for her RGPD export)."""
    person = lookups.person(db, person_id)
    if person is None:
        return []
    return [
        {
            "période": period_text(row["period"]),
            "envoyé le": row["first_download_at"],
            "indicateurs": [
                {
                    "indicateur": ind["label"],
                    "unité": ind["unit"],
                    "total": ind["total"],
                    "cases masquées": ind["hidden_cells"],
                }
                for ind in row["content"]["indicators"]
            ],
        }
        for row in storage.sent_exports(db, person["structure_id"], limit=20)
    ]
