"""French labels of the actions the kiosk plugin writes to the audit trail (hook
``register_audit_actions``)."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "kiosk.device.enrol": "Borne : enregistrement d'un appareil",
    "kiosk.device.enrolled": "Borne : appareil enregistré",
    "kiosk.device.revoke": "Borne : révocation d'un appareil",
    "kiosk.device.revoked": "Borne : appareil révoqué",
    "kiosk.device.list": "Borne : liste des appareils",
    "kiosk.device.activated": "Borne : appareil activé",
    "kiosk.checkin": "Borne : arrivée avec rendez-vous, ticket donné",
    "kiosk.checkin.again": "Borne : convocation présentée une seconde fois",
    "kiosk.checkin.refused": "Borne : convocation ou code refusé",
    "kiosk.throttled": "Borne : trop d'essais, en attente",
    "kiosk.walkin": "Borne : ticket sans rendez-vous",
    "kiosk.queue.read": "Accueil : file d'attente consultée",
    "kiosk.queue.person": "Accueil : nom montré dans la file d'attente",
    "kiosk.queue.call": "Accueil : appel du suivant",
    "kiosk.ticket.called": "Accueil : numéro appelé",
    "kiosk.ticket.verified": "Accueil : identité vérifiée",
    "kiosk.ticket.done": "Accueil : ticket terminé",
    "kiosk.convocation": "Convocation imprimée (code de la borne)",
    "kiosk.convocation.list": "Accueil : convocations du jour consultées",
    "kiosk.settings.read": "Accueil : réglages consultés",
    "kiosk.settings.write": "Accueil : réglages modifiés",
    "kiosk.settings.changed": "Accueil : réglage enregistré",
}
