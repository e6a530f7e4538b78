"""MkDocs hook: two developer pages generated from the code at build time.

- « API publique pour les plugins » (``developpeurs/sdk.md``): the marker
  ``<!-- sdk:reference -->`` becomes one table per module of :mod:`virage.sdk`, listing every
  name of its ``__all__`` with its kind, its signature and the first line of its docstring.
- « Catalogue des plugins » (``developpeurs/catalogue.md``): the marker
  ``<!-- plugins:catalogue -->`` becomes one section per installed plugin, read from its
  metadata through the plugin host (name, version, SDK range, hooks, permissions and pages added).

Declared in ``mkdocs.yml`` under ``hooks:``. Nothing here is written by hand, so the pages cannot
drift from the code; ``tests/docs/test_plugin_pages.py`` checks both.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

SDK_MARKER = "<!-- sdk:reference -->"
CATALOGUE_MARKER = "<!-- plugins:catalogue -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _kind(obj: Any) -> str:
    if typing.get_origin(obj) is typing.Annotated:
        return "dépendance (handler Litestar)"
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "classe"
    if callable(obj):
        return "fonction"
    return "valeur"


def _summary(obj: Any) -> str:
    if not (inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj)):
        return ""
    doc = inspect.getdoc(obj) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def _signature(name: str, obj: Any) -> str:
    if inspect.isroutine(obj) or inspect.isclass(obj):
        try:
            sig = str(inspect.signature(obj))
        except (TypeError, ValueError):
            sig = "(…)"
        if len(sig) > 90:
            sig = "(…)"
        return f"`{name}{sig}`"
    return f"`{name}`"


def sdk_tables() -> str:
    """Markdown tables of every public name of ``virage.sdk`` and its sub-modules."""
    import virage.sdk as sdk
    import virage.sdk.testing as testing

    modules = [("virage.sdk", sdk)]
    modules += [
        (f"virage.sdk.{n}", getattr(sdk, n))
        for n in sdk.__all__
        if inspect.ismodule(getattr(sdk, n))
    ]
    modules.append(("virage.sdk.testing", testing))
    out = [f"Version du SDK : **{sdk.SDK_VERSION}**.", ""]
    for module_name, module in modules:
        out += [f"### `{module_name}`", "", _summary(module), ""]
        out += ["| Nom | Nature | Vient de | Résumé |", "| --- | --- | --- | --- |"]
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            origin = (
                getattr(obj, "__module__", None)
                if inspect.isclass(obj) or inspect.isroutine(obj)
                else None
            )
            out.append(
                f"| {_signature(name, obj)} | {_kind(obj)} | "
                f"{'`' + origin + '`' if origin else ''} | {_cell(_summary(obj))} |"
            )
        out.append("")
    return "\n".join(out)


def catalogue() -> str:
    """One section per installed plugin (not the core's built-in domains)."""
    from virage.plugins import PluginHost
    from virage.settings import Settings

    host = PluginHost(Settings(plugins=None))
    out = []
    for entry in host.listing():
        record = host.records.get(entry["name"])
        module = record.module if record else None
        out += [f"### {entry['name']}", ""]
        doc = (entry.get("info") or {}).get("description") or (
            _summary(module) if module is not None else ""
        )
        if doc:
            out += [doc, ""]
        out.append(
            f"- **Paquet** : `{entry['distribution'] or '—'}`, version {entry['version'] or '—'}"
        )
        sdk = record.sdk if record else None
        out.append(
            f"- **Compatibilité** : SDK Virage `{sdk}`"
            if sdk
            else "- **Compatibilité** : non déclarée (`VIRAGE_SDK` absent)"
        )
        out.append("- **Hooks implémentés** : " + ", ".join(f"`{h}`" for h in entry["hooks"]))
        perms = _contributions(host, entry["name"], "register_permissions")
        if perms:
            out.append(
                "- **Permissions ajoutées** : "
                + ", ".join(f"`{p.name}` ({p.label})" for p in perms)
            )
        pages = [n.href for n in _contributions(host, entry["name"], "register_nav_items")]
        if pages:
            out.append("- **Pages au menu** : " + ", ".join(f"`{p}`" for p in pages))
        specs = _own_hookspecs(host, entry["name"])
        if specs:
            out.append("- **Hooks déclarés** : " + ", ".join(f"`{s}`" for s in specs))
        if entry["status"] != "ok":
            out.append("- **En erreur** : " + "; ".join(e["error"] for e in entry["errors"]))
        out.append("")
    if not out:
        out = ["Aucun plugin installé."]
    return "\n".join(out)


def _contributions(host: Any, plugin: str, hook: str) -> list:
    from virage.settings import Settings

    caller = getattr(host.pm.hook, hook)
    for impl in caller.get_hookimpls():
        if impl.plugin_name == plugin:
            args = {"settings": Settings()} if "settings" in impl.argnames else {}
            try:
                return list(impl.function(**args) or [])
            except Exception:  # a plugin failing here is already listed in error
                return []
    return []


def _own_hookspecs(host: Any, plugin: str) -> list[str]:
    for impl in host.pm.hook.register_hookspecs.get_hookimpls():
        if impl.plugin_name == plugin:
            names = []
            for spec in impl.function() or []:
                names += [n for n, f in vars(spec).items() if hasattr(f, "virage_spec")]
            return sorted(names)
    return []


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if SDK_MARKER in markdown:
        markdown = markdown.replace(SDK_MARKER, sdk_tables())
    if CATALOGUE_MARKER in markdown:
        markdown = markdown.replace(CATALOGUE_MARKER, catalogue())
    return markdown
