"""The checks that refuse an import whose file looks wrong, truncated or incomplete.

Whatever the source, a file is refused whole (nothing changed) when:

- more than half of its lines are rejected: it is not of the announced format;
- it holds no usable record;
- as a complete extract, it is far smaller than the previous complete import of the same source
  and format (``MIN_SIZE_SHARE``);
- it would close more open entries than ``MAX_DROP_SHARE`` of them (and more than
  ``DROP_ALLOWANCE``): entries it does not list, plus those it says closed;
- it would remove the coordinates of as many entries.

The last three may be confirmed (``virage import … --confirmer-baisse``) when the change is real;
the reader's own checks of a cut file (an unterminated line or document) can never be.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from virage.db import Database
from virage.directory import import_log_storage as import_log
from virage.directory import import_sql
from virage.directory.import_report import ImportReport, french_date
from virage.directory.sources import ImportFailed, SourceFormat

#: Above this share of rejected lines, the file is considered not to be of the announced format.
MAX_REJECTED_SHARE = 0.5
#: An import may close, or leave without coordinates, this share of a source's open entries…
MAX_DROP_SHARE = 0.1
#: … or this many entries, whichever is more.
DROP_ALLOWANCE = 2
#: A complete extract smaller than this share of the previous complete one is refused.
MIN_SIZE_SHARE = 0.5

CONFIRM = "--confirmer-baisse"
STRUCTURE_KINDS = ("ET", "EJ")


def _size(n: int) -> str:
    megabytes = n / (1024 * 1024)
    if megabytes >= 10:
        return f"{round(megabytes)} Mo"
    if megabytes >= 1:
        return f"{megabytes:.1f} Mo".replace(".", ",")
    return f"{max(1, round(n / 1024))} ko"


def _allowed(open_before: int) -> int:
    return max(DROP_ALLOWANCE, int(MAX_DROP_SHARE * open_before))


def check_size(db: Database, source: str, fmt: str, path: Path, size: int) -> None:
    """A complete extract far smaller than the previous complete one is a truncated file."""
    previous = import_log.last_complete_import(db, source, fmt)
    if previous is None or not previous["size"]:
        return
    if size < MIN_SIZE_SHARE * previous["size"]:
        raise ImportFailed(
            f"{path.name} fait {_size(size)}, contre {_size(previous['size'])} pour le dernier "
            f"extrait complet importé le {french_date(previous['finished_at'])} : le fichier "
            "semble tronqué. S'il s'agit d'un extrait partiel, relancez avec --partiel ; si la "
            f"baisse est réelle, relancez avec {CONFIRM}"
        )


def check_plausible(report: ImportReport) -> None:
    read = sum(c.seen for c in report.kinds.values())
    rejected = len(report.rejected)
    if read == 0:
        first = report.sorted_rejections()[0] if rejected else None
        raise ImportFailed(
            "le fichier ne contient aucune structure ni aucun professionnel lisible"
            + (
                f" ({rejected} lignes rejetées ; ligne {first.line} : {first.reason})"
                if first
                else ""
            )
        )
    if rejected > 10 and rejected > MAX_REJECTED_SHARE * (read + rejected):
        first = report.sorted_rejections()[0]
        raise ImportFailed(
            f"{rejected} lignes rejetées sur {read + rejected} : le fichier ne semble pas être "
            f"du format annoncé (premier rejet ligne {first.line} : {first.reason})"
        )


def close_missing(
    db: Database,
    source: str,
    fmt: SourceFormat,
    import_id: int,
    report: ImportReport,
    open_before: dict[str, int],
    *,
    partial: bool,
    confirmed: bool,
) -> None:
    """Close what a complete extract no longer lists, unless the drop is too large."""
    complete = set() if partial else set(fmt.complete_kinds)
    structure_kinds = sorted(k for k in complete if k in STRUCTURE_KINDS)
    missing = import_sql.count_missing_structures(db, source, structure_kinds, import_id)
    pro_missing = (
        import_sql.count_missing_professionals(db, source, import_id) if "PS" in complete else 0
    )
    families = (
        (STRUCTURE_KINDS, missing, ("structures", "ouvertes", "fermées")),
        (("PS",), pro_missing, ("professionnels", "ouverts", "fermés")),
    )
    if not confirmed:
        for kinds, gone, words in families:
            before = sum(open_before.get(k, 0) for k in kinds)
            said = sum(report.closed_by_file.get(k, 0) for k in kinds)
            if gone + said > _allowed(before):
                raise ImportFailed(_drop_message(source, words, before, gone, said, partial))
        geolocated = open_before.get("geolocated", 0)
        if report.lost_coordinates > _allowed(geolocated):
            raise ImportFailed(
                f"ce fichier retirerait leurs coordonnées à {report.lost_coordinates} des "
                f"{geolocated} structures qui en ont : il semble tronqué ou incomplet. Si c'est "
                f"réel, relancez avec {CONFIRM}"
            )
    today = date.today().isoformat()
    report.closed += import_sql.close_missing_structures(
        db, source, structure_kinds, import_id, today
    )
    if "PS" in complete:
        report.closed += import_sql.close_missing_professionals(db, source, import_id)


def _drop_message(
    source: str, words: tuple[str, str, str], before: int, gone: int, said: int, partial: bool
) -> str:
    noun, open_, closed = words
    parts = []
    if gone:
        parts.append(f"ne mentionne pas {gone}")
    if said:
        parts.append(f"dit {closed} {said}")
    text = (
        f"ce fichier {' et '.join(parts)} des {before} {noun} {open_} de la source {source} "
        f"(au plus {_allowed(before)} à la fois) : il semble tronqué ou incomplet."
    )
    if gone and not partial:
        text += (
            " S'il s'agit d'un extrait partiel (un département, une mise à jour quotidienne), "
            "relancez avec --partiel : les absents ne seront pas fermés."
        )
    return text + f" Si ces fermetures sont réelles, relancez avec {CONFIRM}"
