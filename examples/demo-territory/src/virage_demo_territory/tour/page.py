"""The "Visite guidée" documentation page, written from the tour's steps and shots.

The page is generated: ``./scripts/tour`` rewrites it with the pictures, and a test checks that
the committed page is exactly what :func:`render` gives for the committed manifest.
"""

from __future__ import annotations

from virage_demo_territory.tour import Shot, Step

PAGE_PATH = "visite-guidee.md"  # relative to docs/
CAPTURES_DIR = "captures/visite-guidee"  # relative to docs/

HEADER = """\
---
title: Visite guidée
summary: Une journée dans le territoire fictif du Val-de-Loue, jouée par Playwright contre un vrai serveur Virage.
---

<!-- Page générée par ./scripts/tour (examples/demo-territory) : ne pas la modifier à la main. -->

# Visite guidée : une journée dans le Val-de-Loue

Cette visite suit une journée ordinaire d'un territoire **fictif** : un SSIAD, un SAAD, un EHPAD,
l'équipe de sortie d'un centre hospitalier et le service social du département, réunis dans un
même réseau. Chaque scène est jouée par un navigateur automatique (Playwright) contre un vrai
serveur Virage, avec les comptes de démonstration ; chaque étape est vérifiée, et les images
ci-dessous sont celles de la dernière exécution. Si une étape casse, la visite échoue : ces images
ne peuvent pas vieillir en silence.

Pour la rejouer chez vous : `./scripts/tour` (voir le `README` du dépôt). Pour l'explorer à la
main : `./scripts/demo`, puis connectez-vous avec l'un des comptes cités (mot de passe commun
`demo-virage-2026`). Les personnes accompagnées, les professionnels et les structures sont
inventés.
"""

FOOTER = """\
## Et ensuite

- Les [guides d'utilisation](guides/index.md) reprennent ces images, fonction par fonction.
- Les [playbooks](playbooks/index.md) expliquent comment conduire un tel déploiement avec les
  équipes, et les [dix leviers](leviers/index.md) ce qui fait réussir un projet numérique.
- Les développeurs trouveront le code de la visite dans `examples/demo-territory/` et
  l'[architecture](developpeurs/architecture.md) de Virage.
"""


def render(steps: list[Step], shots: list[Shot], seed: int) -> str:
    """The Markdown of the page: one section per step, one figure per shot."""
    parts = [HEADER]
    for number, step in enumerate(steps, start=1):
        parts.append(f"## {number}. {step.title}\n")
        parts.append(f"*{step.who}*\n")
        parts.append(f"{step.intro}\n")
        for shot in (s for s in shots if s.step == step.slug):
            width = ' width="320"' if shot.phone else ""
            parts.append(
                f'<figure markdown="span">\n'
                f"  ![{shot.caption}]({CAPTURES_DIR}/{shot.name}.png){{{width} loading=lazy }}\n"
                f"  <figcaption>{shot.caption}</figcaption>\n"
                f"</figure>\n"
            )
        label, path = step.guide
        parts.append(f"Pour aller plus loin : [{label}]({path}).\n")
    parts.append(FOOTER)
    parts.append(
        f"<small>Territoire généré avec la graine {seed} ; "
        f"{len(shots)} images, {len(steps)} étapes.</small>\n"
    )
    return "\n".join(parts)
