"""What a teleconsultation looks like to its readers: one session, the actor's sessions, the
coordinator's overview, a person's sessions; and the doctors of the directory for the form."""

from __future__ import annotations

from virage.sdk import AccessContext, PersonRef, PluginHost, accounts, agenda, directory
from virage_teleconsultation import storage, video
from virage_teleconsultation.machine import (
    CONSENT_METHODS,
    LINK_STATES,
    STATES,
    TRANSITIONS,
    appointment_of,
    load,
    participants,
)


def _names(access: AccessContext, structure_id: int) -> dict[int, str]:
    return {m["id"]: m["display_name"] for m in accounts.members_of(access.db, structure_id)}


def _person_label(access: AccessContext, person_id: int) -> str:
    person, ref = access.load_person(person_id)
    if access.allowed("persons.identity.read", person=ref):
        return f"{person['given_names']} {person['family_name'].upper()}"
    return agenda.initials(person["given_names"], person["family_name"])


def decorate(access: AccessContext, plugins: PluginHost, row: dict, *, link: bool = False) -> dict:
    names = _names(access, row["structure_id"])
    appt = appointment_of(access, plugins, row)
    actor = access.require_login()
    is_participant = actor.user_id in participants(row)
    out = {
        **{k: row[k] for k in ("id", "structure_id", "person_id", "status", "appointment_id")},
        "status_label": STATES[row["status"]],
        "person": _person_label(access, row["person_id"]),
        "doctor": row["doctor_label"],
        "doctor_professional_id": row["doctor_professional_id"],
        "doctor_has_account": row["doctor_user_id"] is not None,
        "requested_by": names.get(row["requested_by"], "ancien·ne professionnel·le"),
        "accompanying": names.get(row["accompanying_user_id"] or 0, "—"),
        "reason": row["reason"],
        "documents": row["documents"],
        "when": appt["when"] if appt else None,
        "start": appt["start"] if appt else None,
        "consent_method": CONSENT_METHODS.get(row["consent_method"] or ""),
        "consent_collected_by": names.get(row["consent_collected_by"] or 0),
        "consent_at": row["consent_at"],
        "identity_checked_by": names.get(row["identity_checked_by"] or 0),
        "outcome_reason": row["outcome_reason"],
        "report_transmission_id": row["report_transmission_id"],
        "is_participant": is_participant,
        "next": sorted(TRANSITIONS[row["status"]]),
        "video_link": None,
        "created_at": row["created_at"],
    }
    if link and is_participant and row["status"] in LINK_STATES:
        out["video_link"] = video.link_for(plugins, row)
        access.audit(
            "teleconsultation.link.read",
            structure_id=row["structure_id"],
            person_id=row["person_id"],
            target=f"teleconsultation:{row['id']}",
        )
    return out


def view(access: AccessContext, plugins: PluginHost, tc_id: int) -> dict:
    """One session as the actor may see it: the video link for the participants only."""
    row = load(access, tc_id, action="teleconsultation.read")
    return decorate(access, plugins, row, link=True)


def mine(access: AccessContext, plugins: PluginHost) -> list[dict]:
    """The sessions the actor takes part in (requesting nurse, accompanying, remote doctor)."""
    actor = access.require_login()
    out = []
    for row in storage.of_user(access.db, actor.user_id):
        if actor.role_in(row["structure_id"]) is None:
            continue
        _person, ref = access.load_person(row["person_id"])
        if access.allowed("teleconsultation.read", person=ref):
            out.append(decorate(access, plugins, row))
    if out:
        access.audit("teleconsultation.list.mine", details={"nombre": len(out)})
    return out


def overview(access: AccessContext, plugins: PluginHost, structure_id: int) -> dict[str, list]:
    """The coordinator's view: upcoming sessions, and sessions done without a report."""
    access.require(
        "teleconsultation.overview", structure_id=structure_id, action="teleconsultation.overview"
    )
    rows = [decorate(access, plugins, r) for r in storage.of_structure(access.db, structure_id)]
    upcoming = sorted(
        (r for r in rows if r["status"] in ("requested", "scheduled", "ready", "in_progress")),
        key=lambda r: r["start"] or "9999",
    )
    return {
        "upcoming": upcoming,
        "without_report": [r for r in rows if r["status"] == "done"],
    }


def of_person(
    access: AccessContext, plugins: PluginHost, person: dict, ref: PersonRef | None = None
) -> list[dict] | None:
    """The sessions of a person (their record's section), or None if the viewer may not see them."""
    if ref is None:
        _p, ref = access.load_person(person["id"])
    if not access.allowed("teleconsultation.read", person=ref):
        return None
    rows = storage.of_person(access.db, person["id"])
    if rows:
        access.require(
            "teleconsultation.read", person_id=person["id"], action="teleconsultation.person.read"
        )
    return [decorate(access, plugins, r) for r in rows]


def doctors(access: AccessContext, text: str = "", limit: int = 30) -> list[dict]:
    """Doctors of the directory (for the request form): profession code 10 (médecin)."""
    directory.require_read(access)
    params = directory.SearchParams(q=text or None, professions=["10"], per_page=limit)
    return directory.search_professionals(access.db, params).results
