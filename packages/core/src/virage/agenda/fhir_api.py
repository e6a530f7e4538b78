"""FHIR R4 interface of the agenda (ANS GAP guide 3.0.0, roles « consommateur » and « gestionnaire
d'agenda »: input/fsh/CapabilityStatement/GAP-consommateur.fsh, GAP-GestionnaireAgenda.fsh).

Under ``/api/v1/agenda/fhir``: ``metadata``; ``Schedule`` (read, search by ``actor``); ``Slot``
computed on the fly by the free-slot search (read, search by ``schedule``, ``start``, ``status``);
``Appointment`` (create — from a slot or a start, end and participants —, read, update to
``cancelled``). Same bearer tokens, permissions, conflict rules (409) and audit as the JSON API;
errors are ``OperationOutcome`` with French text. Resource shapes: :mod:`virage.agenda.fhir`.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.params import PathParameter, QueryParameter

from virage import fhir_common
from virage.accounts import lookups
from virage.accounts.auth import require_actor_guard
from virage.accounts.context import AccessContext
from virage.agenda import fhir, service
from virage.agenda.timeutil import day_bounds, local_naive, to_local, today_paris
from virage.deps import Access, Plugins
from virage.errors import InvalidInput, NotFound

BASE = "/api/v1/agenda/fhir"
PathStr = Annotated[str, PathParameter(max_length=100)]
PathId = Annotated[int, PathParameter(ge=1, le=2**53)]
QueryStr = Annotated[str | None, QueryParameter(max_length=200)]
DEFAULT_DAYS = 14
MAX_COUNT = 200
DEFAULT_MINUTES = 30
CANCEL_REASON = "annulé par un autre logiciel (interface FHIR)"


def _resource(content: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        content=content, status_code=status, media_type=fhir_common.MEDIA_TYPE, headers=headers
    )


def _structure(access: AccessContext, structure_id: int) -> dict:
    structure = lookups.structure(access.db, structure_id)
    if structure is None:
        raise NotFound("Cet agenda (Schedule) n'existe pas.")
    return structure


def _owner(access: AccessContext, kind: str, structure_id: int, owner_id: int) -> tuple:
    """(name, members) of a schedule, after the availability right of its structure."""
    access.require("agenda.availability.read", structure_id=structure_id)
    if kind == "pro":
        members = service.professionals_for(access, structure_id)
        found = [m for m in members if m["id"] == owner_id]
        if not found:
            raise NotFound("Cet agenda (Schedule) n'existe pas.")
        return found[0]["display_name"], found
    team = service.team_of(access, structure_id, owner_id)
    if team is None:
        raise NotFound("Cet agenda (Schedule) n'existe pas.")
    return team["name"], service.professionals_for(access, structure_id, team_id=owner_id)


def _horizon() -> tuple:
    first = today_paris()
    return day_bounds(first)[0], day_bounds(first + timedelta(days=DEFAULT_DAYS - 1))[1]


def _schedule(access: AccessContext, schedule_ref: str) -> dict:
    kind, sid, owner = fhir.parse_schedule_id(schedule_ref)
    name, members = _owner(access, kind, sid, owner)
    return fhir.schedule(kind, _structure(access, sid), owner, name, members, _horizon())


def _window(values: list[str]) -> tuple:
    """``start=ge2030-05-06&start=lt2030-05-08`` (GAP_Slot_earliestStart / latestStart) → days."""
    first, last = today_paris(), None
    for value in values:
        prefix, rest = value[:2], value[2:]
        if prefix not in ("ge", "gt", "le", "lt", "eq"):
            prefix, rest = "eq", value
        day = fhir.parse_instant(rest if "T" in rest else f"{rest[:10]}T00:00:00+00:00", "start")
        local_day = local_naive(day).date() if "T" in rest else day.date()
        if prefix in ("ge", "gt", "eq"):
            first = local_day
        if prefix in ("le", "eq") or (prefix == "lt" and "T" in rest):
            last = local_day
        elif prefix == "lt":
            last = local_day - timedelta(days=1)
    return first, last or first + timedelta(days=DEFAULT_DAYS - 1)


def _free(access, plugins, schedule_ref, first, last, minutes, count, user_ids=None) -> list:
    kind, sid, owner = fhir.parse_schedule_id(schedule_ref)
    _name, members = _owner(access, kind, sid, owner)
    if not members:
        return []
    return service.search_free_slots(
        access,
        plugins,
        sid,
        first_day=first,
        last_day=last,
        day_start=time(0, 0),
        day_end=time(23, 59),
        duration_minutes=minutes,
        professional_ids=user_ids or [m["id"] for m in members],
        step_minutes=minutes if minutes <= 240 else 240,
        limit=count,
    )


def _refs(participants: Any, expected: str) -> list[str]:
    if not isinstance(participants, list) or len(participants) > 50:
        raise InvalidInput("participant : une liste (au plus 50) est attendue.")
    out = []
    for p in participants:
        actor = p.get("actor") if isinstance(p, dict) else None
        ref = actor.get("reference", "") if isinstance(actor, dict) else ""
        if isinstance(ref, str) and f"{expected}/" in ref:
            out.append(fhir.parse_reference(actor, expected))
    return out


def _number(value: str, what: str) -> int:
    if not value.isdigit() or len(value) > 10:
        raise InvalidInput(f"{what} : identifiant inconnu ({value}).")
    return int(value)


def _booking(access: AccessContext, body: dict) -> tuple[int, dict]:
    """(structure id, booking data for :func:`service.book`) from an Appointment to create."""
    if not isinstance(body, dict) or body.get("resourceType") != "Appointment":
        raise InvalidInput("Une ressource Appointment est attendue (resourceType).")
    status = body.get("status", "booked")
    if status not in fhir.BOOKABLE:
        raise InvalidInput(f"Statut « {status} » impossible à la création : booked attendu.")
    participants = body.get("participant") or []
    pros = [_number(v, "Practitioner") for v in _refs(participants, "Practitioner")]
    patients = [_number(v, "Patient") for v in _refs(participants, "Patient")]
    if len(patients) > 1:
        raise InvalidInput("Un rendez-vous concerne au plus une personne (Patient).")
    slots = body.get("slot") or []
    if not isinstance(slots, list) or len(slots) > 1:
        raise InvalidInput("slot : un seul créneau est pris en charge.")
    if slots:
        ref = fhir.parse_reference(slots[0], "Slot")
        schedule_ref, start, minutes, user_id = fhir.parse_slot_id(ref)
        sid = fhir.parse_schedule_id(schedule_ref)[1]
        pros = list(dict.fromkeys([user_id, *pros]))
        end = start + timedelta(minutes=minutes)
        if "start" in body and fhir.parse_instant(body["start"], "start") != start:
            raise InvalidInput("start ne correspond pas au créneau (slot) choisi.")
    else:
        start = fhir.parse_instant(body.get("start"), "start")
        end = fhir.parse_instant(body.get("end"), "end")
        actor = access.require_login()
        sid = actor.token_structure_id
        if sid is None and len(actor.memberships) == 1:
            sid = next(iter(actor.memberships))
        if sid is None:
            raise InvalidInput("Indiquez le créneau (slot) : il désigne la structure concernée.")
    if not pros:
        raise InvalidInput("Indiquez au moins un professionnel (participant Practitioner).")
    kind = "structure_appointment" if patients else "meeting"
    for coding in (body.get("appointmentType") or {}).get("coding") or []:
        if isinstance(coding, dict) and coding.get("system") == fhir.KIND_SYSTEM:
            kind = str(coding.get("code"))
    data = {
        "kind": kind,
        "professional_ids": pros,
        "person_id": patients[0] if patients else None,
        "start": to_local(start).replace(tzinfo=None),
        "end": to_local(end).replace(tzinfo=None),
    }
    if isinstance(body.get("description"), str) and not patients:
        data["title"] = body["description"].strip()[:120]
    return sid, data


class AgendaFhirMetadata(Controller):
    """``[base]/metadata`` is public: a client discovers the server before it authenticates."""

    path = BASE
    exception_handlers = fhir_common.EXCEPTION_HANDLERS  # type: ignore[assignment]
    tags = ["Agenda (FHIR)"]

    @get("/metadata", summary="CapabilityStatement de l'interface FHIR de l'agenda")
    async def metadata(self, request: Request) -> Response:
        from virage.agenda.fhir_capability import capability_statement

        return _resource(capability_statement(str(request.base_url).rstrip("/") + BASE))


class AgendaFhirController(Controller):
    path = BASE
    guards = [require_actor_guard]
    exception_handlers = fhir_common.EXCEPTION_HANDLERS  # type: ignore[assignment]
    tags = ["Agenda (FHIR)"]

    @get("/Schedule/{schedule_id:str}", summary="Agenda d'un professionnel ou d'une équipe")
    async def read_schedule(self, access: Access, schedule_id: PathStr) -> Response:
        return _resource(_schedule(access, schedule_id))

    @get("/Schedule", summary="Agendas des structures où j'ai accès aux disponibilités")
    async def search_schedule(
        self, request: Request, access: Access, actor: QueryStr = None
    ) -> Response:
        who = access.require_login()
        wanted = (
            _number(fhir.parse_reference({"reference": actor}, "Practitioner"), "Practitioner")
            if actor
            else None
        )
        structures = [who.token_structure_id] if who.token_structure_id else sorted(who.memberships)
        found = []
        for sid in structures:
            if not access.allowed("agenda.availability.read", structure_id=sid):
                continue
            for m in service.professionals_for(access, sid):
                if wanted in (None, m["id"]):
                    found.append(_schedule(access, fhir.schedule_id("pro", sid, m["id"])))
            if wanted is None:
                for team in service.structure_teams(access, sid):
                    found.append(_schedule(access, fhir.schedule_id("team", sid, team["id"])))
        return _resource(fhir.bundle(found[:MAX_COUNT], _base(request), len(found)))

    @get("/Slot", summary="Créneaux libres d'un agenda (calculés à la demande)")
    async def search_slot(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        schedule: Annotated[str, QueryParameter()],
        start: Annotated[list[str] | None, QueryParameter()] = None,
        status: QueryStr = None,
        duration: Annotated[int, QueryParameter(ge=5, le=720)] = DEFAULT_MINUTES,
        count: Annotated[int, QueryParameter(name="_count", ge=1, le=MAX_COUNT)] = 50,
    ) -> Response:
        schedule_ref = fhir.parse_reference({"reference": schedule}, "Schedule")
        if status not in (None, "free"):
            return _resource(fhir.bundle([], _base(request)))  # only free slots are computed
        first, last = _window(start or [])
        found = _free(access, plugins, schedule_ref, first, last, duration, count)
        slots = [fhir.slot(schedule_ref, f, duration) for f in found]
        return _resource(fhir.bundle(slots, _base(request)))

    @get("/Slot/{slot_id:str}", summary="Un créneau (libre, ou occupé depuis)")
    async def read_slot(self, access: Access, plugins: Plugins, slot_id: PathStr) -> Response:
        schedule_ref, start, minutes, user_id = fhir.parse_slot_id(slot_id)
        day = local_naive(start).date()
        found = _free(access, plugins, schedule_ref, day, day, minutes, None, [user_id])
        match = [f for f in found if f["start"] == start.isoformat()]
        resource = fhir.slot(
            schedule_ref,
            match[0]
            if match
            else {
                "start": start.isoformat(),
                "professionals": [{"id": user_id, "display_name": ""}],
            },
            minutes,
        )
        if not match:
            resource["status"] = "busy"
            resource.pop("comment")
        return _resource(resource)

    @post("/Appointment", summary="Prendre rendez-vous (mêmes règles de conflit : 409)")
    async def create_appointment(
        self, request: Request, access: Access, plugins: Plugins
    ) -> Response:
        body = await _json(request)
        structure_id, data = _booking(access, body)
        booked = service.book(access, plugins, structure_id, data)
        resource = fhir.appointment(service.get(access, plugins, booked["id"], audit=False))
        location = f"{_base(request)}/Appointment/{resource['id']}"
        return _resource(resource, 201, {"Location": location})

    @get("/Appointment/{appointment_id:int}", summary="Lire un rendez-vous (sans notes de soins)")
    async def read_appointment(
        self, access: Access, plugins: Plugins, appointment_id: PathId
    ) -> Response:
        return _resource(fhir.appointment(service.get(access, plugins, appointment_id)))

    @put("/Appointment/{appointment_id:int}", summary="Annuler un rendez-vous (status cancelled)")
    async def update_appointment(
        self, request: Request, access: Access, plugins: Plugins, appointment_id: PathId
    ) -> Response:
        body = await _json(request)
        if not isinstance(body, dict) or body.get("resourceType") != "Appointment":
            raise InvalidInput("Une ressource Appointment est attendue (resourceType).")
        if str(body.get("id", appointment_id)) != str(appointment_id):
            raise InvalidInput("L'identifiant (id) ne correspond pas à l'adresse.")
        current = fhir.appointment(service.get(access, plugins, appointment_id, audit=False))
        wanted = body.get("status")
        if wanted == "cancelled" and current["status"] != "cancelled":
            reason = ((body.get("cancelationReason") or {}).get("text") or "").strip()
            service.cancel(access, plugins, appointment_id, reason[:300] or CANCEL_REASON)
        elif wanted != current["status"]:
            raise InvalidInput(
                "Seule l'annulation (status = cancelled) est prise en charge par cette interface ;"
                " pour déplacer un rendez-vous, annulez-le et prenez-en un autre."
            )
        return _resource(
            fhir.appointment(service.get(access, plugins, appointment_id, audit=False))
        )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + BASE


async def _json(request: Request) -> Any:
    import json

    raw = await request.body()
    if len(raw) > 64 * 1024:
        raise InvalidInput("Ressource trop volumineuse (64 Kio au plus).")
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("Le contenu n'est pas du JSON valide.") from None
