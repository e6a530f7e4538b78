"""The protocol between the directory and the plugins that import national registries.

A plugin contributes a :class:`DirectorySource` through the ``register_directory_sources`` hook.
Its ``importer`` only *reads* files: it turns a file into a stream of records
(:class:`StructureRecord`, :class:`ProfessionalRecord`) and of :class:`Rejected` lines. The core
does everything else, the same way for every source: validation of identifiers, one transaction
for the whole file, idempotent upserts (a record is matched on its national identifier), closing
what a complete extract no longer lists, the search index, the report and the audit entry.

An importer is any object with two methods::

    class MyImporter:
        def detect(self, path: Path, head: bytes) -> str | None:
            # Return the name of one of the source's formats if the file looks like it, else None.
            ...

        def read(
            self, path: Path, fmt: str, progress: Callable[[int, int], None]
        ) -> Iterable[Item]:
            # Yield StructureRecord / ProfessionalRecord / Rejected in file order, streaming the
            # file (never load it whole, nor a whole line: bound what one record may hold). A
            # Rejected for the record of an entry that the file does list gives its number in
            # ``reference`` with ``listed=True``: the entry is then not closed as absent. Call
            # progress(done, total) from time to time (bytes read so far, bytes to read in all:
            # a reader that reads the file twice announces twice its size). It may also yield
            # {"generated_at": "YYYY-MM-DD…"} once, the date of the extract, shown in the report.
            # Raise ImportFailed for an error that makes the whole file unusable (bad syntax,
            # wrong format, a file cut short: a last line without its end, a document that never
            # closes): the import is rolled back entirely.
            ...

A plain function ``read(path, fmt, progress)`` may be given instead of an object: it is then used
for every file of the source's only format (no detection).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

Kind = Literal["ET", "EJ"]


@dataclass
class StructureRecord:
    """A structure as a registry describes it.

    ``kind`` is ``"ET"`` (établissement, FINESS géographique) or ``"EJ"`` (entité juridique).
    Empty strings are treated as missing. ``line`` is the line of the file where the record starts
    (shown in the report when the core rejects it).
    """

    finess: str
    kind: Kind
    name: str
    line: int | None = None
    long_name: str | None = None
    ej_finess: str | None = None
    category_code: str | None = None
    category_label: str | None = None
    legal_status_code: str | None = None
    legal_status_label: str | None = None
    siret: str | None = None
    address_line: str | None = None
    address_extra: str | None = None
    postcode: str | None = None
    city: str | None = None
    commune_code: str | None = None
    departement: str | None = None
    lat: float | None = None
    lon: float | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    opened_on: str | None = None
    closed_on: str | None = None
    open: bool = True
    source_updated: str | None = None


@dataclass
class RoleRecord:
    """A professional's role in a structure, referenced by its FINESS number."""

    finess: str | None
    function: str | None = None
    phone: str | None = None
    mssante: str | None = None


@dataclass
class ProfessionalRecord:
    """A professional as a registry describes them (RPPS or ADELI is required)."""

    family_name: str
    given_name: str | None = None
    rpps: str | None = None
    adeli: str | None = None
    line: int | None = None
    civility: str | None = None
    profession_code: str | None = None
    profession_label: str | None = None
    specialties: list[dict[str, str]] = field(default_factory=list)
    mssante: str | None = None
    phone: str | None = None
    roles: list[RoleRecord] = field(default_factory=list)
    active: bool = True


@dataclass
class Rejected:
    """A line of the file that cannot be imported, and why (French, for the report).

    ``listed=True`` says that the line is the record of the entry ``reference`` (its FINESS
    number…), unusable but present: the entry is then left as it is, never closed as absent from
    the file. Leave it ``False`` when the line only mentions an entry (a geolocation of an
    establishment, the legal entity of an establishment).
    """

    line: int | None
    reason: str
    reference: str | None = None  # FINESS number, RPPS… when known
    listed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"ligne": self.line, "reference": self.reference, "motif": self.reason}


Item = StructureRecord | ProfessionalRecord | Rejected


class ImportFailed(Exception):
    """The file cannot be imported at all; nothing of it is kept. The message is French."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@runtime_checkable
class DirectoryImporter(Protocol):
    """What an importer object provides (see the module documentation)."""

    def detect(self, path: Path, head: bytes) -> str | None: ...

    def read(
        self, path: Path, fmt: str, progress: Callable[[int, int], None]
    ) -> Iterable[Item]: ...


@dataclass(frozen=True)
class SourceFormat:
    """One file format of a source.

    :param name: short identifier (``"finess-json"``), accepted by ``virage import --format``.
    :param label: French description.
    :param complete_kinds: what a file of this format lists *completely* (``"ET"``, ``"EJ"``,
        ``"PS"`` for professionals): after an import, the source's entries of those kinds that the
        file does not mention are marked closed (unless the import is declared partial).
    """

    name: str
    label: str
    complete_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DirectorySource:
    """A national registry that can feed the directory.

    :param name: identifier of the source (``"finess"``), used by ``virage import <name> PATH``
        and stored on every entry it created.
    :param label: French name shown in the interface.
    :param formats: the file formats it reads.
    :param importer: an object following :class:`DirectoryImporter`, or a ``read`` function.
    :param description: one French sentence for ``virage import --help`` and the interface.
    """

    name: str
    label: str
    formats: Sequence[SourceFormat]
    importer: DirectoryImporter | Callable[..., Iterable[Item]]
    description: str = ""

    def format_named(self, name: str) -> SourceFormat | None:
        return next((f for f in self.formats if f.name == name), None)
