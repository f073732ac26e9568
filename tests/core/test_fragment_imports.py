"""A block that a view renders alone for htmx (`htmx.render(template, block)`) imports the
macros it uses and sets the variables it reads itself: jinja2-fragments runs that block's code
only, so a macro imported or a variable set at the template's top (or in an enclosing block) is
undefined there and the request answers 500 (the audit trail's filters, an approval's page and
the service reports did, under htmx only)."""

import ast
import importlib
from pathlib import Path

from jinja2 import nodes

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = ROOT / "app" / "blueprints"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _template_names(module, tree, function: str, arg) -> list[str]:
    """The templates `arg` (a render call's first argument, in `function`) names: a string, a
    module constant, or the function's parameter, given by its callers as one of those."""
    if isinstance(arg, ast.Constant):
        return [arg.value]
    if hasattr(module, arg.id):
        return [getattr(module, arg.id)]
    return [name for call in ast.walk(tree) if isinstance(call, ast.Call)
            and getattr(call.func, "id", None) == function and call.args
            for name in _template_names(module, tree, "", call.args[0])]


def _fragments() -> set[tuple[str, str]]:
    """(template, block) of every `render(template, "block", ...)` in the blueprints."""
    found = set()
    for path in BLUEPRINTS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = importlib.import_module(_module_name(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "render"
                        and len(call.args) >= 2 and isinstance(call.args[1], ast.Constant)):
                    found.update((name, call.args[1].value) for name in _template_names(
                        module, tree, function.name, call.args[0]))
    return found


def _imported(node) -> set[str]:
    """Names defined by the tags directly in `node`'s body (not in nested blocks): imported by
    {% from %} / {% import %}, set by {% set %}, or defined by {% macro %}."""
    names = set()
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.FromImport):
            names.update(n[1] if isinstance(n, tuple) else n for n in child.names)
        elif isinstance(child, nodes.Import):
            names.add(child.target)
        elif isinstance(child, nodes.Assign | nodes.AssignBlock):
            names.update(n.name for n in child.target.find_all(nodes.Name))
            if isinstance(child.target, nodes.Name):
                names.add(child.target.name)
        elif isinstance(child, nodes.Macro):
            names.add(child.name)
        elif not isinstance(child, nodes.Block):
            names |= _imported(child)
    return names


def _outside_imports(tree, block: str) -> tuple[nodes.Block, set[str]]:
    """The block, and the names imported outside it (top level, enclosing blocks)."""
    outside = _imported(tree)
    for found in tree.find_all(nodes.Block):
        if found.name == block:
            return found, outside
        outside |= _imported(found)
    raise AssertionError(f"no block {block}")


def test_each_block_rendered_alone_imports_its_own_macros(app):
    fragments = _fragments()
    assert ("audit/event/list.html", "results") in fragments  # the scan finds the views
    missing = []
    for template, block in sorted(fragments):
        source = app.jinja_loader.get_source(app.jinja_env, template)[0]
        found, outside = _outside_imports(app.jinja_env.parse(source), block)
        own = _imported(found) | {
            n.name for n in found.find_all(nodes.Macro)} | {
            n.name for n in found.find_all(nodes.Name) if n.ctx == "store"}
        used = {n.name for n in found.find_all(nodes.Name) if n.ctx == "load"}
        missing += [f"{template} {{% block {block} %}}: {name}"
                    for name in sorted((used & outside) - own)]
    assert missing == []
