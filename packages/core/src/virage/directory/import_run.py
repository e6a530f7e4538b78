"""One import run: records checked, normalised and written to the directory a batch at a time.

Records are gathered in batches of ``BATCH`` (structures and professionals apart); a batch looks up
its existing entries in one query and writes new ones, changed ones and the « seen » marks with one
``executemany`` each. A record whose content is unchanged (same fingerprint) is only marked seen.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from virage.db import Database
from virage.directory import categories, identifiers, import_sql, normalize, storage
from virage.directory.import_report import ImportReport
from virage.directory.sources import ProfessionalRecord, Rejected, StructureRecord

BATCH = 500
MAX_WARNINGS = 1000
MAX_STRUCTURE_REFS = 200_000


_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def content_hash(values: dict[str, Any]) -> str:
    """Fingerprint of an entry's values (the same as ``json.dumps(…, sort_keys=True)`` gave)."""
    return hashlib.blake2b(_encode(values).encode(), digest_size=12).hexdigest()


class Run:
    """Writes the records of one import (``flush()`` at the end)."""

    def __init__(self, db: Database, source: str, import_id: int, report: ImportReport) -> None:
        self.db = db
        self.source = source
        self.import_id = import_id
        self.report = report
        self._structures: dict[str, tuple[StructureRecord, dict[str, Any], str]] = {}
        self._professionals: dict[str, tuple[ProfessionalRecord, Any, str | None]] = {}
        self._listed: list[str] = []  # FINESS numbers of rejected records of listed entries
        self._listed_professionals: list[str] = []  # IDNPS of rejected professionals
        self._structure_refs: dict[str, tuple | None] = {}
        #: The references of every structure are loaded (a number absent is not in the directory).
        self._refs_complete = False
        self._refs_loaded = False

    def warn(self, line, ref, message) -> None:
        if len(self.report.warnings) < MAX_WARNINGS:
            self.report.warnings.append(Rejected(line, message, ref))

    def reject(self, line, reason, ref, *, listed: bool = False) -> None:
        self.report.rejected.append(Rejected(line, reason, ref, listed))
        number = normalize.finess(ref) if listed and ref else None
        if number:
            self._listed.append(number)
            if len(self._listed) >= BATCH:
                self._flush_listed()

    def rejected(self, item: Rejected) -> None:
        self.reject(item.line, item.reason, item.reference, listed=item.listed)

    def flush(self) -> None:
        self._flush_structures()
        self._flush_professionals()
        self._flush_listed()

    # ---------------------------------------------------------------- structures

    def structure(self, rec: StructureRecord) -> None:
        finess = normalize.finess(rec.finess)
        if finess is None:
            self.reject(rec.line, f"numéro FINESS invalide « {rec.finess or ''} »", rec.finess)
            return
        if not identifiers.finess_key_ok(finess):
            self.reject(rec.line, f"numéro FINESS « {finess} » : clé de contrôle fausse", finess)
            return
        name = normalize.clean(rec.name)
        if not name:
            self.reject(rec.line, "raison sociale absente", finess, listed=True)
            return
        if rec.kind not in ("ET", "EJ"):
            self.reject(rec.line, f"type de structure inconnu « {rec.kind} »", finess, listed=True)
            return
        if finess in self._structures:
            self._duplicate(rec.line, finess)
            return
        values = self._structure_values(rec, finess, name)
        self._structures[finess] = (rec, values, content_hash(values))
        if len(self._structures) >= BATCH:
            self._flush_structures()

    def _duplicate(self, line, finess) -> None:
        self.reject(line, "numéro FINESS en double dans le fichier (déjà lu plus haut)", finess)

    def _flush_structures(self) -> None:
        batch, self._structures = self._structures, {}
        if not batch:
            return
        existing = import_sql.structures_for_import(self.db, list(batch))
        new, changed, same = [], [], []
        for finess, (rec, values, digest) in batch.items():
            found = existing.get(finess)
            if found is not None and found[3] == self.import_id:
                self._duplicate(rec.line, finess)
                continue
            self.report.count(rec.kind, values["status"] == "open")
            if found is None:
                new.append((values, digest))
                self.report.created += 1
                continue
            sid, old_hash, old_status, _seen, extra, had_coordinates = found
            if old_hash == digest:
                same.append(sid)
                self.report.unchanged += 1
                continue
            changed.append((sid, values, digest, import_sql.extra_of(extra)))
            if had_coordinates and values["lat"] is None:
                self.report.lost_coordinates += 1
            if old_status == "open" and values["status"] == "closed":
                self.report.count_closed(rec.kind)
            else:
                self.report.updated += 1
        if new or changed:  # references loaded before may be missing or stale
            self._structure_refs.clear()
            self._refs_complete = self._refs_loaded = False
        import_sql.insert_structures(self.db, new, self.import_id)
        import_sql.update_structures(self.db, changed, self.import_id)
        import_sql.mark_structures_seen(self.db, same, self.import_id)

    def _flush_listed(self) -> None:
        """Rejected records of listed entries: the entry is in the file, it is not closed."""
        numbers, self._listed = self._listed, []
        self._flush_structures()  # a valid record of the same number, read before, comes first
        existing = import_sql.structures_for_import(self.db, numbers)
        import_sql.mark_structures_seen(
            self.db, {found[0] for found in existing.values()}, self.import_id
        )

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
        elif ej and not identifiers.finess_key_ok(normalize.finess(ej)):
            self.warn(line, finess, f"numéro FINESS juridique « {ej} » à clé fausse ignoré")
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
        if finess not in self._structure_refs and not self._refs_loaded:
            # The first role read loads every structure's reference at once (one query rather
            # than one per structure; a round trip each on PostgreSQL).
            self._refs_loaded = True
            refs = import_sql.structure_refs(self.db, MAX_STRUCTURE_REFS)
            if refs is not None:
                self._structure_refs, self._refs_complete = refs, True
        if finess not in self._structure_refs:
            if self._refs_complete:
                return None
            if len(self._structure_refs) > MAX_STRUCTURE_REFS:
                self._structure_refs.clear()
            self._structure_refs[finess] = storage.structure_ref(self.db, finess)
        return self._structure_refs[finess]

    def professional(self, rec: ProfessionalRecord) -> None:
        if self._structures:  # roles refer to the structures read before
            self._flush_structures()
        rpps = (rec.rpps or "").strip() or None
        adeli = (rec.adeli or "").strip() or None
        ref = rpps or adeli
        if rpps and not normalize.RPPS_RE.match(rpps):
            self.reject(rec.line, f"numéro RPPS invalide « {rpps} » (11 chiffres)", ref)
            return
        if rpps and not identifiers.luhn_valid(rpps):
            self.reject(rec.line, f"numéro RPPS « {rpps} » : clé de contrôle fausse", ref)
            return
        if adeli and not normalize.ADELI_RE.match(adeli):
            self.reject(rec.line, f"numéro ADELI invalide « {adeli} » (9 chiffres)", ref)
            return
        if not (rpps or adeli):
            self.reject(rec.line, "ni numéro RPPS ni numéro ADELI", None)
            return
        idnps = ("8" + rpps) if rpps else ("0" + adeli)
        family = normalize.clean(rec.family_name)
        if not family:
            self.reject(rec.line, "nom d'exercice absent", ref)
            self._listed_professionals.append(idnps)
            return
        if idnps in self._professionals:
            self._duplicate_professional(rec.line, ref)
            return
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
        digest = content_hash({**values, "roles": roles})
        self._professionals[idnps] = (rec, (values, roles, places, digest), ref)
        if len(self._professionals) >= BATCH:
            self._flush_professionals()

    def _duplicate_professional(self, line, ref) -> None:
        self.reject(line, "professionnel en double dans le fichier (déjà lu plus haut)", ref)

    def _flush_professionals(self) -> None:
        batch, self._professionals = self._professionals, {}
        listed, self._listed_professionals = self._listed_professionals, []
        existing = import_sql.professionals_for_import(self.db, [*batch, *listed])
        new, changed, same = [], [], []
        for idnps, (rec, professional, ref) in batch.items():
            found = existing.get(idnps)
            if found is not None and found[3] == self.import_id:
                self._duplicate_professional(rec.line, ref)
                continue
            self.report.count("PS", rec.active)
            if found is None:
                new.append(professional)
                self.report.created += 1
                continue
            pid, old_hash, old_status, _seen = found
            if old_hash == professional[3]:
                same.append(pid)
                self.report.unchanged += 1
                continue
            changed.append((pid, professional))
            if old_status == "open" and not rec.active:
                self.report.count_closed("PS")
            else:
                self.report.updated += 1
        if new or changed:
            import_sql.save_professionals(self.db, new, changed, self.import_id)
        same.extend(existing[i][0] for i in listed if i in existing and i not in batch)
        import_sql.mark_professionals_seen(self.db, same, self.import_id)
