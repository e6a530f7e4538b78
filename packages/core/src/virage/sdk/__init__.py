"""The public door of Virage for plugins and examples: import from here, and only from here.

Like pytest's ``pytest`` over ``_pytest``, this module names what a plugin may rely on; everything
else in ``virage`` is internal and may change in any release. What is here follows semantic
versioning through :data:`SDK_VERSION`: a minor version only adds names; a major version may
remove or change them, and says how in the change log. A plugin declares the range it supports
(``VIRAGE_SDK = ">=1,<2"`` in its entry-point module) and is refused at load, with one clear
line, by a Virage whose SDK is outside it.

What may change without notice even here: the wording of French messages, the HTML of pages,
the order of items that are not documented as ordered, and anything whose name starts with ``_``.

The domains' public functions are in sub-modules, imported the same way::

    from virage.sdk import agenda, accounts, directory, transmissions, audit, login, devices
    from virage.sdk import hookimpl, AccessContext, InvalidInput

``virage.sdk.testing`` gathers what a plugin's tests need (an application, a database, the
command line).
"""

from __future__ import annotations

import pluggy

from virage.access import (
    CARE_ROLES,
    NETWORK_ADMIN_LABEL,
    ROLES,
    Actor,
    Permission,
    PersonRef,
    permission,
)
from virage.accounts.auth import require_actor_guard
from virage.accounts.context import AccessContext
from virage.accounts.export import ExportSection
from virage.accounts.settings_sections import SettingsForm, SettingsSection
from virage.agenda.kinds import AppointmentKind
from virage.agenda.timeutil import (
    PARIS,
    day_bounds,
    iso,
    parse_iso,
    to_local,
    to_utc,
    today_paris,
    week_start,
)
from virage.app import prepare_database
from virage.db import Database, Migration, fetch_all, fetch_one, transaction, utcnow, utcnow_iso
from virage.db_policies import structure_policy
from virage.deps import Access, AppSettings, Plugins
from virage.directory.sources import (
    DirectoryImporter,
    DirectorySource,
    ImportFailed,
    Item,
    ProfessionalRecord,
    Rejected,
    RoleRecord,
    SourceFormat,
    StructureRecord,
)
from virage.dossier.questionnaires import Questionnaire, QuestionnaireItem
from virage.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
    VirageError,
)
from virage.french import born, day_text, moment_text, plural, time_text
from virage.indicators.model import Cell as IndicatorCell
from virage.indicators.model import Indicator
from virage.plugins import PluginHost, hookimpl
from virage.sdk import (
    accounts,
    agenda,
    audit,
    devices,
    directory,
    documents,
    inboxes,
    login,
    messaging,
    transmissions,
)
from virage.settings import Settings
from virage.transmissions.targets import TransmissionTarget, TransmissionTemplate
from virage.version import SDK_VERSION
from virage.web.nav import NavItem
from virage.web.sections import PageSection
from virage.web.templating import fragment_environment

#: Marks the functions of a plugin's own hookspecs module (returned by ``register_hookspecs``).
hookspec = pluggy.HookspecMarker("virage")

__all__ = [
    "CARE_ROLES",
    "NETWORK_ADMIN_LABEL",
    "PARIS",
    "ROLES",
    "SDK_VERSION",
    "Access",
    "AccessContext",
    "Actor",
    "AppSettings",
    "AppointmentKind",
    "Conflict",
    "Database",
    "DirectoryImporter",
    "DirectorySource",
    "ExportSection",
    "Forbidden",
    "ImportFailed",
    "Indicator",
    "IndicatorCell",
    "InvalidInput",
    "Item",
    "Migration",
    "NavItem",
    "NotAuthenticated",
    "NotFound",
    "PageSection",
    "Permission",
    "PersonRef",
    "PluginHost",
    "Plugins",
    "ProfessionalRecord",
    "Questionnaire",
    "QuestionnaireItem",
    "Rejected",
    "RoleRecord",
    "Settings",
    "SettingsForm",
    "SettingsSection",
    "SourceFormat",
    "StructureRecord",
    "TooManyRequests",
    "TransmissionTarget",
    "TransmissionTemplate",
    "VirageError",
    "accounts",
    "agenda",
    "audit",
    "born",
    "day_bounds",
    "day_text",
    "devices",
    "directory",
    "documents",
    "fetch_all",
    "fetch_one",
    "fragment_environment",
    "hookimpl",
    "hookspec",
    "inboxes",
    "iso",
    "login",
    "messaging",
    "moment_text",
    "parse_iso",
    "permission",
    "plural",
    "prepare_database",
    "require_actor_guard",
    "structure_policy",
    "time_text",
    "to_local",
    "to_utc",
    "today_paris",
    "transaction",
    "transmissions",
    "utcnow",
    "utcnow_iso",
    "week_start",
]
