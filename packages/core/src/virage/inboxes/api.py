"""JSON API of the organisational inboxes: ``/api/v1/boites`` (bearer tokens; a token acts in
one structure). Same checks and audit as the pages: an inbox or item one may not read answers 404
(another structure's) or 403 (not among its readers)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.inboxes import outgoing, service
from virage.inboxes.model import (
    AnswerIn,
    AnswerOut,
    CloseIn,
    ExternalIn,
    InboxOut,
    ItemIn,
    ItemOut,
)

ERRORS = (
    "400 : saisie à corriger ; 401 : non connecté ; 403 : pas destinataire de cette boîte ; "
    "404 : boîte ou élément inconnu ou non accessible ; 409 : déjà pris, pas pris par vous, ou clos."
)

WRITE_ERRORS = (
    "400 : saisie à corriger, boîte non reliée à la messagerie sécurisée, ou professionnel sans "
    "adresse MSSanté dans l'annuaire ; 401 : non connecté ; 403 : pas destinataire de cette "
    "boîte ; 404 : boîte, professionnel ou personne inconnus ou non accessibles."
)


class Created(BaseModel):
    id: int


class Answered(BaseModel):
    sent_out: bool | None
    message: str


class Written(BaseModel):
    id: int = Field(description="L'élément gardé dans la boîte (clos, écrit par vous)")
    sent_out: bool | None = Field(
        description="true envoyé, false le connecteur a échoué, null aucun connecteur"
    )
    message: str


def _inbox(row: dict) -> InboxOut:
    return InboxOut(
        **{k: row[k] for k in InboxOut.model_fields if k != "open_items"},
        open_items=row.get("open_items") or 0,
    )


def item_out(view: dict) -> ItemOut:
    item = view["item"]
    return ItemOut(
        id=item["id"],
        inbox_id=item["inbox_id"],
        source=item["source"],
        sender=item["sender"],
        subject=item["subject"],
        body=item["body"] if view["body_readable"] else None,
        person_id=item["person_id"],
        urgent=bool(item["urgent"]),
        status=item["status"],
        received_at=item["received_at"],
        routed_to=item["routed_to_label"],
        escalation_level=item["escalation_level"],
        claimed_by=item["claimed_by_label"],
        closed_by=item["closed_by_label"],
        outcome=item["outcome"],
        handover_note=item["handover_note"] if view["body_readable"] else None,
        answers=[
            AnswerOut(
                author=a["author_label"],
                body=a["body"],
                sent_out=bool(a["sent_out"]),
                created_at=a["created_at"],
            )
            for a in view["answers"]
        ],
    )


def answered_message(sent: bool | None) -> str:
    if sent is True:
        return "Réponse envoyée à l'expéditeur par la messagerie sécurisée."
    if sent is False:
        return (
            "La messagerie sécurisée n'a pas pu envoyer la réponse : elle est gardée dans "
            "Virage ; prévenez l'expéditeur par un autre moyen."
        )
    return "Réponse enregistrée dans Virage (aucun envoi vers l'extérieur n'est configuré)."


class InboxController(Controller):
    path = "/api/v1/boites"
    tags = ["Boîtes organisationnelles"]
    guards = [require_actor_guard]

    @get(
        "/",
        summary="Les boîtes dont je suis destinataire, avec leurs éléments ouverts",
        description=ERRORS,
    )
    async def index(self, access: Access) -> list[InboxOut]:
        return [_inbox(r) for r in service.inboxes_for(access)["readable"]]

    @get(
        "/{inbox_id:int}/elements",
        summary="Les éléments ouverts d'une boîte (sans leur texte)",
        description=ERRORS,
    )
    async def items(self, access: Access, inbox_id: FromPath[int]) -> list[Created]:
        view = service.inbox_view(access, inbox_id)
        return [Created(id=i["id"]) for i in view["open"]]

    @post(
        "/{inbox_id:int}/elements", summary="Écrire à une boîte de sa structure", description=ERRORS
    )
    async def post_item(
        self, access: Access, inbox_id: FromPath[int], data: JSONBody[ItemIn]
    ) -> Created:
        return Created(id=service.post(access, inbox_id, data))

    @post(
        "/{inbox_id:int}/ecrire-externe",
        summary="Écrire à un professionnel de l'annuaire (son adresse MSSanté) depuis une boîte "
        "reliée à la messagerie sécurisée",
        description=WRITE_ERRORS,
    )
    async def write_external(
        self, access: Access, inbox_id: FromPath[int], data: JSONBody[ExternalIn]
    ) -> Written:
        item_id, sent = outgoing.write_external(access, inbox_id, data)
        return Written(id=item_id, sent_out=sent, message=outgoing.written_message(sent))

    @get(
        "/elements/{item_id:int}",
        summary="Lire un élément (texte : équipe de soins s'il concerne une personne)",
        description=ERRORS,
    )
    async def read(self, access: Access, item_id: FromPath[int]) -> ItemOut:
        return item_out(service.item_view(access, item_id))

    @post(
        "/elements/{item_id:int}/prise",
        summary="Je prends : une seule personne traite l'élément",
        description=ERRORS,
    )
    async def claim(self, access: Access, item_id: FromPath[int]) -> ItemOut:
        service.claim(access, item_id)
        return item_out(service.item_view(access, item_id))

    @post(
        "/elements/{item_id:int}/reponses",
        summary="Répondre (envoyée à l'extérieur par le connecteur pour un message externe)",
        description=ERRORS,
    )
    async def answer(
        self, access: Access, item_id: FromPath[int], data: JSONBody[AnswerIn]
    ) -> Answered:
        sent = service.answer(access, item_id, data)
        return Answered(sent_out=sent, message=answered_message(sent))

    @post(
        "/elements/{item_id:int}/cloture",
        summary="Clore l'élément avec son issue",
        description=ERRORS,
    )
    async def close(
        self, access: Access, item_id: FromPath[int], data: JSONBody[CloseIn]
    ) -> ItemOut:
        service.close(access, item_id, data)
        return item_out(service.item_view(access, item_id))
