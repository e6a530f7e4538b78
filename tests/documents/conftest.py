"""Fixtures of the documents: the accounts' small world (structures a/b, every role, p1/p2)."""

from __future__ import annotations

import io

from PIL import Image

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def jpeg(size=(120, 80), color="blue", exif=None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


def upload(
    http, the_world, name, person="p1", *, data=PDF, filename="doc.pdf", kind="contract", **form
):
    return http.post(
        f"/api/personnes/{the_world.persons[person]}/documents",
        files={"file": (filename, data, "application/octet-stream")},
        data={"kind": kind, **form},
        headers=bearer(the_world, name),
    )
