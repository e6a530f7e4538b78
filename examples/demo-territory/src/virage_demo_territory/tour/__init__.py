"""The guided tour: a day in the demo territory, driven by Playwright against a live server.

Each :class:`Step` is played by the people of the territory in their own browser (a phone for
field workers, a desk for the secretariat and the direction), asserts what they must see, and
takes pictures with a French caption. The pictures and captions become the documentation page
"Visite guidée" (:mod:`virage_demo_territory.tour.page`) and illustrate the user guides.

- ``./scripts/tour`` plays the full tour, writes ``docs/captures/visite-guidee/`` and
  ``docs/visite-guidee.md``;
- the test suite plays the short version (every step and every check, no picture) and compares
  the captions it would have written with the committed ones: a tour that breaks, or a page
  that was not regenerated after a change, fails the suite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from virage.sdk import accounts, audit
from virage.sdk.testing import connect
from virage_demo_territory.people import DEMO_PASSWORD
from virage_demo_territory.tour.server import DemoServer, TourError

PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 860}
MANIFEST = "visite.json"


@dataclass(frozen=True)
class Step:
    """One scene of the day: who, what, why, and the code that plays it."""

    slug: str
    title: str
    who: str
    intro: str
    guide: tuple[str, str]  # (label, path of the user guide relative to docs/)
    play: Callable[[Tour], None]


@dataclass
class Shot:
    """One picture of the tour, with its caption."""

    step: str
    name: str
    caption: str
    phone: bool


@dataclass
class Tour:
    """What a step gets: the browser, the server, the territory, and ``shot`` to take pictures."""

    browser: Browser
    server: DemoServer
    captures: Path | None = None  # None: the short version, no picture is written
    shots: list[Shot] = field(default_factory=list)
    step: Step | None = None
    _contexts: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.db = connect(self.server.db_path)

    @property
    def url(self) -> str:
        return self.server.url

    # ---------------------------------------------------------------- the territory

    def user(self, username: str) -> dict:
        user = accounts.user_by_username(self.db, username)
        if user is None:
            raise TourError(f"le compte de démonstration « {username} » est introuvable")
        return user

    def structure(self, name: str) -> dict:
        structure = accounts.find_structure(self.db, name)
        if structure is None:
            raise TourError(f"la structure de démonstration « {name} » est introuvable")
        return structure

    def persons_followed_by(self, structure: str, *usernames: str) -> list[dict]:
        """Active persons of a structure whose care team has all these users (by id)."""
        sid = self.structure(structure)["id"]
        sets = [
            {p["id"]: p for p in accounts.persons(self.db, sid, only_user_team=uid)}
            for uid in (self.user(u)["id"] for u in usernames)
        ]
        common = set(sets[0]).intersection(*sets[1:])
        persons = sorted((sets[0][i] for i in common), key=lambda p: p["id"])
        if not persons:
            raise TourError(f"aucune personne suivie à la fois par {', '.join(usernames)}")
        return persons

    def audit_of(self, person_id: int) -> list[dict]:
        """The audit entries about a person (what the tour checks was traced)."""
        return audit.for_person(self.db, person_id)

    # ---------------------------------------------------------------- browsers

    def _page(self, username: str, viewport: dict, *, mobile: bool) -> Page:
        context = self.browser.new_context(
            viewport=viewport,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            is_mobile=mobile,
            has_touch=mobile,
        )
        context.set_default_timeout(15_000)
        self._contexts.append(context)
        page = context.new_page()
        page.goto(f"{self.url}/connexion?suivant=/moi")  # the scenes start on « Mes structures »
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes structures")
        return page

    def phone(self, username: str) -> Page:
        """A phone, signed in as this user (field workers)."""
        return self._page(username, PHONE, mobile=True)

    def desk(self, username: str) -> Page:
        """A desktop screen, signed in as this user (secretariat, direction)."""
        return self._page(username, DESK, mobile=False)

    def close_browsers(self) -> None:
        for context in self._contexts:
            context.close()
        self._contexts.clear()

    # ---------------------------------------------------------------- pictures

    def shot(self, page: Page, name: str, caption: str, *, full_page: bool = False) -> None:
        """Record a picture of ``page`` named ``name`` with its French caption."""
        assert self.step is not None
        if not slug_ok(name):
            raise TourError(f"nom d'image invalide « {name} » (minuscules, chiffres et tirets)")
        if any(s.name == name for s in self.shots):
            raise TourError(f"deux images portent le nom « {name} »")
        phone = (page.viewport_size or DESK)["width"] <= PHONE["width"]
        self.shots.append(Shot(self.step.slug, name, caption, phone))
        if self.captures is not None:
            page.screenshot(
                path=str(self.captures / f"{name}.png"),
                full_page=full_page,
                animations="disabled",
                caret="hide",
            )

    def failure_pictures(self, folder: Path) -> list[Path]:
        """Screenshots of every open page, to understand a failed step."""
        paths = []
        for i, context in enumerate(self._contexts):
            for j, page in enumerate(context.pages):
                path = folder / f"echec-{self.step.slug if self.step else 'tour'}-{i}-{j}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                    paths.append(path)
                except Exception:  # the page may be gone: the error message is what matters
                    pass
        return paths


def run_tour(
    browser: Browser,
    server: DemoServer,
    *,
    captures: Path | None = None,
    failures: Path | None = None,
    steps: list[Step] | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> list[Shot]:
    """Play the steps in order; return the shots. A failing step raises :class:`TourError`.

    ``captures``: where pictures go (``None`` for the short version: every step and check, no
    picture). ``failures``: where to put screenshots of the pages open when a step fails.
    """
    from virage_demo_territory.tour.steps import STEPS

    tour = Tour(browser, server, captures)
    if captures is not None:
        captures.mkdir(parents=True, exist_ok=True)
    try:
        for number, step in enumerate(steps or STEPS, start=1):
            tour.step = step
            progress(f"Étape {number} — {step.title}")
            try:
                step.play(tour)
            except Exception as exc:
                where = failures or captures
                pictures = tour.failure_pictures(where) if where else []
                detail = str(exc).strip() or repr(exc)  # Playwright says what it expected
                seen = (
                    f"\nCaptures de l'écran : {', '.join(map(str, pictures))}" if pictures else ""
                )
                raise TourError(
                    f"étape {number} « {step.title} » en échec : {detail}{seen}"
                ) from exc
            finally:
                tour.close_browsers()
    finally:
        tour.db.close()
    return tour.shots


# -------------------------------------------------------------------- the manifest


def write_manifest(folder: Path, shots: list[Shot], seed: int) -> Path:
    path = folder / MANIFEST
    data = {"seed": seed, "shots": [asdict(s) for s in shots]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> tuple[int, list[Shot]]:
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return data["seed"], [Shot(**s) for s in data["shots"]]


def remove_stale_pictures(folder: Path, shots: list[Shot]) -> list[Path]:
    """Delete pictures of the folder that the tour no longer takes (renamed or dropped shots)."""
    keep = {f"{s.name}.png" for s in shots}
    stale = [p for p in folder.glob("*.png") if p.name not in keep]
    for path in stale:
        path.unlink()
    return stale


def slug_ok(name: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) is not None
