"""French labels of the actions the orientation plugin writes to the audit trail (hook
``register_audit_actions``; codes named after a permission take its label)."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "orientation.request.form": "Orientation : formulaire de demande",
    "orientation.request.create": "Orientation : création d'une demande",
    "orientation.request.created": "Orientation : demande créée",
    "orientation.request.list": "Orientation : consultation des demandes d'une personne",
    "orientation.request.send": "Orientation : envoi d'une demande",
    "orientation.request.sent": "Orientation : demande envoyée",
    "orientation.request.withdrawn": "Orientation : demande retirée",
    "orientation.admission.chosen": "Orientation : établissement d'accueil choisi",
    "orientation.incoming.read": "Orientation : lecture d'une demande reçue",
    "orientation.places.update": "Orientation : places disponibles mises à jour",
}
