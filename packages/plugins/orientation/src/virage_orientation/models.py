"""Pydantic models at the boundary (API bodies)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class RequestIn(BaseModel):
    person_id: int = Field(description="Personne accompagnée (dossier de votre structure)")
    module: str = Field(description="grand_age, domicile ou handicap")
    offer: str = Field(description="Offre demandée : ehpad, hebergement_temporaire, ssiad…")
    decision_ref: str | None = Field(
        None,
        max_length=80,
        description="Référence de la décision d'orientation (MDPH, module handicap)",
    )
    criteria: list[str] = Field(default_factory=list, description="Codes des besoins")
    gir: int | None = Field(None, ge=1, le=6, description="GIR (degré de dépendance, 1 à 6)")
    mobility: str | None = None
    commune: str = Field(min_length=1, max_length=100, description="Commune souhaitée")
    radius_km: float = Field(20, gt=0, le=200, description="Rayon autour de la commune, en km")
    wished_date: date | None = None
    urgency: str = "normale"
    consent: str = Field(description="personne ou representant")
    consent_by: str | None = Field(None, max_length=120, description="Nom du représentant")
    admin_notes: str = Field("", max_length=4000, description="Situation sociale, entourage…")


class MedicalIn(BaseModel):
    content: str = Field(min_length=1, max_length=8000, description="Volet médical")


class SendIn(BaseModel):
    structures: list[int] = Field(min_length=1, max_length=20, description="Identifiants annuaire")


class AnswerIn(BaseModel):
    status: str = Field(
        description="consultee, liste_attente, refusee, acceptee, admission_realisee"
    )
    refusal_reason: str | None = None
    comment: str | None = Field(None, max_length=2000)
    proposed_date: date | None = None


class ChooseIn(BaseModel):
    sending_id: int


class WithdrawIn(BaseModel):
    reason: str = Field(
        "",
        description="Motif du retrait (3 à 300 caractères), visible des structures destinataires : "
        "sans information médicale",
    )


class PlacesIn(BaseModel):
    offer: str
    places: int = Field(ge=0, le=10000)
