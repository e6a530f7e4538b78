"""The demo territory of Virage: a fictitious département network, generated from a seed.

``virage demo`` creates an empty, migrated database and calls ``on_demo_created``; this plugin
answers first (``tryfirst``) and builds the whole territory in a fixed order, each part reading
what the previous ones created from the database (structures by name, users by username):

1. ``people``: five structures (SSIAD, SAAD, EHPAD, hospital discharge team, the département's
   social services), users of every role, persons supported with their care teams;
2. ``directory``: a fictitious directory around the territory (FINESS and RPPS look-alikes);
3. ``agenda``: a month of visits (recurring series), appointments, meetings, on-call duties;
4. ``transmissions``: a few days of handovers, acknowledgements, a correction;
5. ``orientation`` (when the plugin is loaded): EHPADs with places, a hospital doctor, and
   orientation requests in every state of the answer cycle;
6. ``teleconsultation`` (when the plugin is loaded): a remote doctor, the EHPAD front desk and
   teleconsultations in every state, from the request to the report.

Other plugins' ``on_demo_created`` run afterwards and find the territory in the database. Nothing
here is real: names, numbers and situations are invented.
"""

from __future__ import annotations

from virage.sdk import accounts, hookimpl
from virage_demo_territory import agenda, directory, logins, people, transmissions

#: The range of ``virage.sdk`` this plugin is written for: Virage refuses to load it otherwise.
VIRAGE_SDK = ">=1,<2"


@hookimpl(tryfirst=True)
def on_demo_created(db, settings, seed, plugins):
    lines = people.create(db, seed)
    lines += directory.create(db, seed)
    lines += agenda.create(db, seed)
    lines += transmissions.create(db, seed)
    if "orientation" in plugins.records:
        from virage_demo_territory import orientation

        lines += orientation.create(db, seed, plugins)
    if "teleconsultation" in plugins.records:
        from virage_demo_territory import teleconsultation

        lines += teleconsultation.create(db, settings, seed, plugins)
    # The logins first, from the list the README shows too (logins.py): they cannot drift.
    present = {u for u in logins.usernames() if accounts.user_by_username(db, u)}
    return logins.banner(present) + lines


@hookimpl
def extra_plugin_info():
    return {
        "description": "Territoire de démonstration fictif (Val-de-Loue) et visite guidée.",
    }
