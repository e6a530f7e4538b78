"""Web pages that write transmissions: the form (new, correction, modification), the JSON
endpoint of the page's script, adding a result, withdrawing, acknowledging.

Every page works without JavaScript; ``transmissions.js`` and ``transmissions-form.js`` add drafts
kept on the device and an outbox sent again when the network comes back (see :mod:`.web`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, get, post
from litestar.params import FromPath, JSONBody, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, AppSettings, Plugins
from virage.errors import Conflict, InvalidInput
from virage.transmissions import service
from virage.transmissions.web_forms import (
    PageSubmission,
    TransmissionForm,
    _client_id,
    _existing_form,
    _form_context,
    _form_values,
    _person_name,
    _template_defaults,
    _values_of,
    raise_grace,
)

Id = FromPath[int]


class TransmissionWritingPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/personnes/{person_id:int}/transmissions/nouvelle", name="transmission-new")
    async def new_form(
        self,
        access: Access,
        settings: AppSettings,
        person_id: Id,
        cible: Annotated[str | None, QueryParameter()] = None,
        modele: Annotated[int | None, QueryParameter()] = None,
        visite: Annotated[int | None, QueryParameter()] = None,
    ) -> Template:
        person = access.require(
            "transmissions.write", person_id=person_id, action="transmissions.form"
        )
        values = _form_values(
            None, **_template_defaults(access.db, modele, cible), appointment_id=visite
        )
        return Template(
            "transmissions/form.html",
            context=_form_context(
                access,
                person,
                values,
                mode="new",
                action=f"/personnes/{person_id}/transmissions",
                person_name=_person_name(person),
                grace=settings.transmission_grace_minutes,
            ),
        )

    @post("/transmissions/envoyer", status_code=201, name="transmissions-send")
    async def send(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        data: JSONBody[PageSubmission],
    ) -> Response:
        """The page's JSON endpoint (session cookie + ``x-csrftoken`` header)."""
        actor = access.require_login()
        if data.author_id is not None and data.author_id != actor.user_id:
            # An entry written on this device by someone else is never sent under this session.
            raise Conflict(
                "Cette transmission a été écrite par une autre personne sur cet appareil : "
                "elle n'est pas envoyée sous votre compte."
            )
        fields = data.model_dump(exclude={"person_id", "client_id", "corrects", "author_id"})
        if data.corrects is not None:
            original = service.get(access, data.corrects)
            if original["person_id"] != data.person_id:
                raise InvalidInput("La transmission corrigée concerne une autre personne.")
            created = service.correct(
                access,
                plugins,
                data.corrects,
                fields,
                client_id=data.client_id,
                grace_minutes=settings.transmission_grace_minutes,
            )
        else:
            created = service.create_transmission(
                access,
                plugins,
                data.person_id,
                client_id=data.client_id,
                grace_minutes=settings.transmission_grace_minutes,
                **fields,
            )
        t = created.transmission
        body = {
            "created": created.created,
            "id": t["id"],
            "person_id": t["person_id"],
            "url": f"/personnes/{t['person_id']}/transmissions?ok={t['id']}"
            + ("" if t["kind"] == "entry" else f"#t-{t['id']}"),
            "message": "Transmission enregistrée."
            if created.created
            else "Cette transmission avait déjà été reçue : elle n'a pas été enregistrée deux fois.",
        }
        return Response(
            body, status_code=201 if created.created else 200, media_type=MediaType.JSON
        )

    @get("/transmissions/{transmission_id:int}/corriger", name="transmission-correct")
    async def correct_form(
        self, access: Access, settings: AppSettings, transmission_id: Id
    ) -> Template:
        original = service.get(access, transmission_id)
        person = access.require(
            "transmissions.write", person_id=original["person_id"], action="transmissions.form"
        )
        return _existing_form(
            access, settings, original, person, _values_of(original), "correction"
        )

    @post("/transmissions/{transmission_id:int}/corriger", status_code=303)
    async def correct(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        transmission_id: Id,
        data: URLEncodedBody[TransmissionForm],
    ) -> Redirect | Template:
        fields = {
            "target": data.target,
            "category": data.category or None,
            "priority": data.priority,
            "occurred_at": data.occurred_at or None,
            "data": data.data,
            "actions": data.actions,
            "results": data.results,
        }
        try:
            created = service.correct(
                access,
                plugins,
                transmission_id,
                fields,
                client_id=_client_id(data.client_id),
                grace_minutes=settings.transmission_grace_minutes,
            )
        except InvalidInput as exc:
            original = service.get(access, transmission_id)
            person = access.load_person(original["person_id"])[0]
            return _existing_form(
                access,
                settings,
                original,
                person,
                _form_values(data),
                "correction",
                status_code=400,
                erreur=exc.message,
            )
        t = created.transmission
        return Redirect(
            f"/personnes/{t['person_id']}/transmissions?ok={t['id']}#t-{t['id']}", status_code=303
        )

    @get("/transmissions/{transmission_id:int}/modifier", name="transmission-edit")
    async def edit_form(
        self, access: Access, settings: AppSettings, transmission_id: Id
    ) -> Template:
        t = service.get(access, transmission_id)
        if not t["editable"]:
            raise_grace(t)
        person = access.load_person(t["person_id"])[0]
        return _existing_form(access, settings, t, person, _values_of(t), "edit")

    @post("/transmissions/{transmission_id:int}/modifier", status_code=303)
    async def edit(
        self,
        access: Access,
        settings: AppSettings,
        transmission_id: Id,
        data: URLEncodedBody[TransmissionForm],
    ) -> Redirect | Template:
        changes: dict[str, Any] = {
            "target": data.target or None,
            "category": data.category or None,
            "priority": data.priority or None,
            "occurred_at": data.occurred_at or None,
            "data": data.data,
            "actions": data.actions,
            "results": data.results,
        }
        try:
            t = service.update(access, transmission_id, changes)
        except InvalidInput as exc:
            original = service.get(access, transmission_id)
            person = access.load_person(original["person_id"])[0]
            return _existing_form(
                access,
                settings,
                original,
                person,
                _form_values(data),
                "edit",
                status_code=400,
                erreur=exc.message,
            )
        return Redirect(
            f"/personnes/{t['person_id']}/transmissions?ok={t['id']}#t-{t['id']}", status_code=303
        )

    @post("/transmissions/{transmission_id:int}/retirer", status_code=303)
    async def withdraw(self, access: Access, transmission_id: Id) -> Redirect:
        row = service.get(access, transmission_id)
        service.withdraw(access, transmission_id)
        return Redirect(f"/personnes/{row['person_id']}/transmissions?retiree=1", status_code=303)

    @post("/transmissions/{transmission_id:int}/resultat", status_code=303)
    async def add_result(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        transmission_id: Id,
        data: URLEncodedBody[dict[str, str]],
    ) -> Redirect:
        created = service.add_result(
            access,
            plugins,
            transmission_id,
            data.get("results", ""),
            priority=data.get("priority") or "normal",
            client_id=_client_id(data.get("client_id")),
            grace_minutes=settings.transmission_grace_minutes,
        )
        t = created.transmission
        return Redirect(
            f"/personnes/{t['person_id']}/transmissions?ok={t['id']}#t-{transmission_id}",
            status_code=303,
        )

    @post("/transmissions/{transmission_id:int}/pris-connaissance", status_code=303)
    async def acknowledge(
        self, access: Access, transmission_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        service.acknowledge(access, transmission_id)
        target = data.get("suivant") or f"/transmissions/{transmission_id}"
        if not target.startswith("/") or target.startswith("//"):
            target = f"/transmissions/{transmission_id}"
        return Redirect(target, status_code=303)
