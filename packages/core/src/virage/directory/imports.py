"""Importing a registry file into the directory: the same steps for every source.

``run_import`` detects the format, streams the importer's records into **one transaction**, checks
and normalises every record (a bad record becomes a rejected line of the report, never a crash),
upserts on the national identifier (so re-running the same file changes nothing), marks closed the
entries that a complete extract no longer lists, refreshes the communes used for distance
searches, and writes the import history and the audit entry. Any fatal error rolls everything
back: a malformed file never leaves a half-imported directory.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

from virage.audit.service import record as audit_record
from virage.db import transaction
from virage.directory import categories, normalize, storage
from virage.directory.sources import (
    DirectorySource,
    ImportFailed,
    ProfessionalRecord,
    Rejected,
    SourceFormat,
    StructureRecord,
)
from virage.errors import InvalidInput, NotFound

log = logging.getLogger("virage.directory")

#: Above this share of rejected lines, the file is considered not to be of the announced format.
MAX_REJECTED_SHARE = 0.5
#: An import that would close more than this share of a source's open entries is refused.
MAX_CLOSED_SHARE = 0.5
HEAD_BYTES = 64 * 1024

Progress = Callable[[int, int], None]


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
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Rejected] = field(default_factory=list)
    kinds: dict[str, KindCount] = field(default_factory=dict)
    import_id: int | None = None

    def count(self, kind: str, is_open: bool) -> None:
        c = self.kinds.setdefault(kind, KindCount())
        c.seen += 1
        c.open += int(is_open)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "fichier": self.filename,
            "partiel": self.partial,
            "genere_le": self.generated_at,
            "crees": self.created,
            "mis_a_jour": self.updated,
            "inchanges": self.unchanged,
            "fermes": self.closed,
            "rejets": [r.as_dict() for r in self.sorted_rejections()],
            "avertissements": [w.as_dict() for w in self.warnings],
            "par_type": {k: v.as_dict() for k, v in sorted(self.kinds.items())},
        }

    def sorted_rejections(self) -> list[Rejected]:
        return sorted(self.rejected, key=lambda r: r.line or 0)

    def summary_lines(self) -> list[str]:
        """The report in French, as printed by ``virage import``."""
        labels = {"EJ": "entités juridiques", "ET": "établissements", "PS": "professionnels"}
        lines = [
            f"Import {self.source} ({self.format}) de {self.filename}"
            + (f", extrait du {self.generated_at}" if self.generated_at else "")
            + (" — fichier partiel : les absents ne sont pas fermés" if self.partial else ""),
            f"  créés : {self.created} · mis à jour : {self.updated} · inchangés : "
            f"{self.unchanged} · fermés : {self.closed} · lignes rejetées : {len(self.rejected)}",
        ]
        for kind, c in sorted(self.kinds.items()):
            lines.append(
                f"  {labels.get(kind, kind)} lus : {c.seen} ({c.open} ouverts, "
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


# --------------------------------------------------------------------------- sources


def sources_of(plugins) -> dict[str, DirectorySource]:
    """The directory sources registered by plugins (hook ``register_directory_sources``)."""
    out: dict[str, DirectorySource] = {}
    for plugin_name, source in plugins.call_per_plugin("register_directory_sources"):
        if not isinstance(source, DirectorySource):
            plugins.failures.append(
                _failure(plugin_name, "register_directory_sources", "not a DirectorySource")
            )
            continue
        out.setdefault(source.name, source)
    return out


def _failure(plugin: str, stage: str, error: str):
    from virage.plugins import PluginFailure

    return PluginFailure(plugin, stage, error)


def detect_format(source: DirectorySource, path: Path, fmt: str | None) -> SourceFormat:
    names = ", ".join(f.name for f in source.formats)
    if fmt:
        found = source.format_named(fmt)
        if found is None:
            raise InvalidInput(f"Format « {fmt} » inconnu pour la source {source.name} : {names}.")
        return found
    importer = source.importer
    if not hasattr(importer, "detect"):
        if len(source.formats) == 1:
            return source.formats[0]
        raise InvalidInput(f"Précisez le format avec --format ({names}).")
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head.strip():
        raise InvalidInput(f"Le fichier {path.name} est vide.")
    detected = importer.detect(path, head)
    found = source.format_named(detected) if detected else None
    if found is None:
        labels = " ; ".join(f"{f.label} ({f.name})" for f in source.formats)
        raise InvalidInput(
            f"Format du fichier {path.name} non reconnu pour la source {source.name}. "
            f"Formats acceptés : {labels}."
        )
    return found


def _reader(source: DirectorySource):
    importer = source.importer
    return importer.read if hasattr(importer, "read") else importer


# --------------------------------------------------------------------------- the import


def _hash(values: dict[str, Any]) -> str:
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


class _Run:
    def __init__(self, db, source: str, import_id: int, report: ImportReport) -> None:
        self.db = db
        self.source = source
        self.import_id = import_id
        self.report = report
        self.lines = 0
        self._structure_refs: dict[str, tuple | None] = {}

    # ---------------------------------------------------------------- structures

    def warn(self, line, ref, message) -> None:
        if len(self.report.warnings) < 1000:
            self.report.warnings.append(Rejected(line, message, ref))

    def structure(self, rec: StructureRecord) -> None:
        finess = normalize.finess(rec.finess)
        if finess is None:
            self.reject(rec.line, f"numéro FINESS invalide « {rec.finess or ''} »", rec.finess)
            return
        name = normalize.clean(rec.name)
        if not name:
            self.reject(rec.line, "raison sociale absente", finess)
            return
        if rec.kind not in ("ET", "EJ"):
            self.reject(rec.line, f"type de structure inconnu « {rec.kind} »", finess)
            return
        values = self._structure_values(rec, finess, name)
        content_hash = _hash(values)
        existing = storage.structure_for_import(self.db, finess)
        if existing is not None and existing[3] == self.import_id:
            self.reject(
                rec.line, "numéro FINESS en double dans le fichier (déjà lu plus haut)", finess
            )
            return
        self.report.count(rec.kind, values["status"] == "open")
        if existing is None:
            storage.insert_structure(
                self.db, values, content_hash=content_hash, import_id=self.import_id
            )
            self.report.created += 1
            return
        sid, old_hash, old_status, _seen, extra = existing
        if old_hash == content_hash:
            storage.mark_structure_seen(self.db, sid, self.import_id)
            self.report.unchanged += 1
            return
        storage.update_structure(
            self.db,
            sid,
            values,
            content_hash=content_hash,
            import_id=self.import_id,
            extra=json.loads(extra or "{}"),
        )
        if old_status == "open" and values["status"] == "closed":
            self.report.closed += 1
        else:
            self.report.updated += 1

    def _structure_values(self, rec: StructureRecord, finess: str, name: str) -> dict[str, Any]:
        line, c = rec.line, normalize.clean
        commune = c(rec.commune_code)
        if commune and not normalize.COMMUNE_RE.match(commune):
            self.warn(line, finess, f"code commune invalide « {commune} » ignoré")
            commune = None
        postcode = c(rec.postcode)
        if postcode and not normalize.POSTCODE_RE.match(postcode):
            self.warn(line, finess, f"code postal invalide « {postcode} » ignoré")
            postcode = None
        lat, lon = rec.lat, rec.lon
        if lat is not None or lon is not None:
            ok = (
                isinstance(lat, int | float)
                and isinstance(lon, int | float)
                and -90 <= lat <= 90
                and -180 <= lon <= 180
                and not (lat == 0 and lon == 0)
            )
            if not ok:
                self.warn(line, finess, f"coordonnées invalides ({lat}, {lon}) ignorées")
                lat = lon = None
            else:
                lat, lon = round(float(lat), 6), round(float(lon), 6)
        ej = c(rec.ej_finess)
        if ej and normalize.finess(ej) is None:
            self.warn(line, finess, f"numéro FINESS juridique invalide « {ej} » ignoré")
            ej = None
        dates = {}
        for key in ("opened_on", "closed_on", "source_updated"):
            raw = getattr(rec, key)
            dates[key] = normalize.iso_date(raw)
            if raw and not dates[key]:
                self.warn(line, finess, f"date invalide « {raw} » ignorée")
        phone = normalize.phone(rec.phone)
        code = c(rec.category_code)
        legal = c(rec.legal_status_code)
        dep = normalize.departement(rec.departement) or normalize.departement_of_commune(commune)
        return {
            "kind": rec.kind,
            "finess": finess,
            "ej_finess": normalize.finess(ej) if ej else None,
            "name": name,
            "long_name": c(rec.long_name),
            "category_code": code,
            "category_label": c(rec.category_label) or categories.category_label(code),
            "legal_status_code": legal,
            "legal_status_label": c(rec.legal_status_label)
            or categories.LEGAL_STATUSES.get(legal or ""),
            "siret": c(rec.siret),
            "address_line": c(rec.address_line),
            "address_extra": c(rec.address_extra),
            "postcode": postcode,
            "city": c(rec.city),
            "commune_code": commune,
            "departement": dep,
            "lat": lat,
            "lon": lon,
            "phone": phone,
            "fax": normalize.phone(rec.fax),
            "email": c(rec.email),
            "opened_on": dates["opened_on"],
            "closed_on": dates["closed_on"],
            "status": "open" if rec.open else "closed",
            "source": self.source,
            "source_updated": dates["source_updated"],
        }

    # ---------------------------------------------------------------- professionals

    def _structure_ref(self, finess: str) -> tuple | None:
        if finess not in self._structure_refs:
            if len(self._structure_refs) > 200_000:
                self._structure_refs.clear()
            self._structure_refs[finess] = storage.structure_ref(self.db, finess)
        return self._structure_refs[finess]

    def professional(self, rec: ProfessionalRecord) -> None:
        rpps = (rec.rpps or "").strip() or None
        adeli = (rec.adeli or "").strip() or None
        ref = rpps or adeli
        if rpps and not normalize.RPPS_RE.match(rpps):
            self.reject(rec.line, f"numéro RPPS invalide « {rpps} » (11 chiffres)", ref)
            return
        if adeli and not normalize.ADELI_RE.match(adeli):
            self.reject(rec.line, f"numéro ADELI invalide « {adeli} » (9 chiffres)", ref)
            return
        if not (rpps or adeli):
            self.reject(rec.line, "ni numéro RPPS ni numéro ADELI", None)
            return
        family = normalize.clean(rec.family_name)
        if not family:
            self.reject(rec.line, "nom d'exercice absent", ref)
            return
        idnps = ("8" + rpps) if rpps else ("0" + adeli)
        roles, places = [], []
        located = None
        for role in rec.roles:
            finess = normalize.finess(role.finess) if role.finess else None
            sref = self._structure_ref(finess) if finess else None
            if role.finess and sref is None:
                self.warn(rec.line, ref, f"structure {role.finess} absente de l'annuaire")
            roles.append(
                {
                    "structure_id": sref[0] if sref else None,
                    "finess": finess,
                    "function": normalize.clean(role.function),
                    "phone": normalize.phone(role.phone),
                    "mssante": normalize.clean(role.mssante),
                }
            )
            if sref:
                places.extend(filter(None, [sref[1], sref[2]]))
                if located is None and sref[5] is not None:
                    located = sref
        located = located or next(
            (self._structure_ref(r["finess"]) for r in roles if r["finess"]), None
        )
        code = normalize.clean(rec.profession_code)
        values = {
            "idnps": idnps,
            "rpps": rpps,
            "adeli": adeli,
            "civility": normalize.clean(rec.civility),
            "family_name": family,
            "given_name": normalize.clean(rec.given_name),
            "profession_code": code,
            "profession_label": normalize.clean(rec.profession_label)
            or categories.PROFESSIONS.get(code or ""),
            "specialties": json.dumps(
                [
                    {"code": s.get("code"), "label": s.get("label")}
                    for s in rec.specialties
                    if s.get("label")
                ],
                ensure_ascii=False,
            ),
            "mssante": normalize.clean(rec.mssante),
            "phone": normalize.phone(rec.phone),
            "city": located[1] if located else None,
            "commune_code": located[3] if located else None,
            "departement": located[4] if located else None,
            "lat": located[5] if located else None,
            "lon": located[6] if located else None,
            "status": "open" if rec.active else "closed",
            "source": self.source,
        }
        content_hash = _hash({**values, "roles": roles})
        existing = storage.professional_for_import(self.db, idnps)
        if existing is not None and existing[3] == self.import_id:
            self.reject(
                rec.line, "professionnel en double dans le fichier (déjà lu plus haut)", ref
            )
            return
        self.report.count("PS", rec.active)
        if existing is None:
            storage.save_professional(
                self.db,
                values,
                roles,
                places,
                content_hash=content_hash,
                import_id=self.import_id,
            )
            self.report.created += 1
            return
        pid, old_hash, old_status, _seen = existing
        if old_hash == content_hash:
            storage.mark_professional_seen(self.db, pid, self.import_id)
            self.report.unchanged += 1
            return
        storage.save_professional(
            self.db,
            values,
            roles,
            places,
            pid=pid,
            content_hash=content_hash,
            import_id=self.import_id,
        )
        if old_status == "open" and not rec.active:
            self.report.closed += 1
        else:
            self.report.updated += 1

    def reject(self, line, reason, ref) -> None:
        self.report.rejected.append(Rejected(line, reason, ref))


def run_import(
    db: sqlite_utils.Database,
    source: DirectorySource,
    path: Path,
    *,
    fmt: str | None = None,
    partial: bool = False,
    progress: Progress | None = None,
    actor_label: str = "ligne de commande",
) -> ImportReport:
    """Import ``path`` with ``source``; return the report. Raises ``InvalidInput`` (nothing kept)."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"Fichier introuvable : {path}")
    if path.is_dir():
        raise InvalidInput(f"{path} est un dossier : indiquez le fichier à importer.")
    try:
        source_format = detect_format(source, path, fmt)
    except OSError as exc:
        raise InvalidInput(f"Impossible de lire {path} : {exc.strerror or exc}.") from exc
    report = ImportReport(source.name, source_format.name, path.name, partial=partial)
    read = _reader(source)
    kwargs: dict[str, Any] = {}
    if "progress" in inspect.signature(read).parameters:
        kwargs["progress"] = progress or (lambda done, total: None)
    try:
        with transaction(db):
            import_id = storage.start_import(
                db, source.name, source_format.name, path.name, actor_label, partial
            )
            report.import_id = import_id
            run = _Run(db, source.name, import_id, report)
            items: Iterable = read(path, source_format.name, **kwargs)
            for item in items:
                if isinstance(item, StructureRecord):
                    run.structure(item)
                elif isinstance(item, ProfessionalRecord):
                    run.professional(item)
                elif isinstance(item, Rejected):
                    report.rejected.append(item)
                elif isinstance(item, dict) and "generated_at" in item:
                    report.generated_at = normalize.iso_date(item["generated_at"])
                else:
                    raise ImportFailed(f"élément inattendu renvoyé par l'importeur : {item!r}")
            _check_plausible(report)
            if not partial:
                _close_missing(db, source.name, source_format, import_id, report)
            storage.refresh_communes(db)
            storage.link_professionals_to_users(db)
            storage.finish_import(db, import_id, "done", report.as_dict(), report.generated_at)
            audit_record(
                db,
                None,
                "directory.import",
                target=f"directory_import:{import_id}",
                actor_label=actor_label,
                details={
                    "source": source.name,
                    "fichier": path.name,
                    "crees": report.created,
                    "mis_a_jour": report.updated,
                    "fermes": report.closed,
                    "rejets": len(report.rejected),
                },
            )
    except ImportFailed as exc:
        where = f" (ligne {exc.line})" if exc.line else ""
        message = f"Import annulé, l'annuaire n'a pas été modifié : {exc.message}{where}."
        _record_failure(db, source, source_format, path, actor_label, partial, message)
        raise InvalidInput(message) from exc
    except UnicodeDecodeError as exc:
        message = (
            "Import annulé, l'annuaire n'a pas été modifié : le fichier contient des caractères "
            f"illisibles (octet {exc.start})."
        )
        _record_failure(db, source, source_format, path, actor_label, partial, message)
        raise InvalidInput(message) from exc
    except OSError as exc:
        message = (
            f"Import annulé, l'annuaire n'a pas été modifié : lecture de {path.name} impossible "
            f"({exc.strerror or exc})."
        )
        _record_failure(db, source, source_format, path, actor_label, partial, message)
        raise InvalidInput(message) from exc
    return report


