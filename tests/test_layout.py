"""The architecture as DESIGN.md's table gives it: which top-level package may import which.

Read from the source with `ast`, so a forbidden import fails here even if no test runs it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"protocol", "devices", "models", "edge_agent", "hub", "ui", "provisioning", "cces"}
MAY_IMPORT = {
    "protocol": set(),
    "devices": set(),
    "models": set(),
    "edge_agent": {"protocol", "devices", "models"},
    "hub": {"protocol", "models"},
    "ui": {"hub", "protocol"},
    "provisioning": {"protocol"},
    "cces": OURS,  # the composition root wires everything
}


def imports_of(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in OURS and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_imports_flow_as_the_design_says(package: str) -> None:
    forbidden = {k: v for k, v in imports_of(package).items() if k not in MAY_IMPORT[package]}
    assert not forbidden, f"{package} imports {forbidden}"


def test_the_ui_reaches_the_hub_through_its_services_and_models_not_its_repositories() -> None:
    """Pages take records from a domain's `models` (or the services' answers), never from the module
    that holds its SQL: `ui → hub (services, not SQL)`."""
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.startswith("hub.") and n.split(".")[-1] == "repository" for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_sql_lives_in_migrations_and_repositories_only() -> None:
    """SQL statements belong to `hub/migrations/*.sql` and each domain's `repository.py` (or `repository/` package)."""
    offenders = []
    keywords = ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE")
    for path in (ROOT / "hub").rglob("*.py"):
        if path.name == "repository.py" or path.parent.name == "repository":  # a module or a package
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(node.value.lstrip().upper().startswith(k) for k in keywords):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    allowed = {
        "hub/db.py",
        "hub/services.py",
        "hub/embedded/postgres.py",
    }  # health probe, migration report, CREATE DATABASE
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []


def test_the_agent_runs_without_hub_dependencies() -> None:
    """A device installs `cces[agent]` only: the agent must not need FastAPI, PostgreSQL or NiceGUI."""
    blocked = ["fastapi", "psycopg", "psycopg_pool", "nicegui", "amqtt", "pgserver", "uvicorn", "yoyo"]
    code = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None\n"
        "import edge_agent.main, edge_agent.agent\n"
        "from cces.cli import main\n"
        "sys.exit(main(['agent', '--config', '/nonexistent/agent.toml']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "config file not found" in result.stderr and "Traceback" not in result.stderr
