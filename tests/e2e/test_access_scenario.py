"""A coordinator builds a care team; secrecy holds for the secretary; the director sees the trail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser


def _person_without_paul(server_env) -> tuple[int, str]:
    rows = query(
        server_env,
        "SELECT p.id, p.given_names || ' ' || upper(p.family_name) FROM persons p"
        " JOIN structures s ON s.id = p.structure_id WHERE s.kind = 'SSIAD' AND p.id NOT IN"
        " (SELECT person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        "  WHERE u.username = 'paul.infirmier') ORDER BY p.id LIMIT 1",
    )
    return rows[0]


def test_care_team_and_secrecy(live_server, server_env, browser, capture):
    person_id, heading = _person_without_paul(server_env)
    record = f"{live_server}/personnes/{person_id}"

    def phone_page():
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        return context, context.new_page()

    # 1. Paul, a nurse outside the care team, is refused (and offered a traced emergency access).
    ctx, page = phone_page()
    sign_in(page, live_server, "paul.infirmier")
    page.goto(record)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès au dossier refusé")
    expect(page.get_by_text("équipe de soins de cette personne")).to_be_visible()
    capture(page, "acces-refuse-hors-equipe")
    ctx.close()

    # 2. The coordinator adds Paul to the care team.
    ctx, page = phone_page()
    sign_in(page, live_server, "ines.coordination")
    page.goto(record)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_label("Ajouter un professionnel à l'équipe").select_option(
        label="Paul Girard — Infirmier·e"
    )
    page.get_by_role("button", name="Ajouter", exact=True).click()
    team = page.locator("#equipe")
    expect(team.get_by_text("Paul Girard")).to_be_visible()
    capture(page, "equipe-de-soins-coordination", full_page=True)
    ctx.close()

    # 3. Paul now sees the person, health section included.
    ctx, page = phone_page()
    sign_in(page, live_server, "paul.infirmier")
    page.goto(record)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("heading", name="Informations de santé")).to_be_visible()
    ctx.close()

    # 4. The secretary sees the identity but no health content.
    ctx, page = phone_page()
    sign_in(page, live_server, "lea.secretariat")
    page.goto(record)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("heading", name="Identité et coordonnées")).to_be_visible()
    expect(page.get_by_role("heading", name="Informations de santé")).to_have_count(0)
    health = query(server_env, "SELECT health_notes FROM persons WHERE id = ?", (person_id,))[0][0]
    assert health and health not in page.content()
    capture(page, "dossier-vu-par-le-secretariat", full_page=True)
    ctx.close()

    # 5. The director reads Paul's access in the structure's audit trail.
    ctx, page = phone_page()
    sign_in(page, live_server, "claire.direction")
    page.goto(f"{live_server}/moi")
    ssiad = page.locator(".card").filter(has_text="SSIAD du Val-de-Loue")
    ssiad.get_by_role("link", name="Journal des accès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des accès")
    rows = page.locator("tbody tr").filter(has_text="Paul Girard (paul.infirmier)")
    expect(rows.filter(has_text="persons.read").filter(has_text="autorisé").first).to_be_visible()
    expect(rows.filter(has_text="refusé").first).to_be_visible()
    ctx.close()

    # 6. Paul sees what is recorded about him, including his refused attempt.
    ctx, page = phone_page()
    sign_in(page, live_server, "paul.infirmier")
    page.goto(f"{live_server}/moi/enregistrements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui est enregistré sur moi")
    expect(page.get_by_text("pas de géolocalisation")).to_be_visible()
    expect(page.locator("#journal ~ div tbody tr").filter(has_text="refusé").first).to_be_visible()
    ctx.close()
