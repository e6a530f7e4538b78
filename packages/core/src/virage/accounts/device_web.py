"""``GET /moi/cle-appareil``: the key with which the page encrypts what it keeps on the device.

Asked by ``/static/device-store.js`` on every page of a signed-in user. Answered only for a web
session (cookie), never cached (``Cache-Control: no-store``): the key is kept in the page's memory,
never written to the device. See :mod:`virage.accounts.device_keys`.
"""

from __future__ import annotations

from litestar import Controller, MediaType, Request, get
from litestar.response import Response

from virage.accounts import device_keys
from virage.accounts.auth import require_actor_guard
from virage.deps import DB
from virage.errors import NotAuthenticated

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class DeviceKeyPages(Controller):
    path = "/moi"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/cle-appareil", name="device-key", media_type=MediaType.JSON)
    async def device_key(self, request: Request, db: DB) -> Response:
        actor = request.scope["user"]
        if not actor.session_id:
            raise NotAuthenticated("Connectez-vous pour accéder à cette page.")
        return Response(
            {
                "user": actor.user_id,
                "key": device_keys.for_session(db, actor.session_id, actor.user_id),
                "previous": device_keys.previous(db, actor.session_id, actor.user_id),
            },
            headers=NO_STORE,
        )