def _check_plausible(report: ImportReport) -> None:
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
        raise ImportFailed(
            f"{rejected} lignes rejetées sur {read + rejected} : le fichier ne semble pas être "
            "du format annoncé (premier rejet ligne "
            f"{report.rejected[0].line} : {report.rejected[0].reason})"
        )


def _close_missing(db, source: str, fmt: SourceFormat, import_id: int, report: ImportReport):
    structure_kinds = sorted(k for k in fmt.complete_kinds if k in ("ET", "EJ"))
    missing, before = storage.count_missing_structures(db, source, structure_kinds, import_id)
    pro_missing, pro_before = (0, 0)
    if "PS" in fmt.complete_kinds:
        pro_missing, pro_before = storage.count_missing_professionals(db, source, import_id)
    for gone, total in ((missing, before), (pro_missing, pro_before)):
        if gone > 10 and gone > MAX_CLOSED_SHARE * total:
            raise ImportFailed(
                f"ce fichier ne mentionne pas {gone} des {total} entrées ouvertes de la source "
                f"{source}. S'il s'agit d'un extrait partiel (un département, une mise à jour "
                "quotidienne), relancez avec --partiel : les absents ne seront pas fermés"
            )
    today = date.today().isoformat()
    report.closed += storage.close_missing_structures(db, source, structure_kinds, import_id, today)
    if "PS" in fmt.complete_kinds:
        report.closed += storage.close_missing_professionals(db, source, import_id)


def _record_failure(db, source, source_format, path, actor_label, partial, message) -> None:
    try:
        with transaction(db):
            storage.record_failed_import(
                db,
                source.name,
                source_format.name,
                path.name,
                actor_label,
                partial,
                {"erreur": message},
            )
            audit_record(
                db,
                None,
                "directory.import.failed",
                actor_label=actor_label,
                details={"source": source.name, "fichier": path.name, "erreur": message},
            )
    except Exception:  # the failure itself must still reach the person
        log.exception("could not record the failed import")
