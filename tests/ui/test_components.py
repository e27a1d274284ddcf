"""The UI toolkit's pickers and forms on their own, on a page that holds only them, driven by NiceGUI's
simulated user: the month picker (a month chosen with clicks, within its limits) and the command form
(a command's argument model turned into fields; a bad value refused in the page's language, per field).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from nicegui import ui
from nicegui.testing.user import User
from pydantic import BaseModel

from protocol.commands import COMMAND_ARGS, COMMAND_NAMES
from tests.ui.conftest import simulated_app
from ui.components.command_form import CommandForm, CommandFormError
from ui.components.month_picker import MonthPicker
from ui.components.periods import Month
from ui.i18n import t as text


def translate(lang: str) -> Any:
    return lambda key: text(key, lang)


# --- the month picker ------------------------------------------------------------------------


@pytest.fixture
async def picker_page() -> AsyncIterator[tuple[User, list[Month], dict[str, MonthPicker]]]:
    """/pick?lang=…: a month picker on Nov 2026, limited to Jan 2025 – Feb 2027; the months chosen are kept."""
    chosen: list[Month] = []
    pickers: dict[str, MonthPicker] = {}

    def register() -> None:
        @ui.page("/pick")
        def page(lang: str = "vi") -> None:
            pickers["it"] = MonthPicker(
                translate(lang), Month(2026, 11), chosen.append, marker="m", first=Month(2025, 1), last=Month(2027, 2)
            )

    async with simulated_app(register) as user:
        yield user, chosen, pickers


async def test_the_month_picker_steps_months_with_its_arrows_and_names_the_month_in_words(picker_page) -> None:
    user, chosen, pickers = picker_page
    await user.open("/pick")
    await user.should_see("Tháng 11/2026")
    user.find(marker="m-next").click()
    await user.should_see("Tháng 12/2026")
    user.find(marker="m-next").click()
    user.find(marker="m-prev").click()
    user.find(marker="m-prev").click()
    user.find(marker="m-prev").click()
    await user.should_see("Tháng 10/2026")
    assert chosen == [Month(2026, 12), Month(2027, 1), Month(2026, 12), Month(2026, 11), Month(2026, 10)]
    assert pickers["it"].value.text == "2026-10"  # the address spelling, never shown
    await user.should_not_see("2026-10")

    await user.open("/pick?lang=en")
    await user.should_see("November 2026")


async def test_the_month_picker_chooses_a_month_of_another_year_from_its_menu(picker_page) -> None:
    user, chosen, _ = picker_page
    await user.open("/pick")
    user.find(marker="m-open").click()
    await user.should_see(marker="m-year")
    with user:
        (year,) = user.find(marker="m-year").elements
    assert year.text == "2026"
    user.find(marker="m-year-prev").click()
    assert year.text == "2025"
    assert chosen == []  # stepping years chooses nothing yet
    user.find(marker="m-m3").click()
    await user.should_see("Tháng 3/2025")
    assert chosen == [Month(2025, 3)]


async def test_the_month_picker_offers_nothing_outside_its_limits(picker_page) -> None:
    user, chosen, pickers = picker_page
    await user.open("/pick")
    with user:
        (forward,) = user.find(marker="m-next").elements
        (back,) = user.find(marker="m-prev").elements
    for _ in range(5):  # Dec, Jan, Feb, then the arrow is off
        if forward.enabled:
            user.find(marker="m-next").click()
    assert chosen[-1] == Month(2027, 2) and not forward.enabled and back.enabled
    user.find(marker="m-open").click()
    await user.should_see(marker="m-year")
    with user:
        (year_forward,) = user.find(marker="m-year-next").elements
        months = {n: user.find(marker=f"m-m{n}").elements.pop() for n in range(1, 13)}
    assert not year_forward.enabled  # 2027 is the last year it offers
    assert [n for n, b in months.items() if b.enabled] == [1, 2]  # of 2027, only January and February

    pickers["it"].set_value(Month(2031, 5))  # a page asking for more than the limits gets the limit
    assert pickers["it"].value == Month(2027, 2)
    pickers["it"].set_value(Month(1999, 1))
    assert pickers["it"].value == Month(2025, 1) and not back.enabled


# --- the command form ------------------------------------------------------------------------


@pytest.fixture
async def form_page() -> AsyncIterator[tuple[User, dict[str, CommandForm]]]:
    """/form?lang=…: a command form alone."""
    forms: dict[str, CommandForm] = {}

    def register() -> None:
        @ui.page("/form")
        def page(lang: str = "vi") -> None:
            forms["it"] = CommandForm(translate(lang), lang, marker="cmd")

    async with simulated_app(register) as user:
        yield user, forms


def _fields(user: User, form: CommandForm) -> dict[str, Any]:
    with user:
        return {name: user.find(marker=f"cmd-arg-{name}").elements.pop() for name in form.fields}


async def test_the_command_form_has_one_labelled_field_per_argument_of_every_command(form_page) -> None:
    user, forms = form_page
    await user.open("/form")
    form = forms["it"]
    with user:
        (select,) = user.find(marker="cmd-name").elements
    assert list(select.options) == list(COMMAND_NAMES)
    assert all(label != name for name, label in select.options.items())  # the commands said in words
    for name in COMMAND_NAMES:
        select.value = name
        model: type[BaseModel] = COMMAND_ARGS[name]
        assert set(form.fields) == set(model.model_fields), name
        for argument, field in _fields(user, form).items():
            label = getattr(field, "props", {}).get("label") or getattr(field, "text", "")
            assert label and label != argument, f"{name}.{argument} has no label"
        if not model.model_fields:
            await user.should_see("Lệnh này không có tham số.")
            assert form.value() == (name, {})


async def test_the_command_form_fills_the_defaults_and_gives_typed_arguments(form_page) -> None:
    user, forms = form_page
    await user.open("/form")
    form = forms["it"]
    form.name.value = "snapshot"
    fields = _fields(user, form)
    assert (fields["max_side"].value, fields["quality"].value) == (320, 80)
    assert (fields["quality"].props["min"], fields["quality"].props["max"]) == (30, 95)  # the model's bounds
    fields["quality"].value = 90.0  # what a number field holds
    assert form.value() == ("snapshot", {"max_side": 320, "quality": 90})
    assert isinstance(form.value()[1]["quality"], int)

    form.name.value = "restart_capability"
    (capability,) = _fields(user, form).values()
    assert isinstance(capability, ui.select) and "faceid" in capability.options
    assert capability.options["faceid"] != "faceid"
    capability.value = "faceid"
    assert form.value() == ("restart_capability", {"capability": "faceid"})

    form.name.value = "update_pack"
    fields = _fields(user, form)
    assert fields["sha256"].props["maxlength"]  # every text field has a limit
    offer = {"pack_id": "yunet-sface", "version": "2", "sha256": "ab" * 32}
    for name, value in (offer | {"size": 1234.0}).items():
        fields[name].value = value
    assert form.value() == ("update_pack", offer | {"size": 1234})


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("vi", "Tham số chưa đúng: Chất lượng JPEG: phải nhỏ hơn hoặc bằng 95"),
        ("en", "The arguments are not right: JPEG quality: must be at most 95"),
    ],
)
async def test_the_command_form_refuses_a_bad_value_naming_the_field_in_the_page_language(
    form_page, lang: str, said: str
) -> None:
    user, forms = form_page
    await user.open(f"/form?lang={lang}")
    form = forms["it"]
    form.name.value = "snapshot"
    _fields(user, form)["quality"].value = 200
    with pytest.raises(CommandFormError) as refused:
        form.value()
    assert str(refused.value) == said
    assert "quality" not in str(refused.value).replace("JPEG quality", "")  # the label, never the field name


async def test_the_command_form_says_which_required_arguments_are_missing(form_page) -> None:
    user, forms = form_page
    await user.open("/form")
    form = forms["it"]
    form.name.value = "update_pack"
    fields = _fields(user, form)
    fields["pack_id"].value = "yunet-sface"
    fields["sha256"].value = "not hex"
    with pytest.raises(CommandFormError) as refused:
        form.value()
    said = str(refused.value)
    assert "Phiên bản gói: bắt buộc phải có" in said
    assert "Dung lượng (byte): bắt buộc phải có" in said
    assert "Mã băm SHA-256: không đúng định dạng" in said
    assert "Mã gói mô hình" not in said  # a good value is not complained about
