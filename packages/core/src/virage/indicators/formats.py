"""The exports' files: CSV (one line per cell, « masqué » for a hidden one), JSON, and the SSIAD
activity as a FHIR R4 Bundle shaped after the ANS TDDUI guide (see :mod:`virage.indicators.fhir`)."""

from __future__ import annotations

import csv
import io
import json

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "fhir": ("application/fhir+json", "fhir.json"),
}
HIDDEN = "masqué"


def to_csv(content: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["indicateur", "libellé", "unité", "mois", "catégorie", "valeur"])
    for ind in content["indicators"]:
        for row in ind["rows"]:
            for month in content["months"]:
                value = row["values"].get(month)
                writer.writerow(
                    [
                        ind["key"],
                        ind["label"],
                        ind["unit"],
                        month,
                        row["category"],
                        HIDDEN if value is None else value,
                    ]
                )
            if ind["additive"]:
                total = row["total"]
                writer.writerow(
                    [
                        ind["key"],
                        ind["label"],
                        ind["unit"],
                        "total",
                        row["category"],
                        HIDDEN if total is None else total,
                    ]
                )
        if ind["additive"] and ind["rows"]:
            for month, total in ind["month_totals"].items():
                writer.writerow(
                    [
                        ind["key"],
                        ind["label"],
                        ind["unit"],
                        month,
                        "total",
                        HIDDEN if total is None else total,
                    ]
                )
            total = ind["total"]
            writer.writerow(
                [
                    ind["key"],
                    ind["label"],
                    ind["unit"],
                    "total",
                    "total",
                    HIDDEN if total is None else total,
                ]
            )
    return out.getvalue()


def to_json(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True)


def render(content: dict, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(content)
    if fmt == "fhir":
        from virage.indicators.fhir import bundle

        return json.dumps(bundle(content), ensure_ascii=False, indent=2)
    return to_json(content)
