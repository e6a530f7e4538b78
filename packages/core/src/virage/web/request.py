"""The request class of the application: a body that cannot be read is the sender's error (400).

Litestar decodes JSON bodies with msgspec, which raises ``RecursionError`` on documents nested
deeper than it accepts and ``UnicodeDecodeError`` on bytes that are not UTF-8; both reach the
generic handler as server errors. Here they become ``InvalidInput`` with a French message, for
every route (core and plugins) and before any authentication decision needs the body.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException

from virage.errors import InvalidInput

NESTING_MESSAGE = (
    "Le document JSON envoyé est imbriqué trop profondément : envoyez des objets et des listes "
    "de quelques niveaux seulement."
)
ENCODING_MESSAGE = (
    "Le document envoyé n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 puis renvoyez-le."
)
SYNTAX_MESSAGE = "Le document JSON envoyé est illisible : vérifiez sa syntaxe."


class VirageRequest(Request):
    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise InvalidInput(NESTING_MESSAGE) from None
        except UnicodeDecodeError:
            raise InvalidInput(ENCODING_MESSAGE) from None
        except SerializationException:
            raise InvalidInput(SYNTAX_MESSAGE) from None
