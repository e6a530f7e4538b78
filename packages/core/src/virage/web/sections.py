"""Sections that domains and plugins add to pages owned by another domain.

A person's record (``extra_person_sections``) and the page "Ce qui est enregistré sur moi"
(``extra_worker_records``) are assembled from sections contributed through hooks, so that the agenda,
the transmissions and plugins show their part without the accounts domain knowing them.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class PageSection:
    """A titled block of HTML inserted in a page.

    ``html`` must be safe HTML (render it with a template, or escape values with
    ``markupsafe.escape``); ``anchor`` is the section's id (for links such as ``#agenda``);
    ``order`` sorts sections (lower first); ``actions``, ``(label, href)`` pairs, are the
    section's main actions, shown as buttons near the top of the page (« Nouvelle transmission »
    on a person's record) so that the most frequent one is not a scroll away.
    """

    title: str
    html: Markup
    anchor: str
    order: int = 100
    actions: tuple[tuple[str, str], ...] = ()


def sort_sections(sections: list[PageSection]) -> list[PageSection]:
    return sorted(sections, key=lambda s: (s.order, s.title))
