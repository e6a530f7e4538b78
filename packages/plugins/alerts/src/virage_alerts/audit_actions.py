"""French labels of the actions the alerts plugin writes to the audit trail (hook
``register_audit_actions``)."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "alerts.device.enrol": "Alertes : enregistrement d'un capteur",
    "alerts.device.enrolled": "Alertes : capteur enregistré",
    "alerts.device.revoke": "Alertes : révocation d'un capteur",
    "alerts.device.revoked": "Alertes : capteur révoqué",
    "alerts.device.list": "Alertes : liste des capteurs",
    "alerts.raised": "Alertes : alerte reçue d'un capteur",
    "alerts.event.refused": "Alertes : événement d'un capteur refusé",
    "alerts.escalated": "Alertes : alerte élargie au niveau suivant",
    "alerts.board.read": "Alertes : tableau consulté",
    "alerts.feed.open": "Alertes : tableau en direct ouvert",
    "alerts.take": "Alertes : « j'y vais » demandé",
    "alerts.taken": "Alertes : alerte prise en charge",
    "alerts.on_site": "Alertes : arrivée sur place",
    "alerts.close": "Alertes : fin d'alerte demandée",
    "alerts.closed": "Alertes : alerte terminée",
    "alerts.register.read": "Alertes : registre des chutes consulté",
    "alerts.register.export": "Alertes : registre des chutes téléchargé (CSV)",
    "alerts.figures.read": "Alertes : chiffres par unité consultés",
    "alerts.rooms.read": "Alertes : chambres et personnes consultées",
    "alerts.room.assign": "Alertes : occupant d'une chambre demandé",
    "alerts.room.assigned": "Alertes : occupant d'une chambre enregistré",
    "alerts.after_fall.read": "Alertes : chute terminée consultée",
    "alerts.after_fall.form": "Alertes : transmission après une chute ouverte",
}
