"""The person's file's hooks: questionnaires, sections of the file page, and FHIR resources that
other domains add to the exported file or take back from an imported one.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.accounts.context import AccessContext
    from virage.dossier.questionnaires import Questionnaire
    from virage.web.sections import PageSection

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def register_questionnaires() -> Sequence[Questionnaire]:
    """Declare questionnaires that professionals fill in a person's file.

    :return: :class:`virage.sdk.Questionnaire` objects (a stable ``code``, a French ``title``,
        ``items`` of :class:`virage.sdk.QuestionnaireItem`, an optional ``score`` function and
        the ``source`` of the method). A code already declared (the core's ``aggir`` and
        ``chutes`` come first) is ignored; more than 60 items is refused.

    Answers are stored with their date, who filled the form and who answered, and are health
    content (care team only). Called each time the list of questionnaires is needed.
    """


@hookspec
def dossier_sections(access: AccessContext, person_id: int) -> Sequence[PageSection] | None:
    """Add sections to the page « Dossier » of a person (identity, entourage, emergency file…).

    :param access: the request's access context: check your own permission (and audit your read)
        with ``access.require`` before reading anything, and return ``None`` when the actor may
        not see your section (not even its title).
    :param person_id: the person (the page has already checked ``persons.identity.read``).
    :return: :class:`virage.web.sections.PageSection` objects (sorted by ``order``), or ``None``.

    Called each time the page ``/personnes/{id}/dossier`` is shown, for every plugin.
    """


@hookspec
def dossier_fhir_resources(
    access: AccessContext, person_id: int
) -> Sequence[dict[str, Any]] | None:
    """Add FHIR R4 resources to a person's exported file (RelatedPerson, AllergyIntolerance…).

    :param access: the access context of the export (check and audit your own reads).
    :param person_id: the person; refer to her as ``{"reference": "Patient/<person_id>"}``.
    :return: FHIR R4 resources as dicts (each with ``resourceType`` and an ``id`` unique in the
        bundle), or ``None``. The tests validate the bundle with ``fhir.resources``: keep
        your resources valid R4.

    Called for every plugin on each export of the person's file (alone, or within her
    structure's export), after the core's resources.
    """


@hookspec
def dossier_fhir_import(
    access: AccessContext, person_id: int, resources: list[dict[str, Any]]
) -> None:
    """Take back your part of an imported file.

    :param access: the access context of the import (the actor imports into her structure).
    :param person_id: the person just created in this instance for the bundle's Patient.
    :param resources: every resource of the bundle that concerns this person, already validated
        (keep those whose ``resourceType`` is yours; references to the Patient still carry the
        exporting instance's id).

    Called inside the import's transaction: raise ``virage.errors.InvalidInput`` with a French
    message to refuse the whole import.
    """
