"""The plugin manager of Virage, built by the application factory (never at import time).

- Plugins: entry-point group ``virage`` (allow-list ``VIRAGE_PLUGINS``); the core's: ``BUILTIN_PLUGINS``.
- Each plugin is called in isolation: a failure is reported, the rest keeps working
  (``VIRAGE_TRACE_HOOKS=1`` logs every hook call). Hooks belong to who defines them (kernel,
  domains, plugins: ``register_hookspecs``); an implementation off its spec unregisters its plugin.
- A plugin declares the :mod:`virage.sdk` versions it supports (``VIRAGE_SDK = ">=1,<2"``).
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from virage import hookspecs
from virage.settings import Settings
from virage.version import SDK_VERSION

log = logging.getLogger("virage.plugins")

hookimpl = pluggy.HookimplMarker("virage")

ENTRY_POINT_GROUP = "virage"

#: Core features, registered through the same hooks as external plugins.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "virage.system.plugin",
    "virage.accounts.plugin",
    "virage.audit.plugin",
    "virage.transmissions.plugin",
    "virage.directory.plugin",
    "virage.agenda.plugin",
    "virage.agenda.transmission_visits",
    "virage.directory.copying",
    "virage.accounts.structures_plugin",
    "virage.agenda.settings_section",
    "virage.transmissions.settings_section",
    "virage.directory.import_plugin",
    "virage.entourage.plugin",
    "virage.dossier.plugin",
    "virage.documents.plugin",
    "virage.indicators.plugin",
    "virage.library.plugin",
    "virage.inboxes.plugin",
    "virage.messaging.plugin",
)


@dataclass
class PluginFailure:
    """A plugin that could not be loaded, or whose hook raised."""

    plugin: str
    stage: str  # "load", "register" or the hook name
    error: str

    def as_dict(self) -> dict[str, str]:
        return {"plugin": self.plugin, "stage": self.stage, "error": self.error}


@dataclass
class PluginRecord:
    name: str
    version: str | None
    distribution: str | None
    builtin: bool
    module: Any = field(repr=False, default=None)
    sdk: str | None = None
    """The versions of :mod:`virage.sdk` the plugin declares it supports (``VIRAGE_SDK``)."""


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class IncompatiblePlugin(Exception):
    """A plugin declares SDK versions that this Virage does not provide."""


def _check_sdk(plugin: Any, name: str) -> str | None:
    """The plugin's declared SDK range (``VIRAGE_SDK``), checked against :data:`SDK_VERSION`."""
    declared = getattr(plugin, "VIRAGE_SDK", None)
    if declared is None:
        return None
    try:
        accepted = SpecifierSet(str(declared))
    except InvalidSpecifier:
        raise IncompatiblePlugin(
            f'VIRAGE_SDK = {declared!r} n\'est pas une plage de versions (exemple : ">=1,<2")'
        ) from None
    if Version(SDK_VERSION) not in accepted:
        raise IncompatiblePlugin(
            f"le plugin {name} demande le SDK Virage {declared}, ce Virage fournit le SDK "
            f"{SDK_VERSION} : installez une version du plugin compatible"
        )
    return str(declared)


async def await_me_maybe(value: Any) -> Any:
    """Resolve a hook result that may be a value, a callable, or an awaitable."""
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value


def _resolve_sync(value: Any) -> Any:
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        close = getattr(value, "close", None)
        if close:
            close()
        raise TypeError("this hook is called synchronously: return a value, not an awaitable")
    return value


