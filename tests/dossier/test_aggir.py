"""The GIR of the AGGIR grid, against worked examples of the published method.

Source: Code de l'action sociale et des familles, annexe 2-2 « Algorithme de la grille AGGIR »
(tables of décret n° 97-427 du 28 avril 1997, annexe II; décret n° 2001-1084 du 20 novembre 2001,
annexe II), Légifrance, état au 2 décembre 2026. Each example below was worked by hand from the
published tables (the sums are written out group by group), not produced by the code under test.
Example « lwh21 » is the grid used as input on the page of an independent implementation
(LWH-21, « Grille Aggir », 6 novembre 2021, lwh-21.github.io/Pampa), worked by hand the same way.
Variables in the grid's order: cohérence, orientation, toilette, habillage, alimentation,
élimination, transferts, déplacements intérieurs (déplacements extérieurs and communication
weigh 0 everywhere and are coded A here).
"""

from __future__ import annotations

import pytest

from virage.dossier import aggir
from virage.errors import InvalidInput


def grid(codes: str) -> dict[str, str]:
    return dict(zip(aggir.VARIABLES, codes + "AA", strict=True))


EXAMPLES = [
    # all A: every group sums to 0; group H: 0 < 2 000 → rank 13 → GIR 6
    ("AAAAAAAA", 13, 6),
    # all C: group A 2000+1200+40+40+60+100+800+200 = 4 440 ≥ 4 380 → rank 1 → GIR 1
    ("CCCCCCCC", 1, 1),
    # cohérence C, orientation C: A 3 200 < 3 390; B 1500+1200 = 2 700 ≥ 2 016 → rank 4 → GIR 2
    ("CCAAAAAA", 4, 2),
    # C C, toilette C, habillage C, transferts C: A 2000+1200+40+40+800 = 4 080 ≥ 3 390 → rank 3
    ("CCCCAACA", 3, 2),
    # same with élimination C: A 4 080 + 100 = 4 180 ≥ 4 140 → rank 2 → GIR 2
    ("CCCCACCA", 2, 2),
    # alimentation C, transferts C: A 860, B 860, C 60+1000 = 1 060 < 1 432,
    # D 2000+2000 = 4 000 ≥ 2 400 → rank 7 → GIR 2
    ("AAAACACA", 7, 2),
    # toilette C, habillage C, alimentation C: A 140, B 140, C 140, D 2 000 < 2 400,
    # E 400+400+400 = 1 200 ≥ 1 200 → rank 8 → GIR 3
    ("AACCCAAA", 8, 3),
    # toilette C, habillage C, élimination B, transferts B: A 40+40+16+120 = 216, B 216,
    # C 40+40+20+200 = 300, D 200+200 = 400, E 400+400+100+100 = 1 000 < 1 200,
    # F 500+500+100+100 = 1 200 ≥ 800 → rank 9 → GIR 3
    ("AACCABBA", 9, 3),
    # toilette B, habillage B, transferts B: A 152, B 152, C 232, D 200, E 300, F 300,
    # G 200+200+200 = 600 < 650, H 2000+2000+2000 = 6 000 ≥ 4 000 → rank 11 → GIR 4
    ("AABBAABA", 11, 4),
    # toilette B only: A 16, B 16, C 16, D 0, E 100, F 100, G 200, H 2 000 (≥ 2 000, < 4 000)
    # → rank 12 → GIR 5
    ("AABAAAAA", 12, 5),
    # lwh21 (A B C A B C A A): A 40+100+0+20 = 160, B 40+100+120+0 = 260 < 2 016,
    # C 40+160+20 = 220, D 400+200 = 600, E 400+800+100 = 1 300 ≥ 1 200 → rank 8 → GIR 3
    ("ABCABCAA", 8, 3),
    # the six body variables C: A 40+40+60+100+800+200 = 1 240, B 40+40+60+100+800-80 = 960,
    # C 40+40+60+160+1000+400 = 1 700 ≥ 1 700 → rank 5 → GIR 2
    ("AACCCCCC", 5, 2),
    # toilette, habillage, alimentation, déplacements intérieurs B: A 16+16+20+32 = 84,
    # B 16+16+0-40 = -8, C 16+16+20+40 = 92, D 200, E 300, F 300,
    # G 200+200+200+100 = 700 ≥ 650 → rank 10 → GIR 4
    ("AABBBAAB", 10, 4),
    # cohérence B, orientation B, toilette C, habillage C: A 80, B 320+120+40+40 = 520,
    # C 80, D 0, E 800, F 100+100+500+500 = 1 200 ≥ 800 → rank 9 → GIR 3
    ("BBCCAAAA", 9, 3),
]


@pytest.mark.parametrize(("codes", "rank", "gir"), EXAMPLES)
def test_worked_examples_of_the_published_algorithm(codes, rank, gir):
    result = aggir.compute(grid(codes))
    assert (result.rank, result.gir) == (rank, gir)


def test_the_last_two_variables_never_change_the_gir():
    for codes, _rank, gir in EXAMPLES:
        answers = {**grid(codes), "deplacement_exterieur": "C", "communication": "C"}
        assert aggir.compute(answers).gir == gir


def test_every_rank_maps_to_the_published_group():
    # Annexe 2-2, « passage des rangs aux groupes »
    assert aggir.RANK_TO_GIR == {
        1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 6
    }  # fmt: skip


@pytest.mark.parametrize("bad", ["", "D", "AB", None])
def test_a_missing_or_unknown_code_is_refused_in_french(bad):
    answers = {**grid("AAAAAAAA"), "toilette": bad}
    with pytest.raises(InvalidInput, match="Toilette"):
        aggir.compute(answers)
