"""Forms of the person's file: a new version of the plan, an assessment, a transmission linked
to an objective. Plain HTML forms (CSRF-protected by the application), no JavaScript."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.dossier import service
from virage.errors import InvalidInput, NotFound

Id = FromPath[int]
FORM_ROWS = 8
MAX_FIELDS = 200


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    if len(form) > MAX_FIELDS:
        raise InvalidInput("Ce formulaire compte trop de champs.")
    return {str(k): str(v) for k, v in form.items()}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class DossierForms(Controller):
    path = "/personnes/{person_id:int}/dossier"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/projet/nouveau", name="dossier-plan-form")
    async def plan_form(self, access: Access, person_id: Id) -> Template:
        view = service.plan_view(access, person_id)
        if not view["can_write"]:
            access.require("dossier.plan.write", person_id=person_id, action="dossier.plan.write")
        rows = [dict(o) for o in view["objectives"]]
        rows += [{} for _ in range(max(2, FORM_ROWS - len(rows)))]
        person, ref = access.load_person(person_id)
        return Template(
            "dossier/plan_form.html",
            context={
                "person": person,
                "plan": view["plan"],
                "rows": rows[: max(FORM_ROWS, len(view["objectives"]) + 2)],
                "hidden_care": view["hidden_care"],
                "can_care": access.allowed("persons.health.write", person=ref),
                "agreed_how": service.AGREED_HOW,
                "today": date.today().isoformat(),
            },
        )

    @post("/projet/nouveau", status_code=303)
    async def plan_save(self, access: Access, person_id: Id, request: Request) -> Redirect:
        form = await _form(request)
        objectives = [
            {
                "words": form.get(f"o{i}_words", ""),
                "actions": form.get(f"o{i}_actions", ""),
                "who": form.get(f"o{i}_who", ""),
                "care": form.get(f"o{i}_care") == "1",
                "origin_id": _int(form.get(f"o{i}_origin")),
            }
            for i in range(service.MAX_OBJECTIVES + 2)
            if f"o{i}_words" in form
        ]
        service.save_plan(access, person_id, {**form, "objectives": objectives})
        return Redirect(f"/personnes/{person_id}/dossier#projet", status_code=303)

    @post("/objectifs/{objective_id:int}/transmissions", status_code=303)
    async def link(
        self, access: Access, person_id: Id, objective_id: Id, request: Request
    ) -> Redirect:
        form = await _form(request)
        transmission_id = _int(form.get("transmission_id"))
        if transmission_id is None:
            raise InvalidInput("Choisissez la transmission à rattacher à cet objectif.")
        service.link_transmission(access, person_id, objective_id, transmission_id)
        return Redirect(f"/personnes/{person_id}/dossier#objectif-{objective_id}", status_code=303)

    @get("/evaluations/{code:str}", name="dossier-assessment-form")
    async def assessment_form(self, access: Access, person_id: Id, code: FromPath[str]) -> Template:
        _, ref = access.load_person(person_id)
        if not access.allowed("dossier.assessments.write", person=ref):
            access.require(  # refused, and the refusal is in the journal
                "dossier.assessments.write", person_id=person_id, action="dossier.assessment.record"
            )
        questionnaire = service.questionnaires(access).get(code)
        if questionnaire is None:
            raise NotFound("Ce questionnaire n'existe pas.")
        person, _ = access.load_person(person_id)
        return Template(
            "dossier/assessment_form.html",
            context={
                "person": person,
                "q": questionnaire,
                "respondents": service.RESPONDENTS,
                "today": date.today().isoformat(),
            },
        )

    @post("/evaluations/{code:str}", status_code=303)
    async def assessment_save(
        self, access: Access, person_id: Id, code: FromPath[str], request: Request
    ) -> Redirect:
        form = await _form(request)
        answers = {k[2:]: v for k, v in form.items() if k.startswith("q_")}
        service.record_assessment(access, person_id, code, {**form, "answers": answers})
        return Redirect(f"/personnes/{person_id}/dossier#evaluations", status_code=303)
