"""Questionnaires of the person's file: the AGGIR grid, the fall-risk assessment, and those that
plugins declare (hook ``register_questionnaires``).

A questionnaire is data: items with their choices, and an optional ``score`` function that turns
the answers into a short French result (« GIR 2 », « 3 facteurs de risque repérés »). Answers are
stored as they were given, with the date, who filled the form and who answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from virage.dossier import aggir
from virage.errors import InvalidInput

ItemKind = Literal["choice", "number", "text"]
MAX_ITEMS = 60
TEXT_MAX = 1000


@dataclass(frozen=True)
class QuestionnaireItem:
    """One question.

    :param code: stable identifier (letters, digits, ``_``), the key of the stored answer.
    :param label: the question in French.
    :param kind: ``"choice"`` (one of ``choices``), ``"number"`` (0 to 100 000) or ``"text"``.
    :param choices: ``(value, French label)`` pairs for a ``choice``.
    :param required: whether an answer is needed.
    :param help: a French hint shown under the question.
    """

    code: str
    label: str
    kind: ItemKind = "choice"
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """A questionnaire a professional fills in the person's file.

    :param code: stable identifier (``"aggir"``, ``"chutes"``, ``"mon_plugin_douleur"``).
    :param title: French title.
    :param items: the questions, in order (at most 60).
    :param description: when and why to use it, in French.
    :param source: the published method it follows (publisher, title, date).
    :param score: turns the answers (``{code: value}``, already checked) into a short French
        result, or ``None``.
    :param health: True when its answers are health content (care team only). Every
        questionnaire of the file is treated as health content today; keep it True.
    """

    code: str
    title: str
    items: tuple[QuestionnaireItem, ...]
    description: str = ""
    source: str = ""
    score: Callable[[dict[str, str]], str | None] | None = field(default=None, compare=False)
    health: bool = True

    def check(self, answers: dict[str, str]) -> dict[str, str]:
        """The answers kept (only this questionnaire's items), or ``InvalidInput`` in French."""
        kept: dict[str, str] = {}
        for item in self.items:
            value = str(answers.get(item.code, "") or "").strip()
            if not value:
                if item.required:
                    raise InvalidInput(f"{self.title} : répondez à « {item.label} ».")
                continue
            if item.kind == "choice" and value not in {v for v, _ in item.choices}:
                raise InvalidInput(f"{self.title} : choisissez une réponse pour « {item.label} ».")
            if item.kind == "number":
                try:
                    number = float(value.replace(",", "."))
                except ValueError:
                    raise InvalidInput(
                        f"{self.title} : « {item.label} » attend un nombre."
                    ) from None
                if not 0 <= number <= 100_000:
                    raise InvalidInput(f"{self.title} : « {item.label} » est hors des limites.")
            if len(value) > TEXT_MAX:
                raise InvalidInput(
                    f"{self.title} : « {item.label} » dépasse {TEXT_MAX} caractères."
                )
            kept[item.code] = value
        return kept

    def result(self, answers: dict[str, str]) -> str | None:
        return self.score(answers) if self.score else None


# --------------------------------------------------------------------------- AGGIR


def _gir(answers: dict[str, str]) -> str:
    return f"GIR {aggir.compute(answers).gir}"


AGGIR = Questionnaire(
    code="aggir",
    title="Grille AGGIR",
    description="Les dix variables discriminantes, codées A, B ou C ; le GIR est calculé par "
    "l'algorithme national.",
    source="Code de l'action sociale et des familles, annexes 2-1 et 2-2 (Légifrance), "
    "état au 2 décembre 2026",
    items=tuple(
        QuestionnaireItem(code, label, choices=tuple(aggir.MODALITIES.items()))
        for code, label in aggir.VARIABLES.items()
    ),
    score=_gir,
)

# --------------------------------------------------------------------------- falls

_YES_NO = (("oui", "Oui"), ("non", "Non"))
_FALL_FLAGS = (
    "chute_grave",
    "psychotropes",
    "peur_de_tomber",
    "troubles_vue",
    "logement",
)


def _fall_risk(answers: dict[str, str]) -> str:
    count = 0
    if float(answers.get("chutes_12_mois", "0").replace(",", ".")) >= 1:
        count += 1
    tug = answers.get("timed_up_and_go")
    if tug and float(tug.replace(",", ".")) > 20:
        count += 1
    unipodal = answers.get("appui_unipodal")
    if unipodal and float(unipodal.replace(",", ".")) < 5:
        count += 1
    if float(answers.get("medicaments", "0").replace(",", ".")) >= 4:
        count += 1
    count += sum(1 for flag in _FALL_FLAGS if answers.get(flag) == "oui")
    if count == 0:
        return "aucun facteur de risque repéré"
    return f"{count} facteur{'s' if count > 1 else ''} de risque repéré{'s' if count > 1 else ''}"


FALLS = Questionnaire(
    code="chutes",
    title="Risque de chute",
    description="À faire à l'admission et après toute chute : antécédents, tests simples, "
    "médicaments, peur de tomber, vue, logement.",
    source="HAS, « Prévention des chutes accidentelles chez la personne âgée », novembre 2005 ; "
    "HAS, « Évaluation et prise en charge des personnes âgées faisant des chutes répétées », "
    "avril 2009",
    items=(
        QuestionnaireItem(
            "chutes_12_mois", "Nombre de chutes dans les douze derniers mois", "number"
        ),
        QuestionnaireItem(
            "chute_grave",
            "Une chute avec blessure, ou sans pouvoir se relever seul·e ?",
            choices=_YES_NO,
        ),
        QuestionnaireItem(
            "timed_up_and_go",
            "Timed Up and Go (secondes)",
            "number",
            required=False,
            help="Se lever d'une chaise, marcher 3 mètres, revenir s'asseoir. Plus de 20 "
            "secondes : risque élevé.",
        ),
        QuestionnaireItem(
            "appui_unipodal",
            "Appui sur une jambe (secondes)",
            "number",
            required=False,
            help="Moins de 5 secondes : risque élevé.",
        ),
        QuestionnaireItem("medicaments", "Nombre de médicaments pris chaque jour", "number"),
        QuestionnaireItem(
            "psychotropes", "Prend des psychotropes (somnifères, anxiolytiques…)", choices=_YES_NO
        ),
        QuestionnaireItem("peur_de_tomber", "A peur de tomber", choices=_YES_NO),
        QuestionnaireItem("troubles_vue", "Voit mal", choices=_YES_NO),
        QuestionnaireItem(
            "logement",
            "Le logement présente des obstacles (tapis, marches, éclairage)",
            choices=_YES_NO,
        ),
        QuestionnaireItem("remarques", "Remarques", "text", required=False),
    ),
    score=_fall_risk,
)

BUILTIN = (AGGIR, FALLS)


def registry(contributed: Iterable[Questionnaire]) -> dict[str, Questionnaire]:
    """The questionnaires available: the built-in ones, then the plugins' (a code once)."""
    found: dict[str, Questionnaire] = {}
    for q in (*BUILTIN, *contributed):
        if not isinstance(q, Questionnaire) or q.code in found or len(q.items) > MAX_ITEMS:
            continue
        found[q.code] = q
    return found
