"""``/administration/annuaire/import``: import a registry file (FINESS…) from the browser, for the
network administrator, with its progress (the page refreshes itself: no JavaScript needed)."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, Plugins
from virage.directory import import_jobs
from virage.errors import Conflict, InvalidInput

PAGE = "/administration/annuaire/import"


def _form_context(access, plugins, **extra) -> dict:
    return {
        "sources": import_jobs.sources(plugins),
        "running": import_jobs.running(),
        "max_mb": import_jobs.MAX_UPLOAD_BYTES // (1024 * 1024),
        **extra,
    }


class DirectoryImportPages(Controller):
    path = PAGE
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="directory-import-web")
    async def form(self, access: Access, plugins: Plugins) -> Template:
        access.require("directory.import", action="directory.import.form")
        return Template("directory/import_web.html", context=_form_context(access, plugins))

    @post("/", status_code=303, request_max_body_size=import_jobs.MAX_UPLOAD_BYTES + 1024 * 1024)
    async def start(self, request: Request, access: Access, plugins: Plugins) -> Response:
        access.require("directory.import", action="directory.import.start")
        form = await request.form()
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("Choisissez le fichier à importer.")
            job = import_jobs.start(
                access,
                plugins,
                request.app.state.pool,
                str(form.get("source", "")),
                upload.file,
                upload.filename,
                partial=form.get("partiel") == "1",
                confirmed=form.get("confirmer") == "1",
            )
        except (InvalidInput, Conflict) as exc:
            context = _form_context(access, plugins, erreur=exc.message)
            return Template("directory/import_web.html", context=context, status_code=400)
        return Redirect(f"{PAGE}/{job.id}", status_code=303)

    @get("/{job_id:str}", name="directory-import-progress")
    async def progress(self, access: Access, job_id: FromPath[str]) -> Template:
        job = import_jobs.get(access, job_id)
        return Template("directory/import_progress.html", context={"job": job})

    @get("/{job_id:str}/etat", name="directory-import-state", media_type="application/json")
    async def state(self, access: Access, job_id: FromPath[str]) -> dict:
        return import_jobs.get(access, job_id).as_dict()
