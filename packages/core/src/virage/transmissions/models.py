"""Models at the boundary of the transmissions domain (API bodies, the page's JSON endpoint)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from virage.partial import PartialUpdate

Category = Literal["soins", "vie_quotidienne", "social", "administratif"]
Priority = Literal["normal", "important", "urgent"]
Kind = Literal["entry", "result", "correction"]

TEXT_MAX = 4000
CLIENT_ID = Field(
    default=None,
    pattern=r"^[A-Za-z0-9_-]{8,64}$",
    description=(
        "Identifiant choisi par le client (UUID) : renvoyer la même transmission avec le même "
        "identifiant ne crée jamais de doublon, la réponse est la transmission déjà reçue."
    ),
)


class DarParts(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    target: str = Field(min_length=2, max_length=40, description="Code de la cible (voir /targets)")
    category: Category | None = Field(
        default=None, description="Catégorie ; par défaut celle de la cible"
    )
    priority: Priority = "normal"
    occurred_at: datetime | None = Field(
        default=None,
        description="Moment observé (ISO 8601 avec fuseau) ; par défaut maintenant",
    )
    data: str = Field(min_length=1, max_length=TEXT_MAX, description="Données : ce qui est observé")
    actions: str = Field(default="", max_length=TEXT_MAX, description="Actions : ce qui a été fait")
    results: str = Field(
        default="", max_length=TEXT_MAX, description="Résultats (peuvent être ajoutés plus tard)"
    )
    appointment_id: int | None = Field(
        default=None, description="Visite de l'agenda dont provient la transmission"
    )


class TransmissionCreate(DarParts):
    person_id: int = Field(description="Personne accompagnée")
    client_id: str | None = CLIENT_ID


class CorrectionCreate(DarParts):
    client_id: str | None = CLIENT_ID


class TransmissionUpdate(PartialUpdate):
    """Changes by the author during the grace period; only the fields sent are changed."""

    target: str = Field(default=None, min_length=2, max_length=40)
    category: Category = None
    priority: Priority = None
    occurred_at: datetime = None
    data: str = Field(default=None, min_length=1, max_length=TEXT_MAX)
    actions: str = Field(default=None, max_length=TEXT_MAX)
    results: str = Field(default=None, max_length=TEXT_MAX)


class ResultCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    results: str = Field(min_length=1, max_length=TEXT_MAX, description="Résultats constatés")
    priority: Priority = "normal"
    client_id: str | None = CLIENT_ID


class Acknowledgement(BaseModel):
    user_id: int
    display_name: str
    at: str


class Transmission(BaseModel):
    id: int
    person_id: int
    structure_id: int
    author_id: int
    author_label: str
    kind: Kind = Field(description="entry, result (résultat ajouté) ou correction")
    parent_id: int | None = Field(description="Transmission complétée ou corrigée")
    target: str
    target_label: str
    category: Category
    priority: Priority
    occurred_at: str
    created_at: str
    editable_until: str = Field(description="Fin du délai de correction par l'auteur")
    data: str
    actions: str
    results: str
    appointment_id: int | None
    client_id: str | None
    source: str
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)
    children: list[Transmission] = Field(
        default_factory=list, description="Résultats ajoutés et corrections, du plus ancien"
    )


class TransmissionForReader(Transmission):
    person_name: str
    acknowledged_at: str | None = Field(
        default=None, description="Quand vous en avez pris connaissance"
    )


class NewForMe(BaseModel):
    since: str = Field(description="Début de la période (UTC)")
    since_source: Literal["prise_de_poste", "connexion_precedente", "24_heures"]
    items: list[TransmissionForReader]


class Shift(BaseModel):
    started_at: str


class Target(BaseModel):
    code: str
    label: str
    category: Category
    position: int
    source: str


class Template(BaseModel):
    id: int
    target: str
    label: str
    data: str
    actions: str
    results: str
    source: str


class Nomenclature(BaseModel):
    targets: list[Target]
    templates: list[Template]
    categories: dict[str, str]
    priorities: dict[str, str]
