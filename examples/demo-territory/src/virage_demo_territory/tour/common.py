"""What the scenes of the guided tour share: the structures they visit, how a person's name
is shown, and the phone check."""

from __future__ import annotations

SSIAD = "SSIAD du Val-de-Loue"
SOCIAL = "Service social départemental — MDS de Loue"
HOSPITAL = "Centre hospitalier de Loue — équipe de sortie"
EHPAD = "EHPAD Les Tilleuls"


def full_name(person: dict) -> str:
    """A person's name as the pages show it: ``Jeanne ARNAUD``."""
    return f"{person['given_names']} {person['family_name'].upper()}"


def no_horizontal_scroll(page) -> None:
    """A page read on a phone never scrolls sideways."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport + 1, f"défilement horizontal sur téléphone : {width} px"
