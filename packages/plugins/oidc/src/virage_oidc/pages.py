"""The administration page of the links (``/administration/sso``), assembled for the template."""

from __future__ import annotations

from litestar.response import Template

from virage.sdk import AccessContext, accounts
from virage_oidc import service, storage
from virage_oidc.config import OidcConfig


def _name(db, user_id: int | None) -> str:
    user = accounts.user(db, user_id) if user_id else None
    return user["display_name"] if user else "—"


def _professional_label(db, cfg: OidcConfig, identifier: str) -> str:
    found = service.professional(db, cfg, identifier)
    if found is None:
        return "absent de l'annuaire" if cfg.is_psc else ""
    label = " ".join(p for p in (found.get("given_name"), found.get("family_name")) if p)
    profession = found.get("profession_label") or ""
    return f"{label} ({profession})" if profession and label else label


def _shown(cfg: OidcConfig, identifier: str) -> str:
    """Pro Santé Connect's identifier is « 8 » and the RPPS number: show the RPPS number."""
    if cfg.is_psc and identifier.startswith("8") and len(identifier) == 12:
        return f"RPPS {identifier[1:]}"
    return identifier


def admin_page(
    access: AccessContext, cfg: OidcConfig | None, error: str | None = None, status: int = 200
) -> Template:
    scope = service.scope_of(access)
    context: dict = {"cfg": cfg, "erreur": error, "links": [], "proposals": [], "unlinked": []}
    if cfg is not None:
        db = access.db
        members = service.accounts_in_scope(access, scope)
        ids = [m["id"] for m in members]
        rows = storage.links(db, cfg.issuer, None if scope.structure_ids is None else ids)
        linked = {r["user_id"] for r in rows}
        context["links"] = [
            {
                "id": r["id"],
                "account": _name(db, r["user_id"]),
                "identifier": _shown(cfg, r["identifier"]),
                "professional": _professional_label(db, cfg, r["identifier"]),
                "created_at": r["created_at"],
                "created_by": _name(db, r["created_by"]),
            }
            for r in rows
        ]
        for member in members:
            if member["id"] in linked:
                continue
            context["unlinked"].append(member)
            user = accounts.user(db, member["id"]) or {}
            rpps = user.get("rpps")
            if cfg.is_psc and rpps and storage.link_for(db, cfg.issuer, "8" + rpps) is None:
                context["proposals"].append(
                    {
                        "user_id": member["id"],
                        "account": member["display_name"],
                        "rpps": rpps,
                        "professional": _professional_label(db, cfg, "8" + rpps),
                    }
                )
        context["provider"] = "Pro Santé Connect" if cfg.is_psc else cfg.issuer
    return Template("oidc/admin.html", context=context, status_code=status)
