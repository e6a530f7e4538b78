"""French labels of audit actions, for the pages that show the journal (codes stay in exports).

Every action code written to the trail has a label (a test checks it, on the code base and on the
codes the suite records). Labels come from, in order:

1. the core's :data:`CORE_ACTION_LABELS` below;
2. what the built-in domains and the plugins declare through the hook ``register_audit_actions``
   (:mod:`virage.audit.hookspecs`): ``{"<plugin>.<verb>": "Libellé en français"}``;
3. the label of the permission of the same name (an action recorded under a permission's name
   is the use of that permission).

A code without any label is shown as it is: the test fails first.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from virage.access import Registry

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.plugins import PluginHost

CORE_ACTION_LABELS: dict[str, str] = {
    "accounts.login": "Connexion",
    "persons.list": "Liste des personnes",
    "persons.read": "Consultation du dossier",
    "persons.form": "Formulaire de nouvelle personne",
    "persons.create": "Création d'une personne",
    "persons.created": "Personne créée",
    "persons.update": "Modification de l'identité",
    "persons.health.update": "Modification des informations de santé",
    "persons.close": "Clôture du suivi",
    "persons.export": "Export RGPD (limité à ce que l'on peut lire)",
    "persons.export.health": "Export complet au titre du droit d'accès (santé comprise)",
    "persons.deleted": "Suppression (règle de conservation)",
    "care_team.add": "Ajout à l'équipe de soins",
    "care_team.remove": "Retrait de l'équipe de soins",
    "emergency_access.open": "Ouverture d'un accès d'urgence",
    "audit.read": "Consultation du journal",
    "audit.export": "Export du journal d'une personne (qui a consulté son dossier)",
    "audit.export_all": "Export de tout le journal de la structure (DPO, motif)",
    "audit.worker_activity": "Consultation de l'activité d'un professionnel (DPO, motif)",
    "persons.access_log.read": "Consultation de « qui a consulté ce dossier »",
    "tokens.created": "Jeton d'API créé",
    "tokens.revoked": "Jeton d'API révoqué",
    "users.created": "Compte créé",
    "users.password_reset": "Mot de passe réinitialisé",
    "structures.created": "Structure créée",
    "structures.settings.update": "Réglages de la structure",
    "structures.settings.updated": "Réglages de la structure enregistrés (second facteur, CSE)",
    "accounts.login.password": "Mot de passe vérifié (second facteur demandé)",
    "accounts.second_factor.enrolled": "Second facteur enregistré",
    "accounts.second_factor.used": "Second facteur donné à la connexion",
    "accounts.second_factor.recovery_used": "Code de secours utilisé à la connexion",
    "accounts.second_factor.failed": "Code de second facteur refusé",
    "accounts.second_factor.recovery_codes": "Nouveaux codes de secours",
    "accounts.second_factor.removed": "Clé de sécurité retirée",
    "accounts.second_factor.reset": "Second facteur réinitialisé (administration du réseau)",
    "accounts.notice.acknowledged": "Note d'information lue",
    "persons.objection.record": "Opposition au partage : enregistrement",
    "persons.objection.recorded": "Opposition au partage enregistrée",
    "persons.objection.withdraw": "Opposition au partage : levée",
    "persons.objection.withdrawn": "Opposition au partage levée",
    # agenda (virage.agenda)
    "agenda.book": "Prise de rendez-vous",
    "agenda.update": "Rendez-vous déplacé ou modifié",
    "agenda.cancel": "Rendez-vous annulé",
    "agenda.status": "État d'un rendez-vous changé",
    "agenda.force": "Réservation malgré un conflit",
    "agenda.forced": "Conflit d'agenda passé outre",
    "agenda.appointment.read": "Consultation d'un rendez-vous",
    "agenda.notes.read": "Lecture des notes de soins d'un rendez-vous",
    "agenda.notes.write": "Écriture des notes de soins d'un rendez-vous",
    "agenda.day.read": "Consultation de « ma journée »",
    "agenda.week.read": "Consultation de la semaine d'une équipe",
    "agenda.list.read": "Liste des rendez-vous (API)",
    "agenda.person.read": "Consultation de l'agenda d'une personne",
    "agenda.person.pick": "Choix d'une personne pour un rendez-vous",
    "agenda.checkin": "Arrivée pointée",
    "agenda.checkout": "Départ pointé",
    "agenda.arrival": "Arrivée signalée à la borne d'accueil",
    "agenda.feed.created": "Abonnement de calendrier créé",
    "agenda.feed.revoked": "Abonnement de calendrier révoqué",
    "agenda.feed.read": "Lecture d'un abonnement de calendrier",
    "agenda.import": "Import d'un fichier iCalendar",
    "agenda.import.form": "Formulaire d'import iCalendar",
    "agenda.imported": "Rapport d'import iCalendar",
    "agenda.settings.privacy": "Réglage des abonnements de calendrier",
    # transmissions (virage.transmissions)
    "transmissions.read": "Lecture des transmissions",
    "transmissions.search": "Recherche dans les transmissions d'une personne",
    "transmissions.form": "Formulaire de transmission",
    "transmissions.write": "Écriture d'une transmission",
    "transmissions.created": "Transmission enregistrée",
    "transmissions.retry": "Transmission renvoyée (déjà reçue, pas de doublon)",
    "transmissions.update": "Transmission modifiée (délai de correction)",
    "transmissions.withdraw": "Transmission retirée (délai de correction)",
    "transmissions.acknowledge": "Prise de connaissance d'une transmission",
    "transmissions.export": "Impression des transmissions (transfert)",
    "transmissions.urgent.read": "Consultation des transmissions urgentes non lues",
    "transmissions.targets.added": "Cible de transmission ajoutée",
    "transmissions.targets.retired": "Cible de transmission retirée",
    "transmissions.targets.enabled": "Cible de transmission remise",
    "transmissions.templates.added": "Modèle de transmission ajouté",
    # directory (virage.directory)
    "directory.extra.update": "Annuaire : compléments d'une structure modifiés",
    "directory.imports.read": "Annuaire : consultation des imports",
    "directory.correction.report": "Annuaire : correction signalée",
    "directory.correction.list": "Annuaire : consultation des corrections signalées",
    "directory.correction.review": "Annuaire : correction examinée",
    "directory.correction.export": "Annuaire : export des corrections signalées",
}


#: What a flagged entry (column ``emergency``: an access outside the usual rules) is called, by
#: action. Any other flagged entry is a read during an emergency access.
FLAG_LABELS: dict[str, str] = {
    "persons.export.health": "export complet motivé (droit d'accès)",
    "audit.worker_activity": "consultation motivée de l'activité d'un professionnel",
    "audit.export_all": "export motivé de tout le journal",
}
FLAG_DEFAULT = "bris de glace"


def flag_label(action: str) -> str:
    return FLAG_LABELS.get(action, FLAG_DEFAULT)


def make_action_label(registry: Registry):
    """Return a function code -> French label (core labels, then permission labels, then code).

    Without the plugins' declarations: pages that show the journal use :func:`action_labels`.
    """
    return ActionLabels(dict(CORE_ACTION_LABELS), registry).label


@dataclass(frozen=True)
class ActionLabels:
    """The French labels of every action code an application knows."""

    declared: dict[str, str]
    registry: Registry

    def label(self, code: str) -> str:
        if code in self.declared:
            return self.declared[code]
        try:
            return self.registry.get(code).label
        except KeyError:
            return code

    def has(self, code: str) -> bool:
        return self.label(code) != code

    def choices(self) -> list[tuple[str, str]]:
        """(code, label) of every known action, by label: the journal's action filter."""
        codes = set(self.declared) | {p.name for p in self.registry.all() if p.personal_data}
        return sorted(((c, self.label(c)) for c in codes), key=lambda x: x[1].casefold())


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def declared_labels(plugins: PluginHost) -> dict[str, str]:
    """The labels the core and every plugin declare (``register_audit_actions``); a faulty
    declaration is reported as a failure of its plugin and left out."""
    labels = dict(CORE_ACTION_LABELS)
    for name, declared in plugins.call_each("register_audit_actions"):
        if declared is None:
            continue
        if not isinstance(declared, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in declared.items()
        ):
            plugins.record_failure(
                name,
                "register_audit_actions",
                f"dict code -> libellé attendu, reçu {declared!r:.80}",
            )
            continue
        labels.update(declared)
    return labels


def action_labels(plugins: PluginHost | None, registry: Registry) -> ActionLabels:
    """The labels of an application (computed once per plugin host)."""
    if plugins is None:
        return ActionLabels(dict(CORE_ACTION_LABELS), registry)
    cached = _CACHE.get(plugins)
    if cached is None or cached.registry is not registry:
        cached = ActionLabels(declared_labels(plugins), registry)
        _CACHE[plugins] = cached
    return cached


LabelFunction = Callable[[str], str]
