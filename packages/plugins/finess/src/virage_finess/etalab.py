"""Reader of the classic Etalab extract of FINESS, ``etalab_cs1100507`` (establishments with
their geolocation).

Format (see ``format_etalabcs1100507.csv`` of the data.gouv.fr dataset):

- ``;``-separated, traditionally Latin-1 (UTF-8 is accepted too), fields may be ``"``-quoted with
  doubled quotes inside;
- first line ``finess;etalab;<n>;<date>``;
- ``structureet`` rows: 30 fields after the section name (nofinesset … datemaj); recent extracts
  add one trailing field, which is ignored;
- ``geolocalisation`` rows: nofinesset, coordxet, coordyet, sourcecoordet, datemaj, in Lambert 93
  in mainland France and in the projection named at the end of ``sourcecoordet`` overseas
  (``UTM_N20``…), converted to WGS84 with pyproj.

The file is read twice, streaming both times: first the geolocation rows (kept in memory: two
floats per establishment), then the establishments, which are yielded with their coordinates.

The extract declares no record count and has no trailer line, so a truncated file is recognised by
what a cut leaves behind, and refused whole: a last line without its line break, a last row with
fewer fields than its section has (or a cut date), or establishments without a single
geolocation row (the geolocation section comes last: a file cut anywhere before it has none).
Lines longer than ``MAX_LINE_BYTES`` are refused (a file without line breaks is not an extract).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from virage.sdk import ImportFailed, Item, Rejected, StructureRecord
from virage.sdk.directory import OVERSEAS
from virage_finess.json_records import STREET_TYPES
from virage_finess.projections import ProjectionError, to_wgs84

FORMAT = "etalab-csv"
STRUCTURE_FIELDS = 31  # the section name + 30 fields
GEO_FIELDS = 6  # the section name + 5 fields
PROGRESS_EVERY = 256 * 1024
#: A row of the extract is some hundreds of bytes.
MAX_LINE_BYTES = 64 * 1024
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HEADER = re.compile(r"^finess;etalab;[^;]*;(\d{4}-\d{2}-\d{2})?", re.IGNORECASE)
COMPLEMENTS = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lower()
    return text.startswith(b"finess;etalab") or text.startswith(b"structureet;")


def _encoding(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(1024 * 1024)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "latin-1"
    return "utf-8"


class _Lines:
    """Decoded lines of the file, counting bytes for the progress bar."""

    def __init__(self, path: Path, encoding: str, progress, offset: int, total: int) -> None:
        self.path, self.encoding = path, encoding
        self.progress, self.offset, self.total = progress, offset, total
        self.done = 0

    def __iter__(self) -> Iterator[str]:
        reported = 0
        with self.path.open("rb") as f:
            number = 0
            while raw := f.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(raw) > MAX_LINE_BYTES:
                    raise ImportFailed(
                        f"ligne {number} trop longue (plus de {MAX_LINE_BYTES // 1024} ko) : ce "
                        "n'est pas un extrait Etalab"
                    )
                self.done += len(raw)
                if self.done - reported >= PROGRESS_EVERY:
                    self.progress(self.offset + self.done, self.total)
                    reported = self.done
                try:
                    text = raw.decode(self.encoding)
                except UnicodeDecodeError:
                    text = raw.decode("latin-1")
                yield text.lstrip("\ufeff") if self.done == len(raw) else text


def _rows(path: Path, encoding: str, progress, offset: int, total: int):
    lines = _Lines(path, encoding, progress, offset, total)
    reader = csv.reader(lines, delimiter=";", quotechar='"', strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise ImportFailed(
                f"guillemet ouvert ligne {start} et jamais fermé : le fichier est tronqué ou "
                "mal formé"
            ) from None
        raise ImportFailed(f"CSV illisible ({exc})", reader.line_num) from None


def _check_header(path: Path, encoding: str) -> str | None:
    with path.open("rb") as f:
        first = f.readline(1024).decode(encoding, errors="replace").lstrip("\ufeff").strip()
    match = HEADER.match(first)
    if match:
        return match.group(1)
    if first.lower().startswith("structureet;"):
        return None
    raise ImportFailed(
        "première ligne inattendue : « finess;etalab;<n>;<date> » attendu "
        "(extrait etalab_cs1100507)",
        1,
    )


def _insee(departement: str, commune: str) -> str | None:
    departement, commune = departement.strip().upper(), commune.strip()
    if not re.fullmatch(r"\d{3}", commune):
        return None
    if departement in OVERSEAS:
        return OVERSEAS[departement][:2] + commune
    if re.fullmatch(r"\d{2}|2[AB]", departement):
        return departement + commune
    return None


def _street(row: list[str]) -> str | None:
    number = row[7].strip()
    street_type = row[8].strip()
    street = row[9].strip()
    complement = row[10].strip()
    parts = [
        number,
        COMPLEMENTS.get(complement, complement),
        STREET_TYPES.get(street_type, street_type),
        street,
    ]
    text = " ".join(p for p in parts if p)
    return text or None


def _structure(line: int, row: list[str]) -> StructureRecord | Rejected:
    finess = row[1].strip()
    if len(row) < STRUCTURE_FIELDS:
        return Rejected(
            line,
            f"ligne structureet incomplète : {len(row) - 1} champs au lieu de "
            f"{STRUCTURE_FIELDS - 1}",
            finess or None,
            listed=True,
        )
    if len(row) > STRUCTURE_FIELDS + 1:
        return Rejected(
            line,
            f"ligne structureet trop longue : {len(row) - 1} champs au lieu de "
            f"{STRUCTURE_FIELDS - 1} (un « ; » non protégé par des guillemets ?)",
            finess or None,
            listed=True,
        )
    routing = row[15].strip()
    match = re.match(r"^(\d{5})\s*(.*)$", routing)
    postcode, city = (match.group(1), match.group(2)) if match else (None, routing)
    city = re.sub(r"\s+CEDEX.*$", "", city or "").strip() or None
    return StructureRecord(
        finess=finess,
        kind="ET",
        name=row[3],
        line=line,
        long_name=row[4] or (f"{row[3]} {row[5]}" if row[5].strip() else None),
        ej_finess=row[2] or None,
        category_code=row[18].strip() or None,
        category_label=row[19] or None,
        siret=row[22].strip() or None,
        address_line=_street(row),
        address_extra=" ".join(p for p in (row[6].strip(), row[11].strip()) if p) or None,
        postcode=postcode,
        city=city,
        commune_code=_insee(row[13], row[12]),
        departement=row[13].strip() or None,
        phone=row[16] or None,
        fax=row[17] or None,
        opened_on=row[28] or None,
        source_updated=row[30] or None,
        open=True,
    )


def read(path: Path, progress: Callable[[int, int], None]) -> Iterator[Item]:
    """Stream the establishments of an Etalab extract (see the module documentation)."""
    size = path.stat().st_size
    total = 2 * size
    encoding = _encoding(path)
    generated = _check_header(path, encoding)
    if generated:
        yield {"generated_at": generated}

    _check_last_line_break(path, size)

    # Pass 1: geolocations.
    coordinates: dict[str, tuple[float, float, int]] = {}
    structures = geolocations = 0
    for line, row in _rows(path, encoding, progress, 0, total):
        section = row[0].strip().lower() if row else ""
        if section == "structureet" and len(row) >= STRUCTURE_FIELDS:
            structures += 1
        if section != "geolocalisation":
            continue
        geolocations += 1
        finess = row[1].strip() if len(row) > 1 else ""
        if len(row) < GEO_FIELDS - 1:
            yield Rejected(
                line,
                f"ligne geolocalisation incomplète : {len(row) - 1} champs au lieu de "
                f"{GEO_FIELDS - 1}",
                finess or None,
            )
            continue
        x, y = row[2].strip().replace(",", "."), row[3].strip().replace(",", ".")
        if not x and not y:
            continue
        source = row[4] if len(row) > 4 else ""
        try:
            lat, lon = to_wgs84(float(x), float(y), source)
        except ValueError:
            yield Rejected(line, f"coordonnées illisibles « {row[2]} ; {row[3]} »", finess)
            continue
        except ProjectionError as exc:
            yield Rejected(line, str(exc), finess)
            continue
        if not (math.isfinite(lat) and math.isfinite(lon)):
            yield Rejected(line, "coordonnées hors de la zone de la projection", finess)
            continue
        coordinates[finess] = (lat, lon, line)
    if structures and not geolocations:
        raise ImportFailed(
            "aucune ligne « geolocalisation » : l'extrait est tronqué avant la section des "
            "géolocalisations, qui vient après les établissements (ou ce n'est pas l'extrait "
            "etalab_cs1100507)"
        )

    # Pass 2: establishments, with their coordinates.
    used: set[str] = set()
    last: tuple[int, list[str]] | None = None
    for line, row in _rows(path, encoding, progress, size, total):
        if not row or not "".join(row).strip():
            continue
        last = (line, row)
        section = row[0].strip().lower()
        if section == "structureet":
            record = _structure(line, row)
            if isinstance(record, StructureRecord):
                position = coordinates.get(record.finess.strip())
                if position:
                    record.lat, record.lon = position[0], position[1]
                    used.add(record.finess.strip())
            yield record
        elif section == "geolocalisation" or (line == 1 and section == "finess"):
            continue
        else:
            yield Rejected(line, f"section inconnue « {row[0][:30]} »", None)
    if last is not None and structures:
        _check_last_row(*last)
    for finess, (_lat, _lon, line) in coordinates.items():
        if finess not in used:
            yield Rejected(line, "géolocalisation d'un établissement absent du fichier", finess)
    progress(total, total)


def _check_last_line_break(path: Path, size: int) -> None:
    """A file cut in the middle of a line ends without a line break."""
    if size == 0:
        return
    with path.open("rb") as f:
        f.seek(size - 1)
        if f.read(1) != b"\n":
            raise ImportFailed(
                "la dernière ligne n'a pas de fin de ligne : le fichier est tronqué (coupé au "
                "milieu d'une ligne)"
            )


#: Fields of a complete row, section name included (recent extracts add one trailing field),
#: and the position of its last date (« datemaj », which a cut would shorten).
_COMPLETE = {
    "structureet": ((STRUCTURE_FIELDS, STRUCTURE_FIELDS + 1), STRUCTURE_FIELDS - 1, True),
    "geolocalisation": ((GEO_FIELDS, GEO_FIELDS + 1), GEO_FIELDS - 1, False),
}


def _check_last_row(line: int, row: list[str]) -> None:
    """The last row of a file cut at a line break (or cut, then closed by an editor)."""
    section = row[0].strip().lower()
    if section not in _COMPLETE:
        return
    counts, date_at, required = _COMPLETE[section]
    if len(row) not in counts:
        raise ImportFailed(
            f"la dernière ligne ({section}) n'a que {len(row) - 1} champs au lieu de "
            f"{counts[0] - 1} : le fichier est tronqué",
            line,
        )
    date = row[date_at].strip()
    if (date or required) and not DATE.match(date):
        raise ImportFailed(
            f"la dernière ligne ({section}) finit par une date coupée « {date[:12]} » : le "
            "fichier est tronqué",
            line,
        )
