"""The report of a directory import: what it read, created, updated, closed and rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from virage.directory.sources import Rejected
from virage.french import MONTHS as FRENCH_MONTHS

PARIS = ZoneInfo("Europe/Paris")
MONTHS = FRENCH_MONTHS
#: Kinds of entries, as the report names them.
LABELS = {"EJ": "entités juridiques", "ET": "établissements", "PS": "professionnels"}


def french_date(iso: str | None) -> str | None:
    """``2026-03-09`` → ``9 mars 2026`` (``1er`` for the first of the month); a stored UTC time
    gives its day in Paris."""
    if not iso:
        return None
    try:
        if len(iso) > 10:
            moment = datetime.fromisoformat(iso)
            day = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)
        else:
            day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


@dataclass
class KindCount:
    seen: int = 0
    open: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"vus": self.seen, "ouverts": self.open, "fermes": self.seen - self.open}


@dataclass
class ImportReport:
    """What an import did. ``closed`` counts entries that were open and are now closed."""

    source: str
    format: str
    filename: str
    partial: bool = False
    generated_at: str | None = None
    size: int | None = None  # bytes of the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Rejected] = field(default_factory=list)
    kinds: dict[str, KindCount] = field(default_factory=dict)
    #: Per kind (ET, EJ, PS): entries open before that the file itself says are closed.
    closed_by_file: dict[str, int] = field(default_factory=dict)
    #: Structures that had coordinates and that the file gives without.
    lost_coordinates: int = 0
    import_id: int | None = None

    def count(self, kind: str, is_open: bool) -> None:
        c = self.kinds.setdefault(kind, KindCount())
        c.seen += 1
        c.open += int(is_open)

    def count_closed(self, kind: str) -> None:
        self.closed += 1
        self.closed_by_file[kind] = self.closed_by_file.get(kind, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "fichier": self.filename,
            "octets": self.size,
            "partiel": self.partial,
            "genere_le": self.generated_at,
            "crees": self.created,
            "mis_a_jour": self.updated,
            "inchanges": self.unchanged,
            "fermes": self.closed,
            "coordonnees_perdues": self.lost_coordinates,
            "rejets": [r.as_dict() for r in self.sorted_rejections()],
            "avertissements": [w.as_dict() for w in self.warnings],
            "par_type": {k: v.as_dict() for k, v in sorted(self.kinds.items())},
        }

    def sorted_rejections(self) -> list[Rejected]:
        return sorted(self.rejected, key=lambda r: r.line or 0)

    def summary_lines(self) -> list[str]:
        """The report in French, as printed by ``virage import``."""
        lines = [
            f"Import {self.source} ({self.format}) de {self.filename}"
            + (f", extrait du {french_date(self.generated_at)}" if self.generated_at else "")
            + (" — fichier partiel : les absents ne sont pas fermés" if self.partial else ""),
            f"  créés : {self.created} · mis à jour : {self.updated} · inchangés : "
            f"{self.unchanged} · fermés : {self.closed} · lignes rejetées : {len(self.rejected)}",
        ]
        for kind, c in sorted(self.kinds.items()):
            lines.append(
                f"  {LABELS.get(kind, kind)} lus : {c.seen} ({c.open} ouverts, "
                f"{c.seen - c.open} fermés)"
            )
        for r in self.sorted_rejections():
            where = f"ligne {r.line}" if r.line else "position inconnue"
            ref = f" [{r.reference}]" if r.reference else ""
            lines.append(f"  rejet {where}{ref} : {r.reason}")
        for w in self.warnings:
            where = f"ligne {w.line}" if w.line else "position inconnue"
            ref = f" [{w.reference}]" if w.reference else ""
            lines.append(f"  avertissement {where}{ref} : {w.reason}")
        return lines
