"""virage-finess: the FINESS connector of the Virage directory.

It contributes the directory source ``finess`` (hook ``register_directory_sources``), which reads

- the ANS JSON flux « Structures » (``finess-json``): legal entities and establishments, open and
  closed, with WGS84 coordinates;
- the classic Etalab extract ``etalab_cs1100507`` (``etalab-csv``): open establishments, with
  Lambert 93 / UTM coordinates converted to WGS84.

``virage import finess FILE`` detects the format. The demo database gets the ANS sample shipped in
``data/`` (real, public registry records of the Ain).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from virage.sdk import DirectorySource, Item, SourceFormat, directory, hookimpl
from virage_finess import etalab, json_flux

__version__ = "0.1.0"

#: The versions of the Virage SDK (``virage.sdk``) this plugin works with.
VIRAGE_SDK = ">=1,<2"

DATA_DIR = Path(__file__).parent / "data"
SAMPLE = DATA_DIR / "finess-structures-sample-20260309.json"

FORMATS = (
    SourceFormat(
        json_flux.FORMAT,
        "flux JSON Structures de l'ANS",
        complete_kinds=frozenset({"EJ", "ET"}),
    ),
    SourceFormat(
        etalab.FORMAT,
        "extrait CSV Etalab etalab_cs1100507",
        complete_kinds=frozenset({"ET"}),
    ),
)


class FinessImporter:
    """Reads FINESS files for the directory (protocol ``DirectoryImporter``)."""

    def detect(self, path: Path, head: bytes) -> str | None:
        if json_flux.looks_like(head):
            return json_flux.FORMAT
        if etalab.looks_like(head):
            return etalab.FORMAT
        return None

    def read(self, path: Path, fmt: str, progress: Callable[[int, int], None]) -> Iterable[Item]:
        if fmt == json_flux.FORMAT:
            return json_flux.read(path, progress)
        return etalab.read(path, progress)


SOURCE = DirectorySource(
    name="finess",
    label="FINESS",
    formats=FORMATS,
    importer=FinessImporter(),
    description="Répertoire national des établissements sanitaires, sociaux et médico-sociaux.",
)


@hookimpl
def register_directory_sources():
    return [SOURCE]


@hookimpl
def on_demo_created(db):
    report = directory.run_import(db, SOURCE, SAMPLE, actor_label="démonstration")
    return [
        f"Annuaire : extrait réel FINESS de l'ANS importé ({report.created} structures, Ain et "
        "Wallis-et-Futuna)."
    ]


@hookimpl
def extra_plugin_info():
    return {
        "description": "Connecteur FINESS : flux JSON de l'ANS et extrait CSV Etalab.",
        "formats": [f.name for f in FORMATS],
    }
