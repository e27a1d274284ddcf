"""A device command as a form: the command by name, then one field per argument, typed from the
protocol's argument models (protocol.commands.COMMAND_ARGS).

Typing arguments as JSON asked an office admin to know field names, types and limits by heart.
Here a whole number gets a number field with the model's bounds, a choice a select, text a text
field with a length limit; the defaults of the model are filled in. What the form holds is checked
against the same model the hub and the device check (so a refusal is said here, per field, in the
page's language, before anything is sent) and the hub checks it again when it is sent.

Markers, with `marker` given: `{marker}-name` (the command), `{marker}-arg-{field}` (each argument).
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from nicegui import ui
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from hub.input_errors import describe
from protocol.commands import COMMAND_ARGS, COMMAND_NAMES
from ui.components.format import Translate
from ui.components.labels.commands import argument_hint, argument_label, command_options
from ui.components.labels.devices import CAPABILITIES, capability_label
from ui.i18n import N_

#: the longest text an argument field takes when its model sets no length (a pack id, a version…)
MAX_TEXT = 256
#: arguments whose values are a known list, offered as a select (field name → its codes)
CHOICES: dict[str, tuple[str, ...]] = {"capability": tuple(CAPABILITIES)}


class CommandFormError(ValueError):
    """What is wrong with the arguments, said for a person (field labels, not field names)."""


class CommandForm:
    """The command select and its argument fields; `value()` gives (name, arguments) once they fit."""

    def __init__(self, t: Translate, lang: str, *, marker: str = "command") -> None:
        self._t, self._lang, self._marker = t, lang, marker
        self.fields: dict[str, ui.element] = {}
        self.name = ui.select(command_options(t), value=COMMAND_NAMES[0], label=t(N_("Lệnh")))
        self.name.classes("w-64").mark(f"{marker}-name")
        self.arguments = ui.row().classes("items-end gap-2 flex-wrap")
        self.name.on_value_change(self._draw)
        self._draw()

    @property
    def model(self) -> type[BaseModel]:
        return COMMAND_ARGS[self.name.value]

    def value(self) -> tuple[str, dict[str, Any]]:
        """(command name, arguments) as the form holds them; CommandFormError when they do not fit."""
        given = {
            name: v for name, field in self.fields.items() if (v := _read(field, self._annotation(name))) is not None
        }
        try:
            self.model.model_validate(given)
        except ValidationError as exc:
            problems = "; ".join(self._problem(e) for e in exc.errors(include_url=False))
            raise CommandFormError(self._t(N_("Tham số chưa đúng: {problems}")).format(problems=problems)) from None
        return self.name.value, given

    def _annotation(self, name: str) -> Any:
        return self.model.model_fields[name].annotation

    def _problem(self, error: Any) -> str:
        said = describe(error)
        rule = said.vi if self._lang == "vi" else said.en
        field = str(error.get("loc", ("",))[0]) if error.get("loc") else ""
        return f"{argument_label(self._t, field)}: {rule}" if field else rule

    def _draw(self) -> None:
        self.arguments.clear()
        self.fields = {}
        with self.arguments:
            if not self.model.model_fields:
                ui.label(self._t(N_("Lệnh này không có tham số."))).classes("text-grey-7 text-sm")
            for name, info in self.model.model_fields.items():
                field = self._field(name, info)
                field.mark(f"{self._marker}-arg-{name}")
                self.fields[name] = field

    def _field(self, name: str, info: FieldInfo) -> ui.element:
        """The widget for one argument: its type and limits from the model, its label from the catalogue."""
        t = self._t
        label, hint = argument_label(t, name), argument_hint(t, name)
        default = None if info.is_required() else info.default
        limits = _limits(info)
        kind = _plain_type(info.annotation)
        if name in CHOICES:
            options = {code: capability_label(t, code) for code in CHOICES[name]}
            return ui.select(options, value=default if default in options else None, label=label).classes("w-64")
        if kind is bool:
            return ui.switch(label, value=bool(default))
        if kind in (int, float):
            low = limits.get("ge", limits.get("gt"))
            high = limits.get("le", limits.get("lt"))
            field = ui.number(
                label,
                value=default,
                min=low,
                max=high,
                step=1 if kind is int else 0.1,
                precision=0 if kind is int else None,
            ).classes("w-48")
        else:
            field = ui.input(label, value=default or "").classes("w-72")
            field.props(f"maxlength={limits.get('max_length', MAX_TEXT)}")
        if hint:
            field.props(f'hint="{hint}"')
        return field


def _read(field: ui.element, annotation: Any) -> Any:
    """The field's value as the model takes it; None for an empty field (the model's default applies)."""
    value = getattr(field, "value", None)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and _plain_type(annotation) is int and value.is_integer():
        return int(value)
    return value


def _plain_type(annotation: Any) -> Any:
    """`int` for `int` and `int | None`; the annotation itself otherwise."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _limits(info: FieldInfo) -> dict[str, Any]:
    """ge/gt/le/lt/max_length of a field, from its constraints (annotated_types objects)."""
    found: dict[str, Any] = {}
    for constraint in info.metadata:
        for key in ("ge", "gt", "le", "lt", "max_length"):
            if getattr(constraint, key, None) is not None:
                found[key] = getattr(constraint, key)
    return found
