"""Models at the boundary of the entourage (API bodies and web forms)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from virage.entourage.kinds import DIRECTIVES, MAY_KNOW, PROTECTIONS, SOURCES
from virage.errors import InvalidInput, pydantic_details

KindCode = Literal["trusted_person", "protection", "relative", "directives", "allergy", "treatment"]


class EntryIn(BaseModel):
    """One entry of a person's entourage or declared health, as recorded by a professional.

    Which fields count depends on ``kind``: ``name`` (who: the trusted person, a relative, the
    holder of a protection measure), ``detail`` (the measure, « oui » / « non » / « ne_sait_pas »
    for advance directives, the substance of an allergy, the name of a treatment), ``extra``
    (where the directives are kept, the reaction, the dosage as declared), ``may_know`` (what the
    person agreed a relative may know), ``source`` (who declared an allergy or a treatment) and
    ``declared_on`` (the date of the designation, the consent, the judgement, the declaration).
    """

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: KindCode = Field(description="Nature de la mention")
    name: str = Field(default="", max_length=120, description="Nom et prénom")
    relation: str = Field(default="", max_length=60, description="Lien : fille, voisin, ami…")
    phone: str = Field(default="", max_length=20, description="Téléphone")
    detail: str = Field(default="", max_length=200, description="Mesure, substance, traitement…")
    extra: str = Field(default="", max_length=300, description="Lieu, réaction, posologie…")
    may_know: str = Field(default="", max_length=20, description="Ce qu'un proche peut savoir")
    source: str = Field(default="", max_length=20, description="Qui l'a déclaré")
    declared_on: date | None = Field(default=None, description="Date (AAAA-MM-JJ)")

    @field_validator("declared_on", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("declared_on")
    @classmethod
    def _past(cls, value: date | None) -> date | None:
        if value is not None and not (date(1900, 1, 1) <= value <= date.today()):
            raise ValueError("la date doit être comprise entre 1900 et aujourd'hui")
        return value

    @model_validator(mode="after")
    def _by_kind(self):
        kind = self.kind
        if kind in ("trusted_person", "relative", "protection") and not self.name:
            raise ValueError("indiquez le nom de la personne")
        if kind == "protection" and self.detail not in PROTECTIONS:
            raise ValueError("choisissez la mesure de protection dans la liste")
        if kind == "relative" and self.may_know not in MAY_KNOW:
            raise ValueError("indiquez ce que la personne accepte que ce proche sache")
        if kind == "relative" and self.declared_on is None:
            raise ValueError("indiquez la date à laquelle la personne a donné son accord")
        if kind == "trusted_person" and self.declared_on is None:
            raise ValueError("indiquez la date de la désignation")
        if kind == "directives" and self.detail not in DIRECTIVES:
            raise ValueError("indiquez si des directives anticipées existent")
        if kind in ("allergy", "treatment"):
            if not self.detail:
                raise ValueError("indiquez la substance ou le traitement")
            if self.source not in SOURCES:
                raise ValueError("indiquez qui l'a déclaré")
            if self.declared_on is None:
                raise ValueError("indiquez la date de la déclaration")
        return self


class Entry(BaseModel):
    id: int
    kind: KindCode
    name: str
    relation: str
    phone: str
    detail: str
    extra: str
    may_know: str
    source: str
    declared_on: date | None
    recorded_by_label: str
    recorded_at: str


class Entourage(BaseModel):
    """A person's entourage as the caller may read it."""

    person_id: int
    contacts: list[dict] = Field(description="Contacts du dossier de la personne")
    entries: list[Entry] = Field(description="Entourage, et santé déclarée pour l'équipe de soins")
    health_included: bool = Field(
        description="Vrai si la santé déclarée (allergies, traitements, directives) est incluse"
    )


def validate_entry(data: dict) -> EntryIn:
    """An entry from a web form or a body; ``InvalidInput`` with French messages otherwise."""
    try:
        return EntryIn.model_validate(data)
    except ValidationError as exc:
        details = pydantic_details(exc)
        raise InvalidInput(
            "Certaines informations ne sont pas valides : " + details[0]["message"] + ".",
            details=details,
        ) from None
