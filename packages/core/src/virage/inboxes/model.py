"""What the organisational inboxes hold and accept: the external message a connector delivers,
the limits of every input, the French labels, and the pydantic models of the API and forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Bounds of every input (a text beyond them is refused, or cut for an external message).
MAX_NAME = 80
MAX_ADDRESS = 254
MAX_SUBJECT = 200
MAX_BODY = 20_000
MAX_ANSWER = 5_000
MAX_OUTCOME = 300
MAX_NOTE = 2_000
MAX_SENDER = 254
MAX_MESSAGE_ID = 500
#: Open items shown per inbox page, inboxes per structure, answers per item.
MAX_ITEMS_SHOWN = 200
MAX_INBOXES = 50
MAX_ANSWERS = 100
MIN_CLAIM_MINUTES, MAX_CLAIM_MINUTES, DEFAULT_CLAIM_MINUTES = 1, 24 * 60, 15

KINDS = {"on_call": "Astreinte (suit l'agenda)", "shared": "Boîte partagée"}
STATUSES = {"open": "à prendre", "claimed": "pris", "closed": "clos"}
#: Roles that read and answer a new inbox unless its settings say otherwise.
DEFAULT_READER_ROLES = ("director", "coordinator", "nurse")

#: The label of the system in the journal (external messages, escalation, handover).
SYSTEM_LABEL = "Virage (boîtes organisationnelles)"


@dataclass(frozen=True)
class ExternalMessage:
    """A message a connector plugin delivers into an inbox (see ``receive_external``).

    :param message_id: the message's identifier at its origin (``Message-ID``): a second delivery
        of the same identifier into the same inbox creates nothing.
    :param sender: the sender's address.
    :param subject: the subject line.
    :param body: the text (cut at :data:`MAX_BODY` characters).
    :param received_at: when it was received (aware, UTC).
    """

    message_id: str
    sender: str
    subject: str
    body: str
    received_at: datetime


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ItemIn(BaseModel):
    """An item a worker posts into an inbox of her structure."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=MAX_SUBJECT)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    person_id: int | None = Field(default=None, ge=1, le=2**62)
    urgent: bool = False

    _s = field_validator("subject", "body", mode="before")(_strip)


class ExternalIn(BaseModel):
    """A new message from a bridged inbox to an external professional chosen in the directory:
    the address is the one the directory gives (never typed)."""

    model_config = ConfigDict(extra="forbid")

    professional_id: int = Field(ge=1, le=2**62, description="Le professionnel dans l'annuaire")
    subject: str = Field(min_length=1, max_length=MAX_SUBJECT)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    person_id: int | None = Field(default=None, ge=1, le=2**62)

    _s = field_validator("subject", "body", mode="before")(_strip)


class AnswerIn(BaseModel):
    """An answer to an item (sent out through the connector for an external item)."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=MAX_ANSWER)

    _s = field_validator("body", mode="before")(_strip)


class CloseIn(BaseModel):
    """Closing an item: its outcome in a line."""

    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(min_length=1, max_length=MAX_OUTCOME)

    _s = field_validator("outcome", mode="before")(_strip)


class NoteIn(BaseModel):
    """The handover note the outgoing on-call worker writes for the next one."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=MAX_NOTE)

    _s = field_validator("note", mode="before")(_strip)


class InboxOut(BaseModel):
    id: int
    structure_id: int
    name: str
    kind: str
    external_address: str | None
    claim_minutes: int
    open_items: int


class AnswerOut(BaseModel):
    author: str
    body: str
    sent_out: bool
    created_at: str


class ItemOut(BaseModel):
    id: int
    inbox_id: int
    source: str
    sender: str
    subject: str
    body: str | None = Field(
        description="Absent quand l'élément concerne une personne dont le "
        "lecteur n'est pas dans l'équipe de soins"
    )
    person_id: int | None
    urgent: bool
    status: str
    received_at: str
    routed_to: str | None
    escalation_level: int
    claimed_by: str | None
    closed_by: str | None
    outcome: str | None
    handover_note: str | None
    answers: list[AnswerOut] = []
