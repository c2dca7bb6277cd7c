"""Deprecated module paths of govreport 0.1, kept working until 0.3 with a ``DeprecationWarning``.

0.2 moved the modules into packages by pipeline stage (``docs/architecture.md``). An import of an old
path (``govreport.rows``, ``govreport._text`` …) gets a small forwarding module whose attributes are
looked up in the new homes, so every class is the very same object as before; plugins should import
from :mod:`govreport.plugins` instead.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings
from collections.abc import Sequence
from typing import Any

REMOVED_IN = "0.3"

MOVED: dict[str, tuple[str, ...]] = {
    "govreport._text": ("govreport.text.normalise", "govreport.sources.text"),
    "govreport.rows": ("govreport.parsers.rows",),
    "govreport.sections": ("govreport.text.sections",),
    "govreport.solver": ("govreport.parsers.solver",),
    "govreport.rules": ("govreport.checks.rules",),
    "govreport.pinpoint": ("govreport.checks.pinpoint", "govreport.template"),
    "govreport.narrative": ("govreport.checks.narrative", "govreport.text.statements"),
    "govreport.series": ("govreport.checks.series",),
    "govreport.convert": ("govreport.export.convert",),
    "govreport.sinks": ("govreport.export.sinks",),
    "govreport.dataframe": ("govreport.export.dataframe",),
    "govreport.batch": ("govreport.export.batch",),
}
"""Old module path -> the modules its names now live in, the main one first."""


def forward(module: types.ModuleType, targets: Sequence[str], old: str) -> None:
    """Give ``module`` a ``__getattr__`` that finds each name in ``targets`` (and warns once per name)."""

    def __getattr__(name: str) -> Any:
        # module machinery and tools (hypothesis, inspect, pickle) probe dunders of every loaded module
        if name.startswith("__"):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        for target in targets:
            mod = importlib.import_module(target)
            if hasattr(mod, name):
                warnings.warn(
                    f"{old}.{name} is deprecated: use {target}.{name} (the old path goes in govreport {REMOVED_IN})",
                    DeprecationWarning,
                    stacklevel=2,
                )
                value = getattr(mod, name)
                setattr(module, name, value)
                return value
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    module.__getattr__ = __getattr__  # type: ignore[method-assign]


class _Loader(importlib.abc.Loader):
    def __init__(self, targets: tuple[str, ...]) -> None:
        self.targets = targets

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None  # the default: an empty module, which exec_module turns into a forwarder

    def exec_module(self, module: types.ModuleType) -> None:
        # stacklevel 2 skips importlib's own frames and names the importing line
        warnings.warn(
            f"{module.__name__} is deprecated: it moved to {self.targets[0]} "
            f"(the old path goes in govreport {REMOVED_IN}; plugins: import from govreport.plugins)",
            DeprecationWarning,
            stacklevel=2,
        )
        module.__doc__ = f"Deprecated alias of {', '.join(self.targets)}."
        forward(module, self.targets, module.__name__)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        targets = MOVED.get(fullname)
        if targets is None:
            return None
        return importlib.util.spec_from_loader(fullname, _Loader(targets))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once (``import govreport`` calls this)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
