"""Every code the hub and its devices put on a screen has a label in Vietnamese and English.

The codes are not listed here by hand: they are read from where they are born — the audit calls in
the hub's and the CLI's source, the heartbeat the edge agent builds, the camera's and the face
recognition's states, the protocol's command and refusal names, the enums, and the database's own
CHECK constraints — so a new code without a label fails here, not on a person's screen. The audit
page is then opened on a row of every action to see that only the labels reach it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import psycopg
import pytest

from edge_agent.rfid_settings import RfidSettings
from hub.accounts import audit
from hub.accounts.checks import LANGUAGES
from hub.accounts.principal import Role
from hub.devices.models import DeviceKind, DoorDirection
from protocol.commands import COMMAND_ARGS, COMMAND_NAMES, RefusalCode
from tests.ui.conftest import table_rows
from ui.components.labels import accounts, commands, devices, health, telemetry
from ui.components.labels.audit import ACTIONS, ACTORS, ENTITIES, action_label, actor_label, entity_label
from ui.i18n import t as text
from ui.pages import audit as audit_page

ROOT = Path(__file__).resolve().parents[2]
#: an audit action: `<what>.<verb>`
ACTION_FORM = re.compile(r"^[a-z_]+\.[a-z_]+$")
#: what a code or a text key looks like (`sign_in.failed`, `kind_faceid`, `n/a`); no label does
CODE_LIKE = re.compile(r"^[a-z0-9_.:/-]+$")
#: the names under which the hub's code writes an audit row → where the action is among the arguments:
#: audit.record, self._audit, a domain's helper, and audit.Change (many rows at once, audit.record_many)
AUDIT_CALLS = {"record": 2, "_audit": 2, "audit": 2, "_write_audit": 2, "Change": 0}
#: sources of heartbeat metrics in the edge agent, other than its capabilities → the key's prefix
METRIC_SOURCES = {"config_sync.py": "config", "renewal.py": "cert", "pack_update.py": "pack"}


def translators() -> Iterator[tuple[str, Callable[[str], str]]]:
    for lang in ("vi", "en"):
        yield lang, lambda key, lang=lang: text(key, lang)


def assert_labelled(codes: set[str], label: Callable[[Callable[[str], str], str], str], what: str) -> None:
    """Each code gets, in both languages, a label that is not the code itself and not a text key."""
    assert codes, f"found no {what} to check: the scan is broken"
    for lang, t in translators():
        raw = sorted(c for c in codes if not label(t, c) or label(t, c) == c or CODE_LIKE.match(label(t, c)))
        assert not raw, f"{what} without a {lang} label: {raw}"
    vi = {label(dict(translators())["vi"], c) for c in codes}
    assert len(vi) == len(codes), f"two {what} share one Vietnamese label"


# --- reading codes from the source ------------------------------------------------------------


def _modules(*folders: str) -> Iterator[tuple[Path, ast.Module]]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _constants(tree: ast.Module) -> dict[str, Any]:
    """A module's top-level `NAME = "text"` and `NAME: dict = {...: "text"}` (what a call may name)."""
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        value = getattr(node, "value", None)
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                found[target.id] = value
    return found


