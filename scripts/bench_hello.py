"""The ceiling for scripts/bench-http: a bare Litestar app answering a small JSON document."""

from litestar import Litestar, get


@get("/")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


app = Litestar([hello])
