"""The orientation's section of « Réglages de la structure » (hook ``structure_settings_sections``).

For a structure of the network linked to its directory entry (explicit link or FINESS): the offers
it takes orientations for (by default every offer of its FINESS category; one set aside is no
longer proposed to requesters) and its available places per offer (left empty: « places non
déclarées »). Shown to the structure's director and to the network administrator; the core checks
the form (CSRF), runs ``save`` in a transaction and audits it (``structures.settings.section``).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from virage.sdk import InvalidInput, SettingsForm, SettingsSection, directory, fragment_environment
from virage_orientation import network
from virage_orientation.catalog import MODULES, OFFERS
from virage_orientation.common import directory_id_of

MAX_PLACES = 10_000
NOT_LINKED = (
    "Cette structure n'est pas reliée à l'annuaire : renseignez son numéro FINESS (fiche de la "
    "structure, administration du réseau) pour qu'elle reçoive des demandes d'orientation."
)

_FIELDS = fragment_environment().from_string(
    """{% if not linked %}<p>{{ not_linked }}</p>{% else %}
<p class="muted">Fiche de l'annuaire : {{ entry.name }}{% if entry.category_label %} ({{ entry.category_label }}){% endif %}.</p>
<table>
<thead><tr><th scope="col">Offre</th><th scope="col">Reçoit des demandes</th><th scope="col">Places disponibles</th></tr></thead>
<tbody>
{% for o in offers %}<tr>
<th scope="row">{{ o.label }} <span class="muted">({{ modules[o.module] }})</span></th>
<td><label><input type="checkbox" name="offers" value="{{ o.code }}"{% if o.code in received %} checked{% endif %}> oui</label></td>
<td><label>Places <input type="number" inputmode="numeric" min="0" max="{{ max_places }}" name="places_{{ o.code }}" value="{{ places.get(o.code, '') }}" aria-label="Places disponibles : {{ o.label }}"></label></td>
</tr>
{% endfor %}</tbody></table>
<p class="muted">Laissez le nombre de places vide si vous ne le déclarez pas ; 0 veut dire
« plus de place » (liste d'attente). Une offre décochée n'est plus proposée aux demandeurs.</p>
{% endif %}"""
)


def _offers_of(entry: dict[str, Any], known: set[str]) -> list:
    """The offers of the structure's FINESS category, plus those it already declared."""
    category = entry.get("category_code")
    shown = [o for o in OFFERS.values() if category in o.categories or o.code in known]
    return shown or list(OFFERS.values())


def _places(form: SettingsForm, offers: list) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for offer in offers:
        raw = form.get(f"places_{offer.code}").strip()
        if not raw:
            out[offer.code] = None
            continue
        try:
            count = int(raw)
        except ValueError:
            count = -1
        if not 0 <= count <= MAX_PLACES:
            raise InvalidInput(
                f"Places disponibles « {offer.label} » : indiquez un nombre entier de 0 à "
                "10 000 (0 s'il n'y a plus de place), ou laissez vide si vous ne les déclarez pas."
            )
        out[offer.code] = count
    return out


def sections(access, structure: dict[str, Any]) -> list[SettingsSection] | None:
    actor = access.actor
    sid = structure["id"]
    if actor is None or not (
        actor.is_network_admin or access.allowed("orientation.places", structure_id=sid)
    ):
        return None
    db = access.db
    did = directory_id_of(db, sid)
    entry = directory.structure(db, did) if did is not None else None

    def current() -> tuple[list, set[str], dict[str, int]]:
        declared = {p["offer"]: p["places"] for p in network.places_of(db, did)}
        closed = network.closed_offers(db, did)
        offers = _offers_of(entry, set(declared) | closed)
        return offers, {o.code for o in offers} - closed, declared

    def render(form: SettingsForm | None) -> Markup:
        if entry is None:
            return Markup(_FIELDS.render(linked=False, not_linked=NOT_LINKED))
        offers, received, places = current()
        if form is not None:
            received = set(form.getall("offers"))
            places = {o.code: form.get(f"places_{o.code}") for o in offers}
        return Markup(
            _FIELDS.render(
                linked=True,
                entry=entry,
                offers=offers,
                received=received,
                places=places,
                modules=MODULES,
                max_places=MAX_PLACES,
            )
        )

    def save(form: SettingsForm) -> dict[str, Any]:
        if entry is None:
            raise InvalidInput(NOT_LINKED)
        offers, _, _ = current()
        codes = {o.code for o in offers}
        received = set(form.getall("offers"))
        if received - codes:
            raise InvalidInput("Offre inconnue : rechargez la page et recommencez.")
        places = _places(form, offers)
        network.set_closed_offers(db, did, codes - received)
        for code, count in places.items():
            if count is None:
                network.clear_places(db, did, code)
            else:
                network.set_places(db, did, code, count)
        return {
            "annuaire": did,
            "offres_non_recues": sorted(codes - received),
            "places": places,
        }

    return [
        SettingsSection(
            "orientation",
            "Orientation",
            render,
            save,
            description="Les offres pour lesquelles la structure reçoit des demandes "
            "d'orientation et ses places disponibles, vues par les demandeurs.",
            order=60,
        )
    ]