def _strings(node: ast.AST | None, constants: dict[str, Any]) -> set[str]:
    """The texts an expression can be: a literal, either branch of `a if c else b`, a module constant,
    any value of a module-level dict it indexes. Anything else: nothing (the caller checks the count)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) | _strings(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return _strings(constants[node.id], constants)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        table = constants.get(node.value.id)
        if isinstance(table, ast.Dict):
            return set().union(*(_strings(v, constants) for v in table.values))
    return set()


def _argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def audit_codes() -> tuple[set[str], set[str], set[str]]:
    """(actions, entities, non-person actors) the hub and the CLI write into the audit log.

    An entity a helper takes as a parameter (`_lock_row(…, entity, …)`) is read at the helper's calls
    in the same module, one level deep."""
    actions: set[str] = set()
    entities: set[str] = set()
    actors: set[str] = set()
    for _path, tree in _modules("hub", "cces"):
        constants = _constants(tree)
        passed: dict[str, tuple[int, str]] = {}  # helper → (position of its entity parameter, its name)
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            parameters = [a.arg for a in function.args.args if a.arg != "self"]
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                name = getattr(call.func, "attr", getattr(call.func, "id", None))
                if name not in AUDIT_CALLS:
                    continue
                position = AUDIT_CALLS[name]
                found = {s for s in _strings(_argument(call, position, "action"), constants) if ACTION_FORM.match(s)}
                if not found:
                    continue
                actions |= found
                if name != "_write_audit":  # its entity is fixed inside it ('employee')
                    entity = _argument(call, position + 1, "entity")
                    entities |= _strings(entity, constants)
                    if isinstance(entity, ast.Name) and entity.id in parameters:
                        passed[function.name] = (parameters.index(entity.id), entity.id)
                who = _argument(call, 1, "actor") if position == 2 else None
                if isinstance(who, ast.Call) and who.args:  # Actor("system"), Actor(f"device:{id}", …)
                    actors |= _strings(who.args[0], constants)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            helper = getattr(call.func, "attr", getattr(call.func, "id", None))
            if helper in passed:
                entities |= _strings(_argument(call, *passed[helper]), constants)
    tree = _parse("hub/accounts/audit.py")
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        if getattr(call.func, "id", None) == "Actor" and call.args:
            actors |= _strings(call.args[0], {})  # SYSTEM_ACTOR, CLI_ACTOR
    return actions, entities, actors


def _named(node: ast.Assign, name: str) -> bool:
    """`name = …` (a class attribute such as a capability's `name`)."""
    return isinstance(node.targets[0], ast.Name) and node.targets[0].id == name


def _returned_keys(function: ast.FunctionDef) -> set[str]:
    return {
        key.value
        for node in ast.walk(function)
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict)
        for key in node.value.keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def heartbeat_keys() -> set[str]:
    """Every metric key an edge agent's heartbeat carries: its own, each capability's, each helper's."""
    keys: set[str] = set()
    sources: set[str] = set()
    for path, tree in _modules("edge_agent"):
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            methods = [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "metrics"]
            if not methods or path.name == "base.py":
                continue
            sources.add(path.name)
            if path.parent.name == "capabilities":
                names = [s.value for s in cls.body if isinstance(s, ast.Assign) and _named(s, "name")]
                prefix = _strings(names[0], {}).pop()
            else:
                assert path.name in METRIC_SOURCES, f"{path.name} reports metrics under a prefix unknown here"
                prefix = METRIC_SOURCES[path.name]
            keys |= {f"{prefix}.{key}" for key in _returned_keys(methods[0])}
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if getattr(call.func, "id", None) == "Telemetry":  # the agent's own, written in the heartbeat
                (own,) = [k.value for k in call.keywords if k.arg == "metrics"]
                assert isinstance(own, ast.Dict)
                keys |= {k.value for k in own.keys if isinstance(k, ast.Constant)}
    assert set(METRIC_SOURCES) <= sources, "a metrics source this test reads has gone: update METRIC_SOURCES"
    return keys


def state_values() -> dict[str, set[str]]:
    """The states a heartbeat reports as codes: face recognition's (`self.state = …`) and the camera's
    (`status.set(…)`, and CameraStatus's first state)."""
    faceid: set[str] = set()
    tree = _parse("edge_agent/capabilities/faceid.py")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target, value in _pairs(node):
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    faceid |= _strings(value, {})
    camera: set[str] = set()
    for _path, tree in _modules("devices/camera"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "set" and node.args:
                camera |= _strings(node.args[0], {})
            if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "state":
                camera |= _strings(node.value, {})
    rfid: set[str] = set()
    for node in ast.walk(_parse("edge_agent/capabilities/rfid.py")):
        if isinstance(node, ast.Assign):
            for target, value in _pairs(node):
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    rfid |= _strings(value, {})
    kinds = set(get_args(RfidSettings.model_fields["reader"].annotation))
    return {"faceid.state": faceid, "faceid.camera_state": camera, "rfid.state": rfid, "rfid.reader_kind": kinds}


def _parse(relative: str) -> ast.Module:
    return ast.parse((ROOT / relative).read_text(encoding="utf-8"))


def _pairs(node: ast.Assign) -> Iterator[tuple[ast.AST, ast.AST]]:
    """(target, value) of `a = x` and of `a, b = x, y`."""
    for target in node.targets:
        if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
            yield from zip(target.elts, node.value.elts, strict=False)
        else:
            yield target, node.value


def check_values(database_url: str) -> dict[tuple[str, str], set[str]]:
    """(table, column) → the values its CHECK (column IN (…)) constraint allows, from the migrated database."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT c.conrelid::regclass::text, pg_get_constraintdef(c.oid) FROM pg_constraint c"
            " WHERE c.contype = 'c' AND c.connamespace = 'public'::regnamespace"
        ).fetchall()
    found: dict[tuple[str, str], set[str]] = {}
    for table, definition in rows:
        match = re.search(r"\((\w+) = ANY \(ARRAY\[(.*?)\]\)\)", definition)
        if match:
            found[(table, match.group(1))] = set(re.findall(r"'([^']*)'::text", match.group(2)))
    return found


# --- the tests --------------------------------------------------------------------------------


def test_every_audit_action_entity_and_actor_the_hub_writes_has_a_label() -> None:
    actions, entities, actors = audit_codes()
    # the scan reaches the forms these codes are written in: literals, `a if c else b`, module constants
    assert {"sign_in.failed", "employee.update", "enrollment_token.refused", "biometrics.erase"} <= actions
    assert len(actions) >= 30
    assert_labelled(actions, action_label, "audit actions")
    assert not actions - set(ACTIONS), f"audit actions the action filter does not offer: {actions - set(ACTIONS)}"
    assert {"client_address", "attendance_event"} <= entities
    assert_labelled(entities | {"employee"}, lambda t, e: entity_label(t, e, None), "audit entities")
    named = {a for a in actors if ":" not in a}
    assert {"system", "cli"} <= named
    assert_labelled(named, actor_label, "non-person actors")
    assert actor_label(dict(translators())["vi"], "device:door-01") == "Thiết bị door-01"
    assert set(ACTIONS) - actions == set(), "labels of actions nothing writes any more"
    assert set(ENTITIES) >= entities and set(ACTORS) >= named


def test_every_heartbeat_metric_and_state_the_edge_agent_reports_has_a_label() -> None:
    keys = heartbeat_keys()
    assert {"connected", "faceid.fps", "faceid.camera_state", "config.version", "cert.not_after", "pack.active"} <= keys
    assert_labelled(keys, telemetry.metric_label, "heartbeat metrics")
    assert not keys - set(telemetry.METRICS), f"metrics shown with their code: {keys - set(telemetry.METRICS)}"
    for key, values in state_values().items():
        assert len(values) >= 4, f"found too few {key} values: the scan is broken"
        assert_labelled(values, lambda t, v, key=key: telemetry.metric_value(t, key, v), f"{key} values")
    t = dict(translators())["vi"]
    assert telemetry.metric_value(t, "connected", True) == "Có"
    assert telemetry.metric_label(t, "faceid.some_new_metric") == "Nhận dạng khuôn mặt · some_new_metric"


def test_every_device_kind_direction_and_capability_has_a_label() -> None:
    assert_labelled({k.value for k in DeviceKind}, devices.kind_label, "device kinds")
    assert_labelled({d.value for d in DoorDirection}, devices.direction_label, "door directions")
    capabilities = {
        _strings(s.value, {}).pop()
        for path, tree in _modules("edge_agent/capabilities")
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for s in cls.body
        if isinstance(s, ast.Assign) and _named(s, "name")
    }
    assert "faceid" in capabilities
    kinds = {k.value for k in DeviceKind} - {DeviceKind.GENERIC.value}  # a kind is also what its agent runs
    assert_labelled(capabilities | kinds, devices.capability_label, "capabilities")


def test_every_command_its_arguments_refusals_and_states_have_a_label(database_url: str) -> None:
    assert_labelled(set(COMMAND_NAMES), commands.command_label, "commands")
    arguments = {name for model in COMMAND_ARGS.values() for name in model.model_fields}
    assert_labelled(arguments, commands.argument_label, "command arguments")
    for lang, t in translators():
        assert all(commands.argument_hint(t, a) for a in arguments), f"a command argument without a {lang} hint"
    assert_labelled(set(get_args(RefusalCode)), commands.refusal_label, "refusal codes")
    states = check_values(database_url)[("device_commands", "state")]
    assert_labelled(states, commands.state_label, "command states")


def test_every_role_language_and_direction_the_database_allows_has_a_label(database_url: str) -> None:
    allowed = check_values(database_url)
    assert_labelled(allowed[("users", "language")] | set(LANGUAGES), accounts.language_label, "languages")
    assert_labelled({r.value for r in Role}, accounts.role_label, "roles")
    roles = next(v for (table, column), v in allowed.items() if column == "role")
    assert roles == {r.value for r in Role}
    assert_labelled(allowed[("devices", "direction")], devices.direction_label, "door directions")


def test_health_answers_are_said_in_words() -> None:
    t = dict(translators())["en"]
    assert health.health_text(t, "ok") == "OK"
    assert health.health_text(t, "down: not connected to the broker") == "Down: not connected to the broker"
    assert health.health_text(t, "stuck: no commit for 60 s") == "Stuck: no commit for 60 s"
    assert health.health_text(t, "n/a", fine_if_absent=False) == "Not run on this node"


async def test_the_audit_page_shows_every_action_entity_and_actor_in_words(
    sign_in, ui_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions, entities, _actors = audit_codes()
    monkeypatch.setattr(audit_page, "PAGE_SIZE", 200)  # every action's row on one page, whatever their number
    entity_cycle = sorted(entities)
    who = [audit.SYSTEM_ACTOR, audit.CLI_ACTOR, audit.Actor("device:door-hq-01")]
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        for i, action in enumerate(sorted(actions)):
            audit.record(conn, who[i % len(who)], action, entity_cycle[i % len(entity_cycle)], f"x{i}")
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/audit")
    rows = await table_rows(user, "audit-table")
    shown = [r for r in rows if r["entity"].endswith(tuple(f" x{i}" for i in range(len(actions))))]
    assert len(shown) == len(actions)
    t = dict(translators())["vi"]
    for row in shown:
        assert row["action_label"] == action_label(t, row["action"]) != row["action"]
        kind = row["entity"].rsplit(" ", 1)[0]
        assert kind not in entities, f"the entity {kind!r} reached the page as a code"
        assert row["actor"] in {"Hệ thống", "Dòng lệnh (cces)", "Thiết bị door-hq-01"}
    assert all(not ACTION_FORM.match(str(v)) for r in shown for k, v in r.items() if k != "action"), (
        "a code in a shown column"
    )