class PluginHost:
    """Owns the pluggy manager of one application (or one CLI run)."""

    def __init__(self, settings: Settings, extra_plugins: Iterable[Any] = ()) -> None:
        self.settings = settings
        self.pm = pluggy.PluginManager("virage")
        self.pm.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self.records: dict[str, PluginRecord] = {}
        self._undo_tracing = None
        if settings.trace_hooks:
            self.enable_tracing()
        for module_name in BUILTIN_PLUGINS:
            # Built-ins are part of the core: an error there is a bug and must surface.
            module = importlib.import_module(module_name)
            self._register(module, module_name, version=None, distribution=None, builtin=True)
        self._load_entry_points()
        for i, plugin in enumerate(extra_plugins):
            name = getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{i}"
            self._safe_register(plugin, name, version=None, distribution=None)
        self._add_hookspecs()

    def _add_hookspecs(self) -> None:
        """Add the hookspecs of the domains and plugins (hook ``register_hookspecs``)."""
        for impl in self._impls("register_hookspecs"):
            try:
                specs = list(_resolve_sync(impl.function()) or [])
                for spec in specs:
                    self.pm.add_hookspecs(spec)
            except Exception as exc:
                if (
                    self.records.get(impl.plugin_name, None)
                    and self.records[impl.plugin_name].builtin
                ):
                    raise
                self._fail(impl.plugin_name, "register_hookspecs", exc)
                self.unregister(impl.plugin_name)
        # An implementation of a hook nobody declares is a typo or a missing dependency: say so.
        for name in self.pm.hook.__dict__:
            hook = getattr(self.pm.hook, name)
            if isinstance(hook, pluggy.HookCaller) and not hook.has_spec():
                for impl in hook.get_hookimpls():
                    self.failures.append(
                        PluginFailure(
                            impl.plugin_name,
                            name,
                            "hook inconnu : aucun plugin ni domaine ne le déclare (nom mal "
                            "écrit, ou plugin qui le déclare absent)",
                        )
                    )

    # ------------------------------------------------------------------ loading

    def _allowed(self, name: str) -> bool:
        allow = self.settings.plugins
        return allow is None or name in allow

    def _load_entry_points(self) -> None:
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if not self._allowed(ep.name):
                log.info("Plugin %s ignored (not in VIRAGE_PLUGINS)", ep.name)
                continue
            dist = getattr(ep, "dist", None)
            try:
                module = ep.load()
            except Exception as exc:
                self._fail(ep.name, "load", exc)
                continue
            self._safe_register(
                module,
                ep.name,
                version=dist.version if dist else None,
                distribution=dist.name if dist else None,
            )
        if self.settings.plugins:
            missing = (
                set(self.settings.plugins) - set(self.records) - {f.plugin for f in self.failures}
            )
            for name in sorted(missing):
                self.failures.append(
                    PluginFailure(
                        name, "load", "plugin demandé dans VIRAGE_PLUGINS mais non installé"
                    )
                )

    def _register(self, plugin, name, *, version, distribution, builtin=False) -> None:
        sdk = None if builtin else _check_sdk(plugin, name)
        self.pm.register(plugin, name=name)
        self.records[name] = PluginRecord(name, version, distribution, builtin, plugin, sdk)

    def _safe_register(self, plugin, name, *, version, distribution) -> None:
        try:
            self._register(plugin, name, version=version, distribution=distribution)
        except Exception as exc:
            self._fail(name, "register", exc)

    def _fail(self, plugin: str, stage: str, exc: BaseException) -> None:
        failure = PluginFailure(plugin, stage, _describe(exc))
        self.failures.append(failure)
        log.error("Plugin %s failed (%s): %s", plugin, stage, failure.error)

    def register(self, plugin: Any, name: str | None = None) -> str:
        """Register a plugin object at run time (tests use this, and ``unregister`` in ``finally``)."""
        name = name or getattr(plugin, "__name__", None) or repr(plugin)
        self._register(plugin, name, version=None, distribution=None)
        return name

    def record_failure(self, plugin: str, stage: str, error: str) -> None:
        """Report a plugin's faulty contribution (listed by ``virage plugins``, logged)."""
        self.failures.append(PluginFailure(plugin, stage, error))
        log.error("Plugin %s failed (%s): %s", plugin, stage, error)

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.records.pop(name, None)

    # ------------------------------------------------------------------ calling

    def _impls(self, hook_name: str):
        hook = getattr(self.pm.hook, hook_name)
        # pluggy calls the last registered first; keep that order for contributions
        return [i for i in reversed(hook.get_hookimpls()) if not (i.hookwrapper or i.wrapper)]

    def _trace(self, hook_name: str, plugin: str, kwargs: dict, result: Any) -> None:
        if self.settings.trace_hooks:
            log.info("hook %s <- %s(%s) = %r", hook_name, plugin, ", ".join(kwargs), result)

    def _each(
        self,
        hook_name: str,
        kwargs: dict[str, Any],
        *,
        firstresult: bool = False,
        as_list: bool = False,
    ) -> Iterator[tuple[str, Any]]:
        """Call each implementation in isolation; yield (plugin name, non-None result).

        A plugin that raises (or, with ``as_list``, returns something that is not a list) is
        recorded in ``failures`` and skipped. Callables are called; awaitables are refused here.
        """
        for impl in self._impls(hook_name):
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                res = _resolve_sync(impl.function(**args))
                if as_list and res is not None:
                    res = list(res)
            except Exception as exc:
                self._fail(impl.plugin_name, hook_name, exc)
                continue
            self._trace(hook_name, impl.plugin_name, args, res)
            if res is not None:
                yield impl.plugin_name, res
                if firstresult:
                    return

    def call(self, hook_name: str, *, firstresult: bool = False, **kwargs: Any) -> list[Any]:
        """Call every implementation of a hook, each isolated; return the non-``None`` results."""
        return [res for _, res in self._each(hook_name, kwargs, firstresult=firstresult)]

    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Like ``call`` but returns ``(plugin name, result)`` pairs, results kept whole."""
        return list(self._each(hook_name, kwargs))

    def call_flat(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a hook whose implementations return lists, and concatenate them."""
        return [item for _, res in self._each(hook_name, kwargs, as_list=True) for item in res]

    def call_per_plugin(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Like ``call_flat`` but keeps which plugin contributed each item."""
        return [
            (name, item)
            for name, res in self._each(hook_name, kwargs, as_list=True)
            for item in res
        ]

    def contributions(
        self, hook_name: str, expected: type | tuple[type, ...], **kwargs: Any
    ) -> list[tuple[str, Any]]:
        """Collect what plugins contribute through a ``register_*`` hook, checked.

        Each implementation is called in isolation; every item that is not an ``expected``
        instance is reported as a failure of its plugin and left out. Returns ``(plugin name,
        item)`` pairs in registration order.
        """
        kept = []
        for name, item in self.call_per_plugin(hook_name, **kwargs):
            if isinstance(item, expected):
                kept.append((name, item))
            else:
                wanted = " ou ".join(
                    t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,))
                )
                self.record_failure(name, hook_name, f"{wanted} attendu, reçu {item!r:.80}")
        return kept

    async def acall(self, hook_name: str, *, firstresult: bool = False, **kwargs: Any) -> list[Any]:
        """Like ``call`` but awaits awaitable results."""
        results = []
        for impl in self._impls(hook_name):
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                res = await await_me_maybe(impl.function(**args))
            except Exception as exc:
                self._fail(impl.plugin_name, hook_name, exc)
                continue
            self._trace(hook_name, impl.plugin_name, args, res)
            if res is not None:
                results.append(res)
                if firstresult:
                    break
        return results

    # ------------------------------------------------------------------ tracing & listing

    def enable_tracing(self) -> None:
        """Also trace calls made directly through ``pm.hook`` (pluggy's monitoring)."""

        def before(hook_name, hook_impls, kwargs):
            log.info("hook %s called for %s", hook_name, [i.plugin_name for i in hook_impls])

        def after(outcome, hook_name, hook_impls, kwargs):
            log.info("hook %s returned %r", hook_name, outcome.get_result())

        self._undo_tracing = self.pm.add_hookcall_monitoring(before, after)

    def listing(self, *, include_builtins: bool = False) -> list[dict[str, Any]]:
        """Name, version and implemented hooks of each plugin, as shown by ``virage plugins``."""
        failed: dict[str, list[dict]] = {}
        for f in self.failures:
            failed.setdefault(f.plugin, []).append({"stage": f.stage, "error": f.error})
        out = []
        for name, rec in sorted(self.records.items()):
            if rec.builtin and not include_builtins:
                continue
            plugin = self.pm.get_plugin(name)
            hooks = (
                sorted(h.name for h in (self.pm.get_hookcallers(plugin) or [])) if plugin else []
            )
            info = {}
            if plugin is not None:
                for impl in self.pm.hook.extra_plugin_info.get_hookimpls():
                    if impl.plugin_name == name:
                        try:
                            info = _resolve_sync(impl.function()) or {}
                        except Exception as exc:
                            self._fail(name, "extra_plugin_info", exc)
            out.append(
                {
                    "name": name,
                    "version": rec.version,
                    "distribution": rec.distribution,
                    "builtin": rec.builtin,
                    "hooks": hooks,
                    "info": info,
                    "status": "error" if name in failed else "ok",
                    "errors": failed.pop(name, []),
                }
            )
        # plugins that never got registered (failed to load)
        for name, errors in sorted(failed.items()):
            out.append(
                {
                    "name": name,
                    "version": None,
                    "distribution": None,
                    "builtin": False,
                    "hooks": [],
                    "info": {},
                    "status": "error",
                    "errors": errors,
                }
            )
        return out
