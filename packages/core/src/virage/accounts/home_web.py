"""``/``: the home by role (:mod:`virage.accounts.home`), a redirect or a page rendered here."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Redirect, Template

from virage.accounts import home
from virage.deps import Access, Plugins


class HomePage(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="home", cache=False)
    async def home(self, access: Access, plugins: Plugins) -> Template | Redirect:
        from virage.agenda.timeutil import long_date, today_paris

        target = home.home_for(access.db, access.actor)
        if target.href:
            return Redirect(target.href, status_code=303)
        if target.page == "coordination":
            day = today_paris()
            return Template(
                "coordination.html",
                context={
                    "blocks": home.coordination(access, day),
                    "day_label": long_date(day),
                    "failures": plugins.failures,
                },
            )
        return Template("home.html", context={"failures": plugins.failures})
