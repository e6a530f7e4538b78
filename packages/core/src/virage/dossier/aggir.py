"""The AGGIR grid and its national algorithm: ten discriminant variables coded A, B or C give a
rank (1 to 13) through eight groups of weights (A to H), and the rank gives the GIR (1 to 6).

Source of the tables: Code de l'action sociale et des familles, annexe 2-2 « Algorithme de la
grille AGGIR » (from décret n° 97-427 du 28 avril 1997, annexe II, taken over by décret
n° 2001-1084 du 20 novembre 2001), Légifrance, état au 2 décembre 2026. The variables
« déplacement extérieur » and « communication » weigh 0 in every group: they are asked (they
belong to the grid) but never change the GIR.
"""

from __future__ import annotations

from dataclasses import dataclass

from virage.errors import InvalidInput

#: The ten discriminant variables, in the order of the grid: code → French label.
VARIABLES: dict[str, str] = {
    "coherence": "Cohérence",
    "orientation": "Orientation",
    "toilette": "Toilette",
    "habillage": "Habillage",
    "alimentation": "Alimentation",
    "elimination": "Élimination",
    "transferts": "Transferts",
    "deplacement_interieur": "Déplacements à l'intérieur",
    "deplacement_exterieur": "Déplacements à l'extérieur",
    "communication": "Communication à distance",
}
MODALITIES: dict[str, str] = {
    "A": "A — fait seul, spontanément, totalement, habituellement et correctement",
    "B": "B — fait partiellement, ou pas spontanément, habituellement ou correctement",
    "C": "C — ne fait pas",
}

_ORDER = tuple(VARIABLES)


@dataclass(frozen=True)
class Group:
    """One group of the algorithm: the weight of modality C and B for the first eight variables
    (the last two weigh 0), and its thresholds: ``(minimum sum, rank)`` tested in order."""

    name: str
    c: tuple[int, int, int, int, int, int, int, int]
    b: tuple[int, int, int, int, int, int, int, int]
    ranks: tuple[tuple[int, int], ...]


#: The eight groups of annexe 2-2, variables in the order of ``VARIABLES``.
GROUPS: tuple[Group, ...] = (
    Group(
        "A",
        (2000, 1200, 40, 40, 60, 100, 800, 200),
        (0, 0, 16, 16, 20, 16, 120, 32),
        ((4380, 1), (4140, 2), (3390, 3)),
    ),
    Group(
        "B",
        (1500, 1200, 40, 40, 60, 100, 800, -80),
        (320, 120, 16, 16, 0, 16, 120, -40),
        ((2016, 4),),
    ),
    Group(
        "C",
        (0, 0, 40, 40, 60, 160, 1000, 400),
        (0, 0, 16, 16, 20, 20, 200, 40),
        ((1700, 5), (1432, 6)),
    ),
    Group(
        "D",
        (0, 0, 0, 0, 2000, 400, 2000, 200),
        (0, 0, 0, 0, 200, 200, 200, 0),
        ((2400, 7),),
    ),
    Group(
        "E",
        (400, 400, 400, 400, 400, 800, 800, 200),
        (0, 0, 100, 100, 100, 100, 100, 0),
        ((1200, 8),),
    ),
    Group(
        "F",
        (200, 200, 500, 500, 500, 500, 500, 200),
        (100, 100, 100, 100, 100, 100, 100, 0),
        ((800, 9),),
    ),
    Group(
        "G",
        (150, 150, 300, 300, 500, 500, 400, 200),
        (0, 0, 200, 200, 200, 200, 200, 100),
        ((650, 10),),
    ),
    Group(
        "H",
        (0, 0, 3000, 3000, 3000, 3000, 1000, 1000),
        (0, 0, 2000, 2000, 2000, 2000, 2000, 1000),
        ((4000, 11), (2000, 12), (-(10**9), 13)),
    ),
)

#: Annexe 2-2, « passage des rangs aux groupes »: rank → GIR.
RANK_TO_GIR: dict[int, int] = {
    1: 1,
    **dict.fromkeys(range(2, 8), 2),
    8: 3,
    9: 3,
    10: 4,
    11: 4,
    12: 5,
    13: 6,
}

#: What each GIR means (the grid's own descriptions, in short).
GIR_LABELS: dict[int, str] = {
    1: "perte d'autonomie mentale, corporelle, locomotrice et sociale ; présence continue",
    2: "fonctions mentales partiellement altérées, ou capacités motrices conservées mais "
    "surveillance permanente",
    3: "autonomie mentale conservée, aides plusieurs fois par jour pour l'autonomie corporelle",
    4: "aide pour se lever ou se coucher, pour la toilette et l'habillage",
    5: "aide ponctuelle pour la toilette, les repas et le ménage",
    6: "autonome pour les actes essentiels de la vie courante",
}


@dataclass(frozen=True)
class Result:
    gir: int
    rank: int
    group: str
    score: int


def _codes(answers: dict[str, str]) -> list[str]:
    codes = []
    for variable in _ORDER:
        value = str(answers.get(variable, "")).strip().upper()
        if value not in MODALITIES:
            raise InvalidInput(f"Grille AGGIR : indiquez A, B ou C pour « {VARIABLES[variable]} ».")
        codes.append(value)
    return codes


def compute(answers: dict[str, str]) -> Result:
    """The GIR of ten answers (``{"coherence": "A", …}``), by the algorithm of annexe 2-2."""
    codes = _codes(answers)[:8]
    for group in GROUPS:
        score = sum(
            group.c[i] if code == "C" else group.b[i] if code == "B" else 0
            for i, code in enumerate(codes)
        )
        for minimum, rank in group.ranks:
            if score >= minimum:
                return Result(RANK_TO_GIR[rank], rank, group.name, score)
    raise AssertionError("group H always gives a rank")  # pragma: no cover
