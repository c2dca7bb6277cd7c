"""The package reads as the pipeline: no import circle, and no stage imports a later one.

Walks every module of ``src/govreport`` with ``ast`` (lazy imports inside functions and
``TYPE_CHECKING`` blocks included: a circle through a lazy import is still a circle) and checks the
stage order of ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "govreport"

# rank of each stage: a module may import modules of a lower rank, or of its own stage
BASE = {"diagnostics", "errors", "template", "model", "_version", "_compat"}
STAGES = {"sources": 1, "text": 2, "parsers": 3, "grammars": 3, "assemble": 4, "checks": 5, "export": 7}
ORCHESTRATION = {"registry": 6, "_api": 6.5}
TOP = {"__init__", "__main__", "cli", "plugins", "testing"}
# top-level modules that belong to a stage: the public name sits at the top, the code is that stage's
STAGE_OF_TOP = {"dask": "export"}  # govreport.dask: the export on a Dask cluster


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every govreport module ``name`` imports (``from x import y`` counts y when y is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("govreport"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("govreport"):
                continue
            out.add(target)
            out.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known)
    return {m for m in out if m in known and m != name}


def rank(name: str) -> float:
    parts = name.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    head = STAGE_OF_TOP.get(head, head)
    if head in BASE:
        return 0
    if head in STAGES:
        return STAGES[head]
    if head in ORCHESTRATION:
        return ORCHESTRATION[head]
    if head in TOP:
        return 9
    raise AssertionError(f"{name}: not placed in a stage; add it to docs/architecture.md and to this test")


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def stage(name: str) -> str:
    """The stage a module belongs to; the shared model and the top-level entry points are one group each."""
    parts = name.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    head = STAGE_OF_TOP.get(head, head)
    if head in BASE:
        return "base"
    return "top" if head in TOP else head


def test_every_module_has_a_stage() -> None:
    for name in modules():
        rank(name)


def test_no_stage_imports_a_later_one() -> None:
    bad = []
    for name, deps in graph().items():
        for dep in deps:
            # a package's __init__ importing its own modules, or a module its package, is within the stage
            if stage(dep) == stage(name):
                continue
            if rank(dep) >= rank(name):
                bad.append(f"{name} imports {dep}")
    assert bad == []


@pytest.mark.parametrize("stage_name", ["sources", "text", "parsers", "assemble", "checks"])
def test_reading_stages_never_import_export_or_cli(stage_name: str) -> None:
    offenders = {
        f"{name} -> {dep}"
        for name, deps in graph().items()
        if stage(name) == stage_name
        for dep in deps
        if stage(dep) in ("export", "cli", "_api", "testing", "plugins")
    }
    assert offenders == set()


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every circle a depth-first walk of ``g`` closes (each as the path that closes it)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(g.get(node, ())):
            if state.get(dep) == 1:
                found.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    return found


def test_no_import_circle() -> None:
    # cli and __main__ import the top package for its version and API; the package never imports them
    assert [c for c in cycles(graph()) if c != ["govreport", "govreport"]] == []


def test_the_circle_finder_finds_circles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_walk_sees_the_known_edges() -> None:
    """The checker itself: it must see a lazy import and a relative one, or the tests above prove nothing."""
    g = graph()
    assert "govreport.parsers.rows" in g["govreport.assemble.table"]
    assert "govreport.checks.series" in g["govreport.cli"]  # imported inside a function
    assert "govreport.export.batch" in g["govreport.cli"]  # "from .export import batch, sinks"


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("govreport._text", "NormText", "govreport.text.normalise"),
        ("govreport._text", "decode", "govreport.sources.text"),
        ("govreport.rows", "ParseResult", "govreport.parsers.rows"),
        ("govreport.sections", "table_regions", "govreport.text.sections"),
        ("govreport.convert", "make_converter", "govreport.export.convert"),
        ("govreport.narrative", "stated_issued", "govreport.text.statements"),
        ("govreport.checks", "run_checks", "govreport.checks.arithmetic"),
        ("govreport.assemble", "TableResult", "govreport.parsers.rows"),
    ],
)
def test_old_paths_still_work_with_a_deprecation_warning(old: str, name: str, new: str) -> None:
    import importlib

    with pytest.warns(DeprecationWarning, match="deprecated"):
        value = getattr(importlib.import_module(old), name)
    assert value is getattr(importlib.import_module(new), name)


def test_the_architecture_page_maps_every_module() -> None:
    """docs/architecture.md names every public module and package, so the map cannot go stale."""
    page = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for name, path in modules().items():
        leaf = path.parent.name + "/" if path.name == "__init__.py" else path.name
        if leaf.startswith("_") and leaf not in ("_api.py", "_compat.py", "__main__.py", "__init__.py"):
            continue  # private helpers of a stage
        if path.name == "__init__.py" and path.parent == SRC:
            continue
        if leaf not in page and leaf.removesuffix(".py") not in page:
            missing.append(name)
    assert missing == []


def test_the_model_reaches_export_only_by_name_to_draw_itself() -> None:
    """model.py draws itself (``__str__``, ``_repr_html_``, ``to_frame``) with export modules it finds by
    name at call time (``model._view``): no import statement, so nothing of export loads with the model
    and the walk above sees no edge. That is the base's one way into a later stage; this pins it to
    model.py and to these modules, which must exist and import only the stages before export."""
    base_users = {
        name
        for name, path in modules().items()
        if stage(name) == "base" and "import_module" in path.read_text(encoding="utf-8")
    }
    assert base_users == {"govreport.model", "govreport._compat"}  # _compat: the 0.1 paths' forwarding
    tree = ast.parse((SRC / "model.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_view"
    ]
    assert calls and all(len(c.args) == 1 and isinstance(c.args[0], ast.Constant) for c in calls)
    named = {c.args[0].value for c in calls}
    assert named == {"view", "dataframe"}
    g = graph()
    for leaf in named:
        module = f"govreport.export.{leaf}"
        assert module in g
        assert all(rank(dep) <= STAGES["export"] for dep in g[module]), g[module]
