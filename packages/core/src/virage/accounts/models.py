"""Models at the boundary of the accounts domain (API bodies and web forms)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from virage.partial import PartialUpdate


def _blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def nir_key_ok(nir: str) -> bool:
    """Check the 2-digit key of a NIR (13 characters + key); Corsica 2A/2B count as 19/18."""
    body, key = nir[:13], nir[13:]
    body = body.replace("2A", "19").replace("2B", "18")
    if not (body.isdigit() and key.isdigit()):
        return False
    return 97 - int(body) % 97 == int(key)


def _check_birth_date(value: date) -> date:
    if not (date(1900, 1, 1) <= value <= date.today()):
        raise ValueError("la date de naissance doit être comprise entre 1900 et aujourd'hui")
    return value


def _check_postcode(value: str) -> str:
    if not re.fullmatch(r"\d{5}", value):
        raise ValueError("le code postal doit compter 5 chiffres")
    return value


BirthDate = Annotated[date, AfterValidator(_check_birth_date)]
Postcode = Annotated[str, AfterValidator(_check_postcode)]


class Contact(BaseModel):
    name: str = Field(min_length=1, max_length=120, description="Nom du contact")
    relation: str | None = Field(
        default=None, max_length=60, description="Lien : fille, voisin, tuteur…"
    )
    phone: str | None = Field(default=None, max_length=20)


class PersonIdentity(BaseModel):
    """Identity and contact details of a person supported (what the secretariat may see)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    family_name: str = Field(min_length=1, max_length=100, description="Nom d'usage")
    birth_name: str | None = Field(default=None, max_length=100, description="Nom de naissance")
    given_names: str = Field(min_length=1, max_length=150, description="Prénoms")
    birth_date: BirthDate | None = Field(default=None, description="Date de naissance (AAAA-MM-JJ)")
    sex: Literal["F", "M", "I"] | None = Field(default=None, description="F, M ou I (indéterminé)")
    ins_nir: str | None = Field(
        default=None,
        description="Matricule INS (NIR, 15 caractères) ; jamais affiché dans les listes",
    )
    ins_oid: str | None = Field(default=None, max_length=64, description="OID de l'INS")
    address: str | None = Field(default=None, max_length=200)
    postcode: Postcode | None = Field(default=None, description="Code postal (5 chiffres)")
    city: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=20)
    contacts: list[Contact] = Field(default_factory=list, max_length=10)

    _blank = field_validator(
        "birth_name",
        "ins_nir",
        "ins_oid",
        "address",
        "postcode",
        "city",
        "phone",
        "birth_date",
        "sex",
        mode="before",
    )(_blank_to_none)

    @field_validator("ins_nir")
    @classmethod
    def valid_nir(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = value.replace(" ", "").upper()
        if not re.fullmatch(r"[12378]\d{4}(\d{2}|2A|2B)\d{6}\d{2}", value) or not nir_key_ok(value):
            raise ValueError(
                "le matricule INS (NIR) doit compter 15 caractères avec une clé valide"
            )
        return value


class PersonCreate(PersonIdentity):
    health_notes: str = Field(
        default="", max_length=5000, description="Informations de santé (équipe de soins seulement)"
    )


class PersonUpdate(PartialUpdate):
    """Partial update: only the fields sent are changed; ``null`` empties an optional field."""

    clearable = frozenset(
        {"birth_name", "birth_date", "sex", "address", "postcode", "city", "phone", "contacts"}
    )

    family_name: str = Field(default=None, min_length=1, max_length=100)
    birth_name: str | None = Field(default=None, max_length=100)
    given_names: str = Field(default=None, min_length=1, max_length=150)
    birth_date: BirthDate | None = None
    sex: Literal["F", "M", "I"] | None = None
    address: str | None = Field(default=None, max_length=200)
    postcode: Postcode | None = None
    city: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=20)
    contacts: list[Contact] | None = None
    health_notes: str = Field(default=None, max_length=5000)


class PersonSummary(BaseModel):
    id: int
    structure_id: int
    family_name: str
    birth_name: str | None
    given_names: str
    birth_date: date | None
    sex: str | None
    city: str | None
    status: Literal["active", "closed"]


class SharingObjection(BaseModel):
    """The person's objection to the sharing of her data outside her care team (art. L1110-4 of
    the code de la santé publique), while it is in force."""

    scope: Literal["tout", "sante"] = Field(
        description="tout : rien ne sort de l'équipe de soins ; sante : ses informations de santé"
    )
    expressed_on: date = Field(description="Date à laquelle la personne l'a exprimée")
    recorded_by_label: str = Field(description="Qui l'a enregistrée")
    recorded_at: str


class Person(PersonSummary):
    address: str | None
    postcode: str | None
    phone: str | None
    contacts: list[Contact]
    ins_nir: str | None
    ins_oid: str | None
    created_at: str
    updated_at: str
    closed_at: str | None
    health_notes: str | None = Field(
        default=None, description="Absent (null) si vous n'avez pas accès aux informations de santé"
    )
    sharing_objection: SharingObjection | None = Field(
        default=None,
        description="Opposition de la personne au partage hors de son équipe de soins, si elle "
        "en a exprimé une (à vérifier avant tout envoi à l'extérieur)",
    )


class CareTeamMember(BaseModel):
    id: int
    display_name: str
    profession: str | None
    role: str | None
    added_at: str


class CareTeamAdd(BaseModel):
    user_id: int


class EmergencyRequest(BaseModel):
    reason: str = Field(min_length=10, max_length=500, description="Motif de l'accès d'urgence")


class ExportRequest(BaseModel):
    motif: str = Field(
        default="",
        max_length=500,
        description="Motif d'un export complet au titre du droit d'accès (10 caractères au moins ;"
        " vide : export limité à ce que le jeton peut lire)",
    )


class AuditEntry(BaseModel):
    id: int
    at: str
    actor_user_id: int | None
    actor_label: str
    via: str
    structure_id: int | None
    person_id: int | None
    action: str
    target: str | None
    route: str | None
    outcome: str
    emergency: bool
    details: str | None


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    is_network_admin: bool
    structures: dict[int, str] = Field(description="Identifiant de structure → rôle")
    via: str
