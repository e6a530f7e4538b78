"""Pages of the person's file: the file itself, a version of the plan, the reviews to plan.

Forms (plan, assessments, links) are in :mod:`virage.dossier.web_forms`. Pages call the
services only; French, phone first, no JavaScript needed.
"""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Template

from virage.accounts import persons
from virage.accounts import service as accounts
from virage.accounts.auth import require_actor_guard
from virage.deps import Access, Plugins
from virage.dossier import service
from virage.web.sections import sort_sections

Id = FromPath[int]


def _assessment_block(access, person_id: int, ref) -> dict:
    if not access.allowed("dossier.assessments.read", person=ref):
        return {"can_read": False, "rows": [], "latest": []}
    rows = service.assessments(access, person_id)
    latest: dict[str, dict] = {}
    for row in rows:
        latest.setdefault(row["questionnaire"], row)
    return {"can_read": True, "rows": rows, "latest": list(latest.values())}


class DossierPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/personnes/{person_id:int}/dossier", name="dossier")
    async def dossier(self, access: Access, plugins: Plugins, person_id: Id) -> Template:
        data = persons.view(access, person_id)
        ref = data["ref"]
        plan = (
            service.plan_view(access, person_id)
            if access.allowed("dossier.plan.read", person=ref)
            else None
        )
        sections = plugins.call_flat("dossier_sections", access=access, person_id=person_id)
        return Template(
            "dossier/dossier.html",
            context={
                "person": data["person"],
                "plan": plan,
                "assessments": _assessment_block(access, person_id, ref),
                "questionnaires": service.questionnaires(access)
                if access.allowed("dossier.assessments.write", person=ref)
                else {},
                "can_export": access.allowed("dossier.export", person=ref),
                "sections": sort_sections(sections),
                "recent": service.recent_transmissions(access, person_id)
                if plan and plan["can_write"] and plan["plan"]
                else [],
            },
        )

    @get("/personnes/{person_id:int}/dossier/projet/{plan_id:int}", name="dossier-plan-version")
    async def version(self, access: Access, person_id: Id, plan_id: Id) -> Template:
        plan = service.plan_view(access, person_id, plan_id)
        person, _ = access.load_person(person_id)
        return Template("dossier/version.html", context={"person": person, "plan": plan})

    @get("/dossier/evaluations/{person_id:int}", name="dossier-assessments")
    async def all_assessments(self, access: Access, person_id: Id) -> Template:
        rows = service.assessments(access, person_id)
        person, _ = access.load_person(person_id)
        known = service.questionnaires(access)
        return Template(
            "dossier/assessments.html",
            context={"person": person, "rows": rows, "questionnaires": known},
        )

    @get("/dossier/revisions", name="dossier-reviews")
    async def reviews(self, access: Access) -> Template:
        actor = access.require_login()
        blocks = [
            {
                "structure": accounts.get_structure(access.db, sid),
                "rows": service.reviews_due(access, sid),
            }
            for sid in actor.structure_ids
            if access.allowed("dossier.reviews.read", structure_id=sid)
        ]
        if not blocks:
            access.require("dossier.reviews.read", structure_id=(actor.structure_ids or [0])[0])
        return Template("dossier/reviews.html", context={"blocks": blocks})
