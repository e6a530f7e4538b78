"""The RGPD export of a person, built from the same access decisions as the pages and the API.

Every part of the export is an :class:`ExportSection` that names the permission governing its
reading (``persons.health.read``, ``transmissions.read``, a plugin's own…). A section is exported
when the actor may read it by the usual rules (role, care team, emergency access); otherwise it is
left out, and the export itself says which sections were left out and why, in French.

Answering a person's right of access (art. 15 RGPD) with everything, health content included, is a
distinct and deliberate act: permission ``persons.export.health`` and a stated reason. That export
is flagged in the audit trail like an emergency access, with its reason, and shows in the person's
« Qui a consulté ce dossier ».

The person's objections to sharing outside her care team are part of her file, so of her export;
when one is in force, the export's summary says so: the file is for the person herself, never to be
passed to a third party.

Domains and plugins contribute their sections through the ``extra_person_export`` hook. Data
returned without an :class:`ExportSection` (so without a declared permission) is exported only in
the complete export: nobody can tell who may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from virage.accounts import objection_storage, storage
from virage.accounts.context import AccessContext, clean_reason
from virage.audit import service as audit
from virage.db import utcnow
from virage.errors import Forbidden, NotFound

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.access import PersonRef
    from virage.plugins import PluginHost

FORMAT = "virage-export-personne/2"
#: Name of the core in ``sections_omises`` (plugins appear under their own name).
CORE = "virage"
ACCESS_LOG_LIMIT = 100_000

UNDECLARED = (
    "Ce module ne déclare pas qui peut lire ces données : elles ne figurent que dans l'export "
    "complet au titre du droit d'accès."
)
FULL_HINT = (
    " L'export complet (santé comprise), pour répondre au droit d'accès de la personne, est fait "
    "par le ou la DPO avec un motif ; il est signalé au journal des accès."
)


@dataclass(frozen=True)
class ExportSection:
    """A part of a person's RGPD export, with the permission that governs reading it.

    :param key: stable name of the section in the export (``"transmissions"``), unique within the
        module that contributes it.
    :param title: French title, shown when the section is left out.
    :param permission: the permission needed on the person to read this content through the pages
        or the API (``"transmissions.read"``…); it is checked with the same rules (role, care team,
        emergency access). ``None``: undeclared, exported only in the complete export.
    :param data: JSON-compatible content.
    """

    key: str
    title: str
    permission: str | None
    data: Any


def _plugin_sections(name: str, result: Any) -> list[ExportSection]:
    items = list(result) if isinstance(result, (list, tuple)) else [result]
    if items and all(isinstance(i, ExportSection) for i in items):
        return items
    return [ExportSection("donnees", f"Données du module {name}", None, result)]


def _core_sections(access: AccessContext, person: dict, person_id: int) -> list[ExportSection]:
    identity = {k: v for k, v in person.items() if k != "health_notes"}
    return [
        ExportSection("personne", "Identité et coordonnées", "persons.identity.read", identity),
        ExportSection(
            "informations_de_sante",
            "Informations de santé du dossier",
            "persons.health.read",
            person["health_notes"],
        ),
        ExportSection(
            "equipe_de_soins",
            "Équipe de soins",
            "persons.identity.read",
            storage.care_team(access.db, person_id),
        ),
        ExportSection(
            "oppositions_au_partage",
            "Oppositions au partage hors de l'équipe de soins",
            "persons.identity.read",
            objection_storage.history(access.db, person_id),
        ),
        ExportSection(
            "journal_des_acces",
            "Qui a consulté le dossier",
            "persons.access_log.read",
            audit.for_person(access.db, person_id, limit=ACCESS_LOG_LIMIT),
        ),
    ]


def _readable(access: AccessContext, ref: PersonRef, section: ExportSection) -> str | None:
    """``None`` when the actor may read the section, else why not (French)."""
    if section.permission is None:
        return UNDECLARED
    try:
        decision = access.decide(section.permission, person=ref)
    except KeyError:
        return UNDECLARED
    return None if decision.allowed else decision.reason


def _gate(access: AccessContext, person_id: int) -> tuple[dict, PersonRef]:
    """The person, if the actor may export at all; otherwise audit the refusal and raise."""
    access.require_login()
    try:
        person, ref = access.load_person(person_id)
    except NotFound:
        access.require("persons.export", person_id=person_id, action="persons.export")
        raise
    if not access.allowed("persons.export", person=ref):
        access.require("persons.export", person_id=person_id, action="persons.export")
    return person, ref


def build(
    access: AccessContext, plugins: PluginHost, person_id: int, reason: str | None = None
) -> dict[str, Any]:
    """A person's RGPD export: what the actor may read, or everything for a reasoned full export.

    :param reason: the reason of a complete export (right of access). Empty: the export holds what
        the actor may read. Given: it must be 10 to 500 characters (``InvalidInput`` otherwise);
        with permission ``persons.export.health`` the export is complete, flagged in the audit
        trail with the reason; without it the refusal is audited and the export stays limited.
    """
    motif = clean_reason(reason) if (reason or "").strip() else None
    person, ref = _gate(access, person_id)
    full, refusal = False, None
    if motif is not None:
        if access.allowed("persons.export.health", person=ref):
            full = True
        else:
            try:  # audits the refused attempt; the export goes on, limited
                access.require(
                    "persons.export.health",
                    person_id=person_id,
                    action="persons.export.health",
                    reason=motif,
                )
            except Forbidden as exc:
                refusal = exc.message

    contributed = [(CORE, s) for s in _core_sections(access, person, person_id)]
    for name, result in plugins.call_each("extra_person_export", db=access.db, person_id=person_id):
        contributed += [(name, s) for s in _plugin_sections(name, result)]

    out: dict[str, Any] = {
        "format": FORMAT,
        "exporte_le": utcnow().replace(microsecond=0).isoformat(),
        "export": {},
        "personne": None,
        "informations_de_sante": None,
        "equipe_de_soins": None,
        "oppositions_au_partage": None,
        "journal_des_acces": None,
        "autres_donnees": {},
        "sections_omises": [],
    }
    for module, section in contributed:
        why = None if full else _readable(access, ref, section)
        if why is not None:
            out["sections_omises"].append(
                {"module": module, "section": section.key, "titre": section.title, "raison": why}
            )
        elif module == CORE:
            out[section.key] = section.data
        else:
            out["autres_donnees"].setdefault(module, {})[section.key] = section.data

    omitted = [f"{o['module']}:{o['section']}" for o in out["sections_omises"]]
    out["export"] = _summary(access, ref, full, motif, refusal, len(omitted))
    details = {"sections": len(contributed) - len(omitted), "omises": omitted}
    if full:
        access.require(
            "persons.export.health",
            person_id=person_id,
            action="persons.export.health",
            reason=motif,
            details=details,
        )
    else:
        access.require(
            "persons.export", person_id=person_id, action="persons.export", details=details
        )
    return out


def _summary(
    access: AccessContext,
    ref: PersonRef,
    full: bool,
    motif: str | None,
    refusal: str | None,
    omitted: int,
) -> dict[str, Any]:
    if full:
        text = (
            "Export complet, santé comprise, au titre du droit d'accès de la personne (art. 15 "
            "du RGPD). Il est signalé au journal des accès avec son motif."
        )
    elif omitted == 0:
        text = "Cet export contient tout ce qui est enregistré sur la personne."
    else:
        plural = "s ont été laissées" if omitted > 1 else " a été laissée"
        text = (
            "Cet export contient ce que vous pouvez lire. "
            f"{omitted} section{plural} de côté : voir « sections_omises »."
        )
        if refusal:
            text += f" Export complet refusé : {refusal}"
        elif not access.allowed("persons.export.health", person=ref):
            text += FULL_HINT
        else:
            text += (
                " Pour un export complet au titre du droit d'accès, indiquez-en le motif "
                "(au moins 10 caractères)."
            )
    objection = objection_storage.active(access.db, ref.id)
    return {
        "nature": "complet" if full else "limité à ce que vous pouvez lire",
        "explication": text,
        "par": access.actor.label,
        "motif": motif if full else None,
        "opposition_au_partage": (
            "La personne s'est opposée au partage de "
            + ("ses informations" if objection["scope"] == "tout" else "ses informations de santé")
            + " hors de son équipe de soins : cet export est destiné à la personne elle-même "
            "(droit d'accès) ; ne le transmettez pas à un tiers."
            if objection
            else None
        ),
    }
