"""French labels of the actions the teleconsultation plugin writes to the audit trail (hook
``register_audit_actions``; codes named after a permission take its label)."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "teleconsultation.form": "Téléconsultation : formulaire de demande",
    "teleconsultation.requested": "Téléconsultation : demandée",
    "teleconsultation.slots": "Téléconsultation : créneaux proposés",
    "teleconsultation.schedule": "Téléconsultation : rendez-vous fixé",
    "teleconsultation.prepare": "Téléconsultation : préparation",
    "teleconsultation.start": "Téléconsultation : début",
    "teleconsultation.finish": "Téléconsultation : fin",
    "teleconsultation.not_done": "Téléconsultation : non réalisée",
    "teleconsultation.cancel": "Téléconsultation : annulation",
    "teleconsultation.cancelled": "Téléconsultation : annulée",
    "teleconsultation.report": "Téléconsultation : lecture du compte rendu",
    "teleconsultation.link.read": "Téléconsultation : lien de la visio consulté",
    "teleconsultation.list.mine": "Téléconsultation : liste de mes téléconsultations",
    "teleconsultation.person.read": "Téléconsultation : consultation de celles d'une personne",
}
