"""JSON API of the messaging: ``/api/v1/messages`` (bearer tokens; a token acts in one
structure). Same checks and audit as the pages: a conversation one may not read answers 404."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, Plugins
from virage.messaging import service

ERRORS = (
    "400 : saisie à corriger ; 401 : non connecté ; 404 : conversation inconnue ou non accessible."
)


class ThreadSummary(BaseModel):
    id: int
    person_id: int
    subject: str
    urgent: bool
    last_message_at: str
    unread: int


class Receipt(BaseModel):
    user_id: int
    display_name: str
    read_at: str


class Post(BaseModel):
    id: int
    author_id: int | None
    author_label: str
    body: str
    created_at: str
    receipts: list[Receipt]
    attachments: list[Attachment] = []


class Participant(BaseModel):
    user_id: int
    display_name: str
    structure_name: str


class Thread(BaseModel):
    id: int
    person_id: int
    subject: str
    urgent: bool
    participants: list[Participant]
    posts: list[Post]


class ThreadCreate(BaseModel):
    person_id: int = Field(ge=1)
    subject: Annotated[str, Field(min_length=1, max_length=120)]
    body: Annotated[str, Field(min_length=1, max_length=5000)]
    participant_ids: list[int] = Field(min_length=1, max_length=30)
    urgent: bool = False


class PostCreate(BaseModel):
    body: Annotated[str, Field(min_length=1, max_length=5000)]
    document_id: int | None = Field(
        default=None, description="Un document du dossier de la personne, lisible par vous"
    )


class Attachment(BaseModel):
    document_id: int
    title: str | None
    note: str | None = None


class Created(BaseModel):
    id: int


def _thread(view: dict) -> Thread:
    t = view["thread"]
    return Thread(
        id=t["id"],
        person_id=t["person_id"],
        subject=t["subject"],
        urgent=bool(t["urgent"]),
        participants=[
            Participant(**{k: p[k] for k in Participant.model_fields}) for p in view["participants"]
        ],
        posts=[
            Post(
                **{k: p[k] for k in Post.model_fields if k not in ("receipts", "attachments")},
                attachments=[
                    Attachment(document_id=a["document_id"], title=a["title"], note=a.get("note"))
                    for a in p["attachments"]
                ],
                receipts=[
                    Receipt(**{k: r[k] for k in Receipt.model_fields}) for r in p["receipts"]
                ],
            )
            for p in view["posts"]
        ],
    )


class MessagesController(Controller):
    path = "/api/v1/messages"
    tags = ["Messagerie"]
    guards = [require_actor_guard]

    @get("/", summary="Mes conversations (les urgentes d'abord)", description=ERRORS)
    async def index(self, access: Access) -> list[ThreadSummary]:
        return [
            ThreadSummary(
                **{k: (bool(t[k]) if k == "urgent" else t[k]) for k in ThreadSummary.model_fields}
            )
            for t in service.my_threads(access)
        ]

    @post("/", summary="Ouvrir une conversation au sujet d'une personne", description=ERRORS)
    async def create(
        self, access: Access, plugins: Plugins, data: JSONBody[ThreadCreate]
    ) -> Created:
        tid = service.start(
            access,
            plugins,
            data.person_id,
            data.subject,
            data.body,
            data.participant_ids,
            urgent=data.urgent,
        )
        return Created(id=tid)

    @get("/{thread_id:int}", summary="Lire une conversation (marquée lue)", description=ERRORS)
    async def read(self, access: Access, thread_id: FromPath[int]) -> Thread:
        return _thread(service.open_thread(access, thread_id))

    @post("/{thread_id:int}/posts", summary="Répondre dans une conversation", description=ERRORS)
    async def reply(
        self, access: Access, plugins: Plugins, thread_id: FromPath[int], data: JSONBody[PostCreate]
    ) -> Created:
        return Created(id=service.reply(access, plugins, thread_id, data.body, data.document_id))
