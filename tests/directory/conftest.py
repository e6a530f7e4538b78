"""A small directory for tests: a fictitious source whose records are given by the test."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.accounts.conftest import _world_template, app, client, world  # noqa: F401
from virage.db import connect
from virage.directory.identifiers import luhn_key
from virage.directory.imports import run_import
from virage.directory.sources import (
    DirectorySource,
    ImportFailed,
    ProfessionalRecord,
    RoleRecord,
    SourceFormat,
    StructureRecord,
)


class ListImporter:
    """Reads nothing: yields the records given to it (the file only has to exist)."""

    def __init__(self) -> None:
        self.items: list = []
        self.fail_after: int | None = None

    def detect(self, path: Path, head: bytes) -> str | None:
        return "liste" if head.startswith(b"liste") else None

    def read(self, path: Path, fmt: str, progress) -> Iterable:
        for i, item in enumerate(self.items):
            if self.fail_after is not None and i == self.fail_after:
                raise ImportFailed("fichier tronqué", line=i + 1)
            yield item
        progress(1, 1)


def make_source(importer: ListImporter) -> DirectorySource:
    return DirectorySource(
        name="essai",
        label="Registre d'essai",
        formats=[SourceFormat("liste", "liste d'essai", frozenset({"ET", "EJ", "PS"}))],
        importer=importer,
        description="Source fictive des tests.",
    )


def _finess(body: str) -> str:
    """A FINESS number from its first eight characters: the ninth is the Luhn key."""
    return body + luhn_key(body)


def structure(finess, name, **kw) -> StructureRecord:
    return StructureRecord(finess=finess, kind=kw.pop("kind", "ET"), name=name, **kw)


BOURG = {"commune_code": "01053", "postcode": "01000", "city": "BOURG EN BRESSE"}
LYON = {"commune_code": "69383", "postcode": "69003", "city": "LYON"}

# Fictitious structures (FINESS numbers with a valid format and key; names for the search cases).
STRUCTURES = [
    structure(
        "010000081",
        "EHPAD Saint-Étienne",
        category_code="500",
        lat=46.2052,
        lon=5.2255,
        ej_finess="010000990",
        phone="04 74 00 00 01",
        address_line="1 RUE DU LYCEE",
        **BOURG,
    ),
    structure(
        "420000002",
        "EHPAD ST ETIENNE",
        category_code="500",
        lat=45.4397,
        lon=4.3872,
        commune_code="42218",
        postcode="42000",
        city="SAINT ETIENNE",
    ),
    structure(
        "010000073",
        "SSIAD du Bassin Burgien",
        category_code="354",
        lat=46.2100,
        lon=5.2300,
        **BOURG,
    ),
    structure(
        "010000024",
        "SSIAD de Péronnas",
        category_code="354",
        lat=46.1781,
        lon=5.2100,
        commune_code="01289",
        postcode="01960",
        city="PERONNAS",
    ),
    structure(
        "010000065",
        "SSIAD d'Ambérieu",
        category_code="354",
        lat=45.9586,
        lon=5.3586,
        commune_code="01004",
        postcode="01500",
        city="AMBERIEU EN BUGEY",
    ),
    structure(
        "690000096", "SSIAD de Lyon 3e", category_code="354", lat=45.7597, lon=4.8422, **LYON
    ),
    structure(
        "010000057",
        "EHPAD Résidence L'Albizia",
        category_code="500",
        lat=46.084,
        lon=5.465,
        commune_code="01068",
        postcode="01450",
        city="CERDON",
    ),
    structure(
        "010000008",
        "EHPAD Les Anciens",
        category_code="500",
        lat=46.2000,
        lon=5.2200,
        open=False,
        closed_on="2020-01-01",
        **BOURG,
    ),
    structure(
        "010000990", "Association Saint-Étienne Santé", kind="EJ", legal_status_code="60", **BOURG
    ),
    structure(
        "2A0000010",
        "EHPAD U Castellu",
        category_code="500",
        lat=41.9192,
        lon=8.7386,
        commune_code="2A004",
        postcode="20000",
        city="AJACCIO",
    ),
    *(
        structure(
            _finess(f"6910{i:04d}"),
            f"Pharmacie de la Part-Dieu n° {i}",
            category_code="620",
            lat=45.7600 + i / 10000,
            lon=4.8600,
            **LYON,
        )
        for i in range(25)
    ),
]

PROFESSIONALS = [
    ProfessionalRecord(
        family_name="Curie-Martin",
        given_name="Marie",
        rpps="10000000041",
        civility="Dr",
        profession_code="10",
        specialties=[{"code": "SM54", "label": "Médecine générale"}],
        mssante="marie.curie-martin@medecin.mssante.example",
        roles=[RoleRecord("010000073", "Médecin coordonnateur")],
    ),
    ProfessionalRecord(
        family_name="Brûlé",
        given_name="Élodie",
        adeli="019999999",
        profession_code="60",
        phone="06 39 98 00 01",
        roles=[
            RoleRecord("010000024", "Infirmière salariée"),
            RoleRecord("690000096", "Infirmière remplaçante"),
        ],
    ),
]


@pytest.fixture
def importer() -> ListImporter:
    imp = ListImporter()
    imp.items = [*STRUCTURES, *PROFESSIONALS]
    return imp


@pytest.fixture
def source(importer) -> DirectorySource:
    return make_source(importer)


@pytest.fixture
def list_file(tmp_path) -> Path:
    path = tmp_path / "liste.txt"
    path.write_text("liste d'essai\n")
    return path


@pytest.fixture
def directory(world, source, list_file):  # noqa: F811
    """The world's database with the test directory imported."""
    db = connect(world.settings.db_path)
    try:
        report = run_import(db, source, list_file)
    finally:
        db.conn.close()
    return report
