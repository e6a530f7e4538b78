"""What the dashboard pages show: each indicator's chart (SVG), its table, the network's median."""

from __future__ import annotations

from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.indicators import charts, service
from virage.indicators.model import month_list, month_text
from virage.indicators.suppression import Table


def months_from(debut: str, fin: str) -> list[str]:
    if debut or fin:
        default = service.default_months()
        return month_list(debut or default[0], fin or default[-1])
    return service.default_months()


def _number(value) -> str:
    if value is None:
        return "masqué"
    text = (
        f"{value:,.1f}" if isinstance(value, float) and value != int(value) else f"{int(value):,}"
    )
    return text.replace(",", "\u202f").replace(".", ",")


def _kind_labels(plugins) -> dict[str, str]:
    if plugins is None:
        return {}
    return {k.name: k.label for k in plugins.call_flat("register_appointment_kinds")}


def panels(entries: list[dict], months: list[str], medians: dict, plugins) -> list[dict]:
    labels = _kind_labels(plugins)
    out = []
    for entry in entries:
        table: Table = entry["table"]
        rows = table.as_rows()
        series = []
        if entry["additive"] and len(rows) > 1:
            series.append(("total", [table.col_totals.get(m) for m in months]))
        for row in rows[:5]:
            name = labels.get(row["category"], row["category"])
            series.append((name, [row["values"].get(m) for m in months]))
        median = medians.get(entry["key"])
        median_values = [median.get(m) for m in months] if median else None
        chart = (
            charts.line_chart(entry["label"], months, series, median_values, entry["unit"])
            if series
            else ""
        )
        out.append(
            {
                **entry,
                "chart": chart,
                "months": [month_text(m) for m in months],
                "rows": [
                    {
                        "label": labels.get(r["category"], r["category"]) or entry["label"],
                        "cells": [_number(r["values"].get(m)) for m in months],
                        "total": _number(r["total"]) if entry["additive"] else None,
                    }
                    for r in rows
                ],
                "totals": [_number(table.col_totals.get(m)) for m in months]
                if entry["additive"] and len(rows) > 1
                else None,
                "median": [_number(v) if v is not None else "—" for v in median_values]
                if median_values
                else None,
                "hidden": table.hidden,
            }
        )
    return out


def structure_page(
    access: AccessContext, structure_id: int, months: list[str], *, charts: bool = True
) -> dict:
    access.require("indicators.read", structure_id=structure_id)
    db = access.db
    service.refresh(db, access.plugins, structure_id, months)
    entries = service.tables(db, access.plugins, structure_id, months)
    structure = lookups.structure(db, structure_id) or {"id": structure_id, "name": ""}
    if charts:
        medians = service.medians(db, access.plugins, months)
        shown = panels(entries, months, medians, access.plugins)
    else:
        shown = []
    return {
        "structure": {"id": structure_id, "name": structure["name"]},
        "entries": entries,
        "panels": shown,
        "first": months[0],
        "last": months[-1],
        "period": f"de {month_text(months[0])} à {month_text(months[-1])}",
        "threshold": service.threshold(db),
    }


def network_page(access: AccessContext, months: list[str]) -> dict:
    access.require("indicators.network")
    db = access.db
    service.refresh_network(db, access.plugins, months)
    entries = service.network_tables(db, access.plugins, months)
    return {
        "panels": panels(
            entries, months, service.medians(db, access.plugins, months), access.plugins
        ),
        "first": months[0],
        "last": months[-1],
        "period": f"de {month_text(months[0])} à {month_text(months[-1])}",
        "threshold": service.threshold(db),
        "structures": len(lookups.structures(db)),
    }


def export_panels(content: dict, plugins) -> list[dict]:
    """An export's indicators as tables (the review shows exactly what will leave)."""
    labels = _kind_labels(plugins)
    months = content["months"]
    out = []
    for ind in content["indicators"]:
        out.append(
            {
                **ind,
                "months": [month_text(m) for m in months],
                "rows": [
                    {
                        "label": labels.get(r["category"], r["category"]) or ind["label"],
                        "cells": [_number(r["values"].get(m)) for m in months],
                        "total": _number(r["total"]) if ind["additive"] else None,
                    }
                    for r in ind["rows"]
                ],
                "totals": [_number(ind["month_totals"].get(m)) for m in months]
                if ind["additive"] and len(ind["rows"]) > 1
                else None,
                "grand_total": _number(ind["total"]) if ind["additive"] and ind["rows"] else None,
            }
        )
    return out
