"""Reader of the ANS FINESS JSON flux « Structures » (schema v1.0.x).

The file is streamed: it is read in pieces of at most ``CHUNK_BYTES`` (a line, or a part of a long
line: a file without line breaks is streamed all the same) and fed to two incremental parsers of
ijson's C backend working in step:

- a *guard* sees every event (without building anything) before the other parser gets the piece:
  it bounds the nesting depth (``MAX_DEPTH``; the flux needs 8 levels) and the size of a legal
  entity (``MAX_ENTITY_BYTES``) and of a single value (``MAX_VALUE_BYTES``), finds the metadata,
  and notes the line where each legal entity (``pmej[]``) and each establishment (``pmej[].ege[]``)
  starts;
- a *builder* turns each complete legal entity into Python objects, one at a time
  (:func:`~virage_finess.json_records.records_of_entity` then makes the records).

Peak memory is therefore one piece, one legal entity and its establishments, whatever the size or
the layout of the file. ``schemaVersion``/``generatedAt`` are accepted at the top level (as in the
published sample) or inside ``metadata`` (as the schema says). Groupings (``gcc``, ``gco``) are
read past: the directory does not use them. There is no record count nor trailer in this format: a
truncated file is a JSON document that never closes, and is refused whole.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

import ijson

from virage.sdk import ImportFailed, Item
from virage_finess.json_records import records_of_entity

FORMAT = "finess-json"
PROGRESS_EVERY = 256 * 1024
#: Pieces fed to the parsers: a line, or a part of a line longer than this.
CHUNK_BYTES = 64 * 1024
#: The flux nests 8 levels deep (pmej → ege → adresse → coordonneesGeographique…).
MAX_DEPTH = 32
#: A legal entity with its establishments (a few kB each in the real flux; the largest networks
#: have some hundreds of establishments).
MAX_ENTITY_BYTES = 16 * 1024 * 1024
#: A single value (a text, a number): nothing in the flux comes near.
MAX_VALUE_BYTES = 1024 * 1024

_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")
_METADATA = ("schemaVersion", "generatedAt")
_TOO_DEEP = (
    f"structure JSON trop profonde (plus de {MAX_DEPTH} niveaux imbriqués) : ce n'est pas un "
    "flux FINESS"
)
_NOT_AN_OBJECT = "le fichier n'est pas un objet JSON : ce n'est pas un flux FINESS"


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and (b'"pmej"' in head or b'"schemaVersion"' in head)


class _Guard:
    """Follows the basic events of the flux: depth, sizes, metadata, where records start."""

    def __init__(self) -> None:
        self.depth = 0
        self.top_key: str | None = None
        self.meta_key: str | None = None
        self.entity_key: str | None = None
        self.started = False
        self.seen_pmej = False
        self.entity_since: int | None = None  # bytes read when the current entity started
        self.starts: deque[tuple[int, list[int]]] = deque()  # (entity line, establishment lines)
        self.metadata: list[tuple[str, str]] = []

    def events(self, events: list, line: int, done: int) -> None:
        depth, in_pmej = self.depth, self.top_key == "pmej"
        try:
            for event, value in events:
                if depth > 3:  # inside a legal entity's fields: only the depth matters here
                    if event == "start_map" or event == "start_array":
                        depth += 1
                        if depth > MAX_DEPTH:
                            raise ImportFailed(_TOO_DEEP, line)
                        if depth == 5 and in_pmej and self.entity_key == "ege":
                            self.starts[-1][1].append(line)
                    elif event == "end_map" or event == "end_array":
                        depth -= 1
                elif event == "map_key":
                    if depth == 1:
                        self.top_key, in_pmej = value, value == "pmej"
                    elif depth == 2 and self.top_key == "metadata":
                        self.meta_key = value
                    elif depth == 3 and in_pmej:
                        self.entity_key = value
                elif event in _STARTS:
                    depth += 1
                    self._start(event, depth, in_pmej, line, done)
                elif event in _ENDS:
                    depth -= 1
                    if in_pmej and depth == 2:
                        self.entity_since = None
                elif not self.started:
                    raise ImportFailed(_NOT_AN_OBJECT, line)
                elif in_pmej and depth == 2:
                    raise ImportFailed("chaque élément de « pmej » doit être un objet", line)
                elif event == "string" and (
                    (depth == 1 and self.top_key in _METADATA)
                    or (depth == 2 and self.top_key == "metadata" and self.meta_key in _METADATA)
                ):
                    self.metadata.append((self.top_key if depth == 1 else self.meta_key, value))
        finally:
            self.depth = depth

    def _start(self, event: str, depth: int, in_pmej: bool, line: int, done: int) -> None:
        if not self.started:
            self.started = True
            if event != "start_map":
                raise ImportFailed(_NOT_AN_OBJECT, line)
        elif in_pmej and depth == 2:
            if event != "start_array":
                raise ImportFailed("« pmej » doit être une liste d'entités juridiques", line)
            self.seen_pmej = True
        elif in_pmej and depth == 3:
            if event != "start_map":
                raise ImportFailed("chaque élément de « pmej » doit être un objet", line)
            self.starts.append((line, []))
            self.entity_since, self.entity_key = done, None

    def check_sizes(self, line: int, done: int, quiet_since: int) -> None:
        if self.entity_since is not None and done - self.entity_since > MAX_ENTITY_BYTES:
            raise ImportFailed(
                f"entité juridique démesurée (plus de {_size(MAX_ENTITY_BYTES)}) : le fichier "
                "n'est pas un flux FINESS valide",
                self.starts[-1][0] if self.starts else line,
            )
        if done - quiet_since > MAX_VALUE_BYTES:
            raise ImportFailed(
                f"valeur démesurée (plus de {_size(MAX_VALUE_BYTES)} d'un seul tenant) : le "
                "fichier n'est pas un flux FINESS valide",
                line,
            )


def read(path: Path, progress: Callable[[int, int], None]) -> Iterator[Item]:
    """Stream the records of a FINESS JSON flux (see the module documentation)."""
    total = path.stat().st_size
    guard = _Guard()
    basic_events = ijson.sendable_list()
    basic = ijson.basic_parse_coro(basic_events, use_float=True)
    entities = ijson.sendable_list()
    builder = ijson.items_coro(entities, "pmej.item", use_float=True)
    checked: list[bytes] = []  # pieces seen by the guard, not yet given to the builder
    checked_bytes = done = reported = quiet_since = 0
    line = next_line = 1
    with path.open("rb") as f:
        readline = f.readline
        while piece := readline(CHUNK_BYTES):
            line = next_line
            if piece[-1:] == b"\n":
                next_line += 1
            done += len(piece)
            try:
                basic.send(piece)
            except ijson.JSONError as exc:
                raise ImportFailed(f"JSON invalide ({_reason(exc)})", line) from None
            if basic_events:
                quiet_since = done
                guard.events(basic_events, line, done)
                del basic_events[:]
                if guard.metadata:
                    yield from _metadata(guard, line)
            elif done - quiet_since > MAX_VALUE_BYTES:
                guard.check_sizes(line, done, quiet_since)
            if guard.entity_since is not None and done - guard.entity_since > MAX_ENTITY_BYTES:
                guard.check_sizes(line, done, quiet_since)
            # The builder gets the pieces the guard has passed, a few at a time.
            checked.append(piece)
            checked_bytes += len(piece)
            if checked_bytes >= CHUNK_BYTES:
                yield from _build(builder, checked, entities, guard)
                checked_bytes = 0
                if done - reported >= PROGRESS_EVERY:
                    progress(done, total)
                    reported = done
        try:
            basic.close()
        except ijson.JSONError as exc:
            raise ImportFailed(
                f"JSON incomplet ({_reason(exc)}) : le fichier est tronqué", line
            ) from None
        yield from _build(builder, checked, entities, guard)
    if not guard.started:
        raise ImportFailed("le fichier est vide")
    if not guard.seen_pmej:
        raise ImportFailed(
            "aucune liste « pmej » (entités juridiques) : ce n'est pas un flux Structures FINESS"
        )
    progress(total, total)


def _build(builder, checked: list[bytes], entities: list, guard: _Guard) -> Iterator[Item]:
    builder.send(b"".join(checked))
    checked.clear()
    for entity in entities:
        start_line, ege_lines = guard.starts.popleft()
        yield from records_of_entity(entity, start_line, ege_lines)
    del entities[:]


def _metadata(guard: _Guard, line: int) -> Iterator[dict[str, str]]:
    for key, value in guard.metadata:
        if key == "generatedAt":
            yield {"generated_at": value}
        elif not value.lstrip("v").startswith("1."):
            raise ImportFailed(
                f"version de schéma {value} non prise en charge (1.x attendue)", line
            )
    guard.metadata.clear()


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} Mo" if n >= 1024 * 1024 else f"{n // 1024} ko"


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
