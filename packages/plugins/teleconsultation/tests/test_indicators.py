"""The teleconsultation's indicators: requests of the month by state; never by reason (free text)
nor by doctor."""

from __future__ import annotations

from virage_teleconsultation.indicators import INDICATORS

from virage.sdk import Indicator, PluginHost


def test_declared_by_state_only(world):
    plugins = PluginHost(world.settings)
    found = {i.key: i for i in plugins.call_flat("register_indicators") if isinstance(i, Indicator)}
    assert "teleconsultation.par_etat" in found
    for indicator in INDICATORS:
        assert indicator.problems() == []
        assert "motif" not in indicator.dimensions


def test_requests_counted_by_state(client, world):
    from tc_helpers import make_doctors, request_tc, soon, step

    from virage.sdk.testing import connect

    doctors = make_doctors(world)
    first = request_tc(client, world, doctors["account"])
    request_tc(client, world, doctors["external"])
    step(client, world, first["id"], "planifier", json={"start": soon()})
    db = connect(world.settings.db_path)
    try:
        (indicator,) = INDICATORS
        cells = indicator.compute(
            db, world.structures["a"], "2000-01-01T00:00:00+00:00", "2100-01-01T00:00:00+00:00"
        )
    finally:
        db.close()
    counts = {c.category: (c.value, c.base) for c in cells}
    assert counts == {"Demandée": (1, 1), "Planifiée": (1, 1)}
    assert "Plaie" not in repr(cells)
