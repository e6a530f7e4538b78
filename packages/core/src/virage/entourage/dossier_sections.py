"""The entourage's sections of the page « Dossier » (hook ``dossier_sections``): « Identité »,
« Entourage », « Santé déclarée » and « DLU », each shown only to whom may read it (audited)."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from virage.accounts import identity_vigilance
from virage.accounts.context import AccessContext
from virage.entourage import dlu, storage
from virage.entourage.kinds import HEALTH_KINDS, PROTECTIONS, SOCIAL_KINDS
from virage.french import PARIS, plural
from virage.web.sections import PageSection


def _html(lines: list[str], link: tuple[str, str]) -> Markup:
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return Markup('<ul class="list">{}</ul><p><a href="{}">{}</a></p>').format(
        items, link[0], link[1]
    )


def sections(access: AccessContext, person_id: int) -> list[PageSection]:
    person, ref = access.load_person(person_id)
    out = []
    if access.allowed("persons.identity.read", person=ref):
        status = identity_vigilance.status_of(access.db, person)
        lines = [status["label"] + (" · INS qualifiée" if status["ins_qualified"] else "")]
        if status["document"]:
            lines.append(f"Pièce vérifiée : {status['document']}")
        out.append(
            PageSection(
                "Identité",
                _html(lines, (f"/personnes/{person_id}/identite", "Vigilance sur l'identité")),
                "identite",
                order=5,
            )
        )
        access.require("persons.identity.read", person_id=person_id, action="entourage.read")
        rows = storage.entries(access.db, person_id, SOCIAL_KINDS)
        trusted = [r for r in rows if r["kind"] == "trusted_person"]
        protection = [r for r in rows if r["kind"] == "protection"]
        relatives = [r for r in rows if r["kind"] == "relative"]
        lines = [
            "Personne de confiance : " + (trusted[0]["name"] if trusted else "non enregistrée"),
            (
                f"{PROTECTIONS.get(protection[0]['detail'], protection[0]['detail'])} exercée "
                f"par {protection[0]['name']}"
                if protection
                else "Aucune mesure de protection enregistrée"
            ),
            (
                plural(len(relatives), "proche enregistré", "proches enregistrés")
                if relatives
                else "Aucun proche enregistré"
            ),
        ]
        out.append(
            PageSection(
                "Entourage",
                _html(
                    lines, (f"/personnes/{person_id}/entourage", "Voir et compléter l'entourage")
                ),
                "entourage",
                order=40,
            )
        )
    if access.allowed("persons.health.read", person=ref):
        access.require("persons.health.read", person_id=person_id, action="entourage.health.read")
        rows = storage.entries(access.db, person_id, HEALTH_KINDS)
        allergies = [r["detail"] for r in rows if r["kind"] == "allergy"]
        treatments = [r for r in rows if r["kind"] == "treatment"]
        lines = [
            "Allergies déclarées : " + (", ".join(allergies) if allergies else "non renseignées"),
            plural(len(treatments), "traitement en cours déclaré", "traitements en cours déclarés"),
        ]
        out.append(
            PageSection(
                "Santé déclarée",
                _html(lines, (f"/personnes/{person_id}/entourage#sante", "Voir la santé déclarée")),
                "sante-declaree",
                order=41,
            )
        )
        every = storage.entries(access.db, person_id, SOCIAL_KINDS + HEALTH_KINDS)
        by_kind = {k: [r for r in every if r["kind"] == k] for k in SOCIAL_KINDS + HEALTH_KINDS}
        missing = dlu.missing(by_kind, person, datetime.now(PARIS).date())
        lines = [escape(m) for m in missing] or ["Rien ne manque."]
        out.append(
            PageSection(
                "DLU",
                _html(lines, (f"/personnes/{person_id}/dlu", "Dossier de liaison d'urgence")),
                "dlu",
                order=42,
            )
        )
    return out
