"""The JSON flux is streamed whatever its layout: a file without line breaks keeps peak memory flat
(measured with tracemalloc on a generated flux), nesting depth and the size of an entity or of a
value are bounded, and a deeply nested file is refused at once with a clear message."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from virage_finess import SOURCE, json_flux, synthetic

from virage.sdk import ImportFailed, InvalidInput, Rejected, StructureRecord
from virage.sdk.directory import run_import


def read_all(path) -> list:
    return list(json_flux.read(path, lambda done, total: None))


def peak_while_reading(path) -> tuple[int, int]:
    """(records read, peak of Python allocations in bytes)."""
    tracemalloc.start()
    try:
        count = sum(
            1
            for item in json_flux.read(path, lambda d, t: None)
            if isinstance(item, StructureRecord)
        )
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_without_line_breaks_is_streamed(tmp_path):
    one_line = tmp_path / "une-ligne.json"
    counts = synthetic.write_flux(one_line, 4000, one_line=True)
    assert b"\n" not in one_line.read_bytes()[:-1]
    size = one_line.stat().st_size
    assert size > 3_000_000  # about 1 kB per structure
    count, peak = peak_while_reading(one_line)
    assert count == counts["EJ"] + counts["ET"] == 4000
    # flat: a few pieces of 64 kB and one legal entity, not the file (held whole, it took 16 times
    # its size)
    assert peak < 2_000_000, peak


def test_same_records_with_or_without_line_breaks(tmp_path):
    pretty, compact = tmp_path / "indente.json", tmp_path / "compact.json"
    synthetic.write_flux(pretty, 300, seed=7)
    synthetic.write_flux(compact, 300, seed=7, one_line=True)
    records = read_all(pretty)
    flat = read_all(compact)
    assert len(records) == len(flat) == 301  # the generation date, then the records
    for a, b in zip(records[1:], flat[1:], strict=True):
        assert dataclass_fields(a, line=None) == dataclass_fields(b, line=None)
    assert {r.line for r in flat[1:]} == {1}
    lines = pretty.read_text(encoding="utf-8").splitlines()
    for record in records[1:]:
        assert lines[record.line - 1].strip() == "{"  # where the entity or establishment starts


def dataclass_fields(record, **changes) -> dict:
    return {**vars(record), **changes}


@pytest.mark.parametrize("depth", [40, 5_000, 200_000])
def test_deep_nesting_is_refused_at_once(db, tmp_path, depth):
    path = tmp_path / "profond.json"
    path.write_text(
        '{"schemaVersion": "v1.0.0", "pmej": [{"ege": [' + "[" * depth + "]" * depth + "]}]}"
    )
    tracemalloc.start()
    try:
        with pytest.raises(
            ImportFailed, match=r"structure JSON trop profonde \(plus de 32 niveaux"
        ):
            read_all(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak  # a 40 kB file once took 1 GB
    with pytest.raises(InvalidInput, match="trop profonde"):
        run_import(db, SOURCE, path)


def test_an_oversized_value_or_entity_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "valeur.json"
    path.write_text(
        '{"schemaVersion": "v1.0.0", "pmej": [{"informationsGeneralesPMEJ": {"denominationPm": "'
        + "A" * 2_000_000
        + '"}}]}'
    )
    with pytest.raises(ImportFailed, match=r"valeur démesurée \(plus de 1 Mo"):
        read_all(path)
    monkeypatch.setattr(json_flux, "MAX_ENTITY_BYTES", 200_000)
    entity = json.loads(synthetic_entity_text())
    entity["ege"] = entity["ege"] * 400
    path.write_text(json.dumps({"schemaVersion": "v1.0.0", "pmej": [entity]}, indent=1))
    with pytest.raises(
        ImportFailed, match=r"entité juridique démesurée \(plus de 195 ko\)"
    ) as refused:
        read_all(path)
    assert refused.value.line == 4  # where the entity starts


def synthetic_entity_text() -> str:
    import random

    return json.dumps(synthetic.entity(random.Random(1), 0, 2))


def test_a_one_line_flux_imports_like_the_sample(db, sample, tmp_path):
    data = json.loads(sample.read_text(encoding="utf-8"))
    path = tmp_path / "echantillon-une-ligne.json"
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    report = run_import(db, SOURCE, path)
    assert (report.created, report.rejected) == (50, [])
    assert report.generated_at == "2026-03-09"


def test_scalars_where_entities_are_expected(tmp_path):
    path = tmp_path / "scalaires.json"
    for content, message in [
        ('{"pmej": [1]}', "chaque élément de « pmej » doit être un objet"),
        ('{"pmej": {"a": 1}}', "« pmej » doit être une liste"),
        ('"texte"', "n'est pas un objet JSON"),
    ]:
        path.write_text(content)
        with pytest.raises(ImportFailed, match=message):
            read_all(path)
    path.write_text('{"pmej": [{"ege": 3}]}')
    (rejected,) = [i for i in read_all(path) if isinstance(i, Rejected)]
    assert "informationsGeneralesPMEJ" in rejected.reason
