"""Reader of the ANS FINESS JSON flux « Structures » (schema v1.0.x).

The file is streamed with ijson, fed one line at a time so that every record carries the line
where it starts: legal entities (``pmej[]``, with ``informationsGeneralesPMEJ``) and their
geographic establishments (``pmej[].ege[]``, with ``informationsGeneralesEGE`` and
``categorieentiteGeographiqueExercice``). ``schemaVersion``/``generatedAt`` are accepted at the top
level (as in the published sample) or inside ``metadata`` (as the schema says). Groupings
(``gcc``, ``gco``) are read past: the directory does not use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ijson

from virage.directory.sources import ImportFailed, Item, Rejected, StructureRecord

FORMAT = "finess-json"
PROGRESS_EVERY = 256 * 1024

#: FINESS street types (« typeVoie ») and how they are written in full.
STREET_TYPES = {
    "R": "RUE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "PL": "PLACE",
    "CHE": "CHEMIN",
    "RTE": "ROUTE",
    "ALL": "ALLÉE",
    "IMP": "IMPASSE",
    "CRS": "COURS",
    "SQ": "SQUARE",
    "FG": "FAUBOURG",
    "PASS": "PASSAGE",
    "RPT": "ROND-POINT",
    "SEN": "SENTIER",
    "HAM": "HAMEAU",
    "MTE": "MONTÉE",
    "QU": "QUAI",
    "QUAI": "QUAI",
    "LD": "LIEU-DIT",
    "PRV": "PARVIS",
    "ESP": "ESPLANADE",
    "PROM": "PROMENADE",
    "RES": "RÉSIDENCE",
    "CITE": "CITÉ",
    "CHS": "CHAUSSÉE",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
}


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and (b'"pmej"' in head or b'"schemaVersion"' in head)


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _address(addresses: list[dict]) -> dict[str, Any]:
    if not addresses:
        return {}
    # The address of the establishment itself (usage 03) or of the entity (02); else the first.
    chosen = next((a for a in addresses if a.get("coordonneesGeographique")), None) or addresses[0]
    line = chosen.get("ligneQuatre")
    if not line:
        street_type = chosen.get("typeVoie") or ""
        line = " ".join(
            filter(
                None,
                [
                    chosen.get("numeroVoie"),
                    chosen.get("complementVoie"),
                    STREET_TYPES.get(street_type, street_type),
                    chosen.get("libelleVoie"),
                ],
            )
        )
    extra = " ".join(
        filter(None, [chosen.get("complementPointGeographique"), chosen.get("lieuDit")])
    )
    coords = chosen.get("coordonneesGeographique") or {}
    return {
        "address_line": line or None,
        "address_extra": extra or None,
        "postcode": chosen.get("codePostal"),
        "city": chosen.get("ligneAcheminement"),
        "commune_code": chosen.get("cogCommune"),
        "lat": _float(coords.get("directionLatitude")),
        "lon": _float(coords.get("directionLongitude")),
    }


def _contact(contacts: list[dict]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for contact in contacts or []:
        telecom = contact.get("telecom") or {}
        out.setdefault("phone", telecom.get("telephone"))
        out.setdefault("fax", telecom.get("telecopie"))
        out.setdefault("email", telecom.get("courriel"))
    return {k: v for k, v in out.items() if v}


def records_of_entity(pmej: dict, line: int, ege_lines: list[int]) -> Iterator[Item]:
    """The legal entity and its establishments, as directory records."""
    info = pmej.get("informationsGeneralesPMEJ")
    if not isinstance(info, dict):
        yield Rejected(line, "entité juridique sans « informationsGeneralesPMEJ »")
        return
    ej = info.get("numFinessPm")
    status = info.get("statutJuridique")
    yield StructureRecord(
        finess=ej or "",
        kind="EJ",
        name=info.get("denominationPm") or "",
        line=line,
        long_name=info.get("denominationLonguePmSmsse"),
        legal_status_code=status,
        siret=None,
        opened_on=info.get("dateCreation"),
        closed_on=info.get("dateFermeture"),
        open=pmej.get("etatObjet") == "A",
        source_updated=pmej.get("dateDerniereMaj"),
        **_address(pmej.get("adresse") or []),
        **_contact(pmej.get("contact") or []),
    )
    for index, ege in enumerate(pmej.get("ege") or []):
        ege_line = ege_lines[index] if index < len(ege_lines) else line
        general = ege.get("informationsGeneralesEGE")
        if not isinstance(general, dict):
            yield Rejected(ege_line, "établissement sans « informationsGeneralesEGE »", ej)
            continue
        name = general.get("nomEgeCourt") or general.get("nomEgeLong") or ""
        if general.get("complementDenominationEg"):
            name = f"{name} {general['complementDenominationEg']}"
        yield StructureRecord(
            finess=general.get("numFinessEge") or "",
            kind="ET",
            name=name,
            line=ege_line,
            long_name=general.get("nomEgeLong"),
            ej_finess=ej,
            category_code=ege.get("categorieentiteGeographiqueExercice"),
            legal_status_code=status,
            siret=general.get("siret"),
            opened_on=general.get("dateOuverture"),
            closed_on=general.get("dateFermeture"),
            open=ege.get("etatObjet") == "A",
            source_updated=ege.get("dateDerniereMaj"),
            **_address(ege.get("adresse") or []),
            **_contact(ege.get("contact") or []),
        )


def read(path: Path, progress: Callable[[int, int], None]) -> Iterator[Item]:
    """Stream the records of a FINESS JSON flux (see the module documentation)."""
    total = path.stat().st_size
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events, use_float=True)
    builder: ijson.ObjectBuilder | None = None
    start_line = 0
    ege_lines: list[int] = []
    metadata: dict[str, str] = {}
    seen_pmej = False
    first = True
    done = reported = 0
    line = 0
    with path.open("rb") as f:
        for line, chunk in enumerate(f, start=1):
            done += len(chunk)
            try:
                parser.send(chunk)
            except ijson.JSONError as exc:
                raise ImportFailed(f"JSON invalide ({_reason(exc)})", line) from None
            for prefix, event, value in events:
                if first:
                    first = False
                    if event != "start_map":
                        raise ImportFailed(
                            "le fichier n'est pas un objet JSON : ce n'est pas un flux FINESS", line
                        )
                if builder is not None:
                    builder.event(event, value)
                    if prefix == "pmej.item.ege.item" and event == "start_map":
                        ege_lines.append(line)
                    if prefix == "pmej.item" and event == "end_map":
                        yield from records_of_entity(builder.value, start_line, ege_lines)
                        builder = None
                    continue
                if prefix == "pmej.item" and event == "start_map":
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    start_line, ege_lines = line, []
                elif prefix == "pmej" and event == "start_array":
                    seen_pmej = True
                elif prefix == "pmej.item":
                    raise ImportFailed("chaque élément de « pmej » doit être un objet", line)
                elif event == "string" and prefix in (
                    "schemaVersion",
                    "generatedAt",
                    "metadata.schemaVersion",
                    "metadata.generatedAt",
                ):
                    key = prefix.rsplit(".", 1)[-1]
                    metadata[key] = value
                    if key == "generatedAt":
                        yield {"generated_at": value}
                    elif not value.lstrip("v").startswith("1."):
                        raise ImportFailed(
                            f"version de schéma {value} non prise en charge (1.x attendue)", line
                        )
            del events[:]
            if done - reported >= PROGRESS_EVERY:
                progress(done, total)
                reported = done
        try:
            parser.close()
        except ijson.JSONError as exc:
            raise ImportFailed(f"JSON incomplet ({_reason(exc)})", line) from None
    if first:
        raise ImportFailed("le fichier est vide")
    if not seen_pmej:
        raise ImportFailed(
            "aucune liste « pmej » (entités juridiques) : ce n'est pas un flux Structures FINESS"
        )
    progress(total, total)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
