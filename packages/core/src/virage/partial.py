"""Bodies of partial updates (HTTP ``PATCH``): a field left out stays as it is.

A ``null`` sent for a field means « empty it », which only a column that may be empty accepts.
Every partial-update model derives from :class:`PartialUpdate` and names those columns in
``clearable``; a ``null`` for any other field is refused at the boundary with a message a person
can act on, instead of reaching the storage where a ``NOT NULL`` column would fail. Fields that
cannot be emptied are typed without ``None`` (so the OpenAPI document says they are not
nullable) and default to ``None`` only to mean « not sent ».
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator


class PartialUpdate(BaseModel):
    """Base of the ``PATCH`` bodies (see the module docstring)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    #: Fields that ``null`` empties (their column may be empty).
    clearable: ClassVar[frozenset[str]] = frozenset()
    #: Fields that do not count as a change (e.g. ``force``).
    modifiers: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, value in data.items():
                if value is None and name in cls.model_fields and name not in cls.clearable:
                    raise ValueError(
                        f"« {name} » ne peut pas être vide : "
                        "ne l'envoyez pas pour le laisser tel quel"
                    )
        return data

    @model_validator(mode="after")
    def _not_empty(self) -> PartialUpdate:
        if not (self.model_fields_set - self.modifiers):
            raise ValueError("aucun champ à modifier")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields sent (JSON-compatible values), ``None`` only for clearable ones."""
        return self.model_dump(mode="json", exclude_unset=True)
