"""A FHIR client nobody here wrote (fhirpy, beda-software: its SyncFHIRClient) discovers the
agenda's FHIR interface, finds a free slot, books it, reads it back and cancels it, against a
live uvicorn server on 127.0.0.1 serving a copy of the test world."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome as FhirError

from virage.agenda.timeutil import today_paris

SERVE = """
import sys, uvicorn
from virage.app import create_app
from virage.settings import Settings
settings = Settings(db_path=sys.argv[1], docs_dir=None, secret_key="secret-de-test",
                    plugins=sys.argv[3].split(",") if sys.argv[3] else None)
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(world):
    port = _free_port()
    plugins = world.settings.plugins
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVE,
            str(world.settings.db_path),
            str(port),
            ",".join(plugins) if plugins else "",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1/agenda/fhir"
    for _ in range(600):  # bounded: the server answers or the test fails
        if proc.poll() is not None:
            pytest.fail(proc.stdout.read().decode())
        try:
            urllib.request.urlopen(f"{url}/metadata", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("le serveur n'a pas répondu")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_fhirpy_books_and_cancels_an_appointment(server, world):
    client = SyncFHIRClient(server, authorization=f"Bearer {world.tokens['coord_a']}")
    capability = client.execute("metadata", method="get")  # discovery, as stock clients do
    assert capability["resourceType"] == "CapabilityStatement"
    schedules = (
        client.resources("Schedule").search(actor=f"Practitioner/{world.users['nurse_a']}").fetch()
    )
    assert len(schedules) == 1
    day = today_paris() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    slots = (
        client.resources("Slot")
        .search(schedule=f"Schedule/{schedules[0].id}", start=[f"ge{day}", f"le{day}"])
        .limit(5)
        .fetch()
    )
    assert slots and slots[0]["status"] == "free"

    appointment = client.resource(
        "Appointment",
        status="booked",
        slot=[{"reference": f"Slot/{slots[0].id}"}],
        participant=[
            {"actor": {"reference": f"Patient/{world.persons['p1']}"}, "status": "accepted"}
        ],
    )
    appointment.save()
    assert appointment.id and appointment["start"] == slots[0]["start"]

    # the same slot twice: 409, an OperationOutcome in French
    twice = client.resource(
        "Appointment", status="booked", slot=[{"reference": f"Slot/{slots[0].id}"}]
    )
    with pytest.raises(FhirError) as refused:
        twice.save()
    outcome = json.loads(str(refused.value))
    assert outcome["issue"][0]["code"] == "conflict"
    assert "Créneau impossible" in outcome["issue"][0]["details"]["text"]

    read = client.reference("Appointment", appointment.id).to_resource()
    assert read["status"] == "booked"
    read["status"] = "cancelled"
    read["cancelationReason"] = {"text": "reporté à la demande de la personne"}
    read.save()
    again = client.reference("Appointment", appointment.id).to_resource()
    assert again["status"] == "cancelled"
    assert again["cancelationReason"]["text"] == "reporté à la demande de la personne"
