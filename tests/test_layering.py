"""The architecture's dependency rules (docs/architecture.md), checked on the source's imports.

Layers, top to bottom: pages → state/components → services (area packages → kernel) → models, db,
storage. API routes and jobs call services. Area packages may use each other's public functions but
never in a cycle, and the kernel imports no area. Only services (and models, db, migrations) speak
SQL: elsewhere the only database name allowed is the ``Session`` type.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICES = "literal_app.services"
SQL_PACKAGES = ("sqlalchemy", "sqlmodel")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every import in the file, function-level ones included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [alias.name for alias in node.names]
            found.append((base, names))
            # ``from literal_app.services import logs`` imports the package ``…services.logs``.
            found += [(f"{base}.{name}", []) for name in names]
    return found


def _sources() -> dict[str, list[tuple[str, list[str]]]]:
    files = [*ROOT.glob("literal_app/**/*.py"), *ROOT.glob("api/**/*.py"), ROOT / "worker.py"]
    return {_module_name(p): _imports(p) for p in files}


SOURCES = _sources()


def _area(module: str) -> str | None:
    if not module.startswith(SERVICES + "."):
        return None
    return module.split(".")[2]


def _is_module(name: str) -> bool:
    return name in SOURCES


def test_every_service_module_lives_in_an_area_package():
    flat = [m for m in SOURCES if m.startswith(SERVICES + ".") and m.count(".") == 2
            and not (ROOT / m.replace(".", "/")).is_dir()]
    assert flat == [], f"service modules outside an area package: {flat}"
    areas = {_area(m) for m in SOURCES if _area(m)}
    for area in areas:
        init = ROOT / "literal_app" / "services" / area / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text())), f"{area}/__init__ needs a docstring"


def test_kernel_imports_no_area():
    bad = [(m, imp) for m, imps in SOURCES.items() if _area(m) == "kernel"
           for imp, _ in imps if _is_module(imp) and _area(imp) not in (None, "kernel")]
    assert bad == [], f"the kernel imports area packages: {bad}"


def test_area_packages_import_each_other_without_cycles():
    edges: dict[str, set[str]] = {}
    for module, imps in SOURCES.items():
        src = _area(module)
        if not src:
            continue
        for imp, _ in imps:
            dst = _area(imp)
            if dst and dst != src and (_is_module(imp) or imp.count(".") >= 2):
                edges.setdefault(src, set()).add(dst)
    visiting, done, cycles = set(), set(), []

    def visit(node: str, path: list[str]) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append(path[path.index(node):] + [node])
            return
        visiting.add(node)
        for nxt in sorted(edges.get(node, ())):
            visit(nxt, path + [nxt])
        visiting.discard(node)
        done.add(node)

    for area in sorted(edges):
        visit(area, [area])
    assert cycles == [], f"import cycles between area packages: {cycles}"


@pytest.mark.parametrize("forbidden", ["reflex", "fastapi", "starlette", "api", "literal_app.pages",
                                       "literal_app.state", "literal_app.components", "literal_app.jobs"])
def test_services_import_nothing_above_them(forbidden):
    bad = [(m, imp) for m, imps in SOURCES.items() if m.startswith(SERVICES)
           for imp, _ in imps if imp == forbidden or imp.startswith(forbidden + ".")]
    assert bad == [], f"services import {forbidden}: {bad}"


def test_pages_and_components_never_call_services():
    bad = [(m, imp) for m, imps in SOURCES.items()
           if m.startswith(("literal_app.pages", "literal_app.components"))
           for imp, _ in imps if imp.startswith(SERVICES)]
    assert bad == [], f"pages read state, never services: {bad}"


def test_no_sql_outside_services():
    allowed_homes = (SERVICES, "literal_app.models", "literal_app.db", "literal_app.queue")
    bad = []
    for module, imps in SOURCES.items():
        if module.startswith(allowed_homes):
            continue
        for imp, names in imps:
            if imp.split(".")[0] in SQL_PACKAGES and imp in SQL_PACKAGES + ("sqlalchemy.orm",):
                extra = [n for n in names if n != "Session"]
                if extra:
                    bad.append((module, imp, extra))
            elif imp.split(".")[0] in SQL_PACKAGES and names:
                bad.append((module, imp, names))
    assert bad == [], f"SQL outside services (only the Session type may be named): {bad}"
