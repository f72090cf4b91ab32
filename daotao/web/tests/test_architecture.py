"""The layers of docs/architecture.md hold: an app imports only apps below it, and no
function imports another app to get round that."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import SimpleTestCase

PACKAGE = Path(__file__).resolve().parents[2]

# docs/architecture.md, "The apps, in layers", bottom first. The shell (daotao/urls.py,
# settings), the demo and the test helpers may import any app.
LAYERS = [
    "lib",
    "school",
    "web",
    "accounts",
    "audit",
    "people",
    "org",
    "programs",
    "cohorts",
    "teaching",
    "grading",
    "essays",
    "planning",
    "admissions",
    "workload",
    "finance",
    "exams",
    "alerts",
    "reports",
    "surveys",
    "twoway",
    "national",
    "records",
    "academy",
    "onboarding",
    "portal",
    "dashboards",
    "api",
    "merging",
]
ABOVE_ALL = {
    "views",
    "urls",
    "settings",
    "wsgi",
    "asgi",
    "demo",
    "testing",
    "browser_testing",
    "testing_smtp",
    "testing_documents",
}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "daotao" else None


def imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def imports(tree: ast.Module):
    """(module imported, line, inside a function) for each import of ``tree``, leaving out
    those under ``if TYPE_CHECKING:`` (type hints only, never run)."""
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            for module in imported_modules(child):
                found.append((module, child.lineno, in_function))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return found


def product_modules():
    """(app, path, parsed module) for every module of the product: not its tests or
    migrations."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        app = relative.parts[0].removesuffix(".py")
        yield app, relative, ast.parse(path.read_text(encoding="utf-8"))


class LayerTests(SimpleTestCase):
    def test_every_app_has_its_layer(self):
        apps = {path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists()} | {"lib"}
        self.assertEqual(apps - set(LAYERS) - ABOVE_ALL, set(), "an app missing from LAYERS and docs/architecture.md")

    def test_apps_import_only_the_layers_below_them(self):
        upward, in_functions = [], []
        for app, path, tree in product_modules():
            if app in ABOVE_ALL or app not in LAYERS:
                continue
            for module, line, in_function in imports(tree):
                other = app_of(module)
                if other is None or other == app:
                    continue
                if other not in LAYERS or LAYERS.index(other) > LAYERS.index(app):
                    upward.append(f"{path}:{line} {app} imports {module}")
                elif in_function:
                    in_functions.append(f"{path}:{line} {app} imports {module} inside a function")
        self.assertEqual(upward, [], "imports from a layer above")
        self.assertEqual(in_functions, [], "another app imported inside a function: import it at the top")

    def test_the_check_finds_an_upward_import(self):
        """The rule above fails on what it forbids (so that it cannot pass by reading nothing)."""
        tree = ast.parse("from daotao.grading.models import Grade\ndef f():\n    import daotao.lib.xlsx\n")
        self.assertEqual(imports(tree), [("daotao.grading.models", 1, False), ("daotao.lib.xlsx", 3, True)])
        modules = list(product_modules())
        self.assertGreater(len(modules), 200)
        self.assertIn("cohorts", {app for app, _path, _tree in modules})
