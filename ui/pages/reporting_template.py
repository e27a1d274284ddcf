"""The indicator template editor on the regime form of /reporting: one line per indicator the admin adds, edits,
moves up or down and removes — code, names, kind (number, text, table), unit of measure, where a number comes
from (typed in, a formula, or CCES data chosen by its name), a table's columns and total row — checked by
hub.reporting.template_check (the template module's own rules) with each problem, in Vietnamese and English,
under its indicator. The template as JSON is kept for the advanced user: import it into the table, or see the
table as JSON. Vietnamese first."""

from __future__ import annotations

import json
from typing import Any

from nicegui import ui

from hub.reporting.template import BINDING_LABELS, MAX_COLUMNS, MAX_INDICATORS, Template
from hub.reporting.template_check import Checked, check_indicators
from ui.i18n import N_, pgettext
from ui.shell import PageContext

UP = N_("Lên")
DOWN = N_("Xuống")
DELETE = N_("Xóa")

MAX_JSON = 200_000  # characters of an imported template
MANUAL, FORMULA = "manual", "formula"

#: an indicator's or a column's kind
KIND_TEXTS = {"number": N_("Số"), "text": N_("Văn bản"), "table": N_("Bảng")}


def _row(data: dict[str, Any]) -> dict[str, Any]:
    """An indicator (its JSON form) as the editor holds it."""
    how = FORMULA if data.get("formula") else str(data.get("source") or MANUAL)
    return {
        "code": str(data.get("code", "")), "name_vi": str(data.get("name_vi", "")),
        "name_en": str(data.get("name_en", "")), "kind": str(data.get("kind", "number")),
        "unit": str(data.get("unit", "")), "how": how, "formula": str(data.get("formula") or ""),
        "required": bool(data.get("required", False)), "decimals": int(data.get("decimals", 2) or 0),
        "total": bool(data.get("total", False)),
        "columns": [{"code": str(c.get("code", "")), "name_vi": str(c.get("name_vi", "")),
                     "name_en": str(c.get("name_en", "")), "kind": str(c.get("kind", "number")),
                     "unit": str(c.get("unit", ""))} for c in data.get("columns") or [] if isinstance(c, dict)],
    }  # fmt: skip


def _indicator(row: dict[str, Any]) -> dict[str, Any]:
    """The JSON form hub.reporting.template takes, from an editor line."""
    out: dict[str, Any] = {
        "code": row["code"].strip(), "name_vi": row["name_vi"].strip(), "name_en": row["name_en"].strip(),
        "kind": row["kind"], "unit": row["unit"].strip(),
    }  # fmt: skip
    if row["kind"] == "number":
        if row["how"] == FORMULA:
            out["formula"] = row["formula"].strip()
        elif row["how"] != MANUAL:
            out["source"] = row["how"]
        out["decimals"] = int(row["decimals"] if row["decimals"] is not None else 2)
    if row["kind"] == "table":
        out["columns"] = [{k: (v.strip() if k != "kind" else v) for k, v in c.items()} for c in row["columns"]]
        out["total"] = bool(row["total"])
    if row["required"]:
        out["required"] = True
    return out


class TemplateEditor:
    """The table of indicators; `indicators()` is the template's JSON form, `check()` its problems shown."""

    def __init__(self, ctx: PageContext, initial: dict[str, Any], marker: str = "reporting-template") -> None:
        self.ctx = ctx
        self.marker = marker
        self.rows: list[dict[str, Any]] = []
        self.problems: dict[int, str] = {}
        t = ctx.t
        self.kinds = {k: t(text) for k, text in KIND_TEXTS.items()}
        self.how = {MANUAL: t(N_("Đơn vị tự nhập")), FORMULA: t(N_("Công thức"))}
        for b, (vi, en, _unit) in BINDING_LABELS.items():
            self.how[b.value] = t(N_("Dữ liệu CCES: {name}")).format(name=vi if ctx.lang == "vi" else en)
        ui.label(t(N_("Biểu mẫu chỉ tiêu"))).classes("text-md font-medium mt-2")
        self.general = ui.label().classes("text-negative text-sm").mark(f"{marker}-problem")
        self.body = ui.column().classes("w-full gap-2").mark(marker)
        ui.button(t(N_("Thêm chỉ tiêu")), icon="add", on_click=self.add).props("outline dense").mark(f"{marker}-add")
        with ui.expansion(t(N_("Nâng cao: nhập / xem biểu mẫu dạng JSON")), icon="data_object").classes(
            "w-full max-w-3xl"
        ):
            self.json = (
                ui.textarea(t(N_("Biểu mẫu chỉ tiêu (JSON)")))
                .props(f"maxlength={MAX_JSON}")
                .classes("w-full font-mono")
            )
            self.json.mark(f"{marker}-json")
            with ui.row():
                ui.button(t(N_("Nạp JSON vào bảng")), on_click=self.import_json).props("dense").mark(f"{marker}-import")
                ui.button(t(N_("Xem bảng dưới dạng JSON")), on_click=self.show_json).props("dense flat").mark(
                    f"{marker}-export"
                )
        self.load(initial)

    # --- what the form reads ----------------------------------------------------------------------------

    def indicators(self) -> list[dict[str, Any]]:
        return [_indicator(r) for r in self.rows]

    def check(self) -> Checked:
        """The template's rules over the table; the problems appear under their indicators."""
        checked = check_indicators(self.indicators())
        self.problems = checked.rows
        self.general.set_text(checked.general or "")
        self.draw()
        return checked

    def load(self, template: dict[str, Any] | Template) -> None:
        data = template.model_dump(mode="json") if isinstance(template, Template) else template
        self.rows = [_row(i) for i in data.get("indicators", []) if isinstance(i, dict)][:MAX_INDICATORS]
        self.problems = {}
        self.general.set_text("")
        self.draw()

    # --- changes ------------------------------------------------------------------------------------------

    def add(self) -> None:
        if len(self.rows) >= MAX_INDICATORS:
            ui.notify(self.ctx.t(N_("Đã đủ số chỉ tiêu tối đa")), type="warning")
            return
        self.rows.append(_row({"code": "", "name_vi": "", "name_en": ""}))
        self.problems = {}
        self.draw()

    def move(self, i: int, step: int) -> None:
        j = i + step
        if 0 <= j < len(self.rows):
            self.rows[i], self.rows[j] = self.rows[j], self.rows[i]
            self.problems = {}
            self.draw()

    def remove(self, i: int) -> None:
        del self.rows[i]
        self.problems = {}
        self.draw()

    def import_json(self) -> None:
        try:
            data = json.loads(self.json.value or "")
        except json.JSONDecodeError as exc:
            self.general.set_text(
                self.ctx.t(N_("JSON không hợp lệ (dòng {line}) / The JSON is not valid (line {line})")).format(
                    line=exc.lineno
                )
            )
            return
        if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
            self.general.set_text(
                self.ctx.t(
                    N_('JSON cần có dạng {"indicators": [...]} / The JSON needs the shape {"indicators": [...]}')
                )
            )
            return
        self.load(data)
        self.check()

    def show_json(self) -> None:
        self.json.set_value(json.dumps({"indicators": self.indicators()}, ensure_ascii=False, indent=1))

    # --- drawing -------------------------------------------------------------------------------------------

    def _set(self, row: dict[str, Any], key: str, redraw: bool = False) -> Any:
        def changed(e: Any) -> None:
            row[key] = e.value if e.value is not None else ""
            if key == "how" and e.value in self.how and e.value not in (MANUAL, FORMULA):
                vi, en, unit = next(v for b, v in BINDING_LABELS.items() if b.value == e.value)
                row["name_vi"], row["name_en"] = row["name_vi"] or vi, row["name_en"] or en
                row["unit"] = row["unit"] or unit
            if redraw:
                self.draw()

        return changed

    def draw(self) -> None:
        self.body.clear()
        with self.body:
            if not self.rows:
                ui.label(self.ctx.t(N_("Chưa có chỉ tiêu nào."))).classes("text-grey-7").mark(f"{self.marker}-none")
            for i, row in enumerate(self.rows):
                self._line(i, row)

    def _line(self, i: int, row: dict[str, Any]) -> None:
        t, m = self.ctx.t, f"{self.marker}-{i}"
        with ui.card().classes("w-full p-2").props("flat bordered").mark(m):
            with ui.row().classes("items-end gap-2 w-full flex-wrap"):
                ui.label(f"{i + 1}.").classes("font-bold")
                self._input(t(N_("Mã (a-z, 0-9, _)")), row, "code", 40, f"{m}-code", "w-36")
                self._input(t(N_("Tên chỉ tiêu")), row, "name_vi", 300, f"{m}-name-vi", "w-64")
                self._input(t(N_("Tên tiếng Anh")), row, "name_en", 300, f"{m}-name-en", "w-56")
                kind = ui.select(
                    self.kinds, value=row["kind"], label=t(N_("Loại")), on_change=self._set(row, "kind", True)
                )
                kind.classes("w-28").mark(f"{m}-kind")
                if row["kind"] != "text":
                    self._input(t(pgettext("indicator", "Đơn vị tính")), row, "unit", 200, f"{m}-unit", "w-28")
                ui.checkbox(t(N_("Bắt buộc")), value=row["required"], on_change=self._set(row, "required"))
                ui.space()
                ui.button(icon="arrow_upward", on_click=lambda i=i: self.move(i, -1)).props(
                    f"flat dense round aria-label={t(UP)}"
                ).mark(f"{m}-up")
                ui.button(icon="arrow_downward", on_click=lambda i=i: self.move(i, 1)).props(
                    f"flat dense round aria-label={t(DOWN)}"
                ).mark(f"{m}-down")
                ui.button(icon="delete", on_click=lambda i=i: self.remove(i)).props(
                    f"flat dense round color=negative aria-label={t(DELETE)}"
                ).mark(f"{m}-remove")
            if row["kind"] == "number":
                with ui.row().classes("items-end gap-2 w-full flex-wrap"):
                    how = ui.select(self.how, value=row["how"] if row["how"] in self.how else MANUAL,
                                    label=t(N_("Số liệu lấy từ")), on_change=self._set(row, "how", True))  # fmt: skip
                    how.classes("w-72").mark(f"{m}-how")
                    if row["how"] == FORMULA:
                        self._input(t(N_("Công thức (vd: late / staff)")), row, "formula", 500, f"{m}-formula", "w-96")
                    dec = ui.number(t(N_("Số lẻ")), value=row["decimals"], min=0, max=6, precision=0, format="%d")
                    dec.classes("w-20").on_value_change(self._set(row, "decimals"))
            if row["kind"] == "table":
                self._columns(row, m)
            if i in self.problems:
                ui.label(self.problems[i]).classes("text-negative text-sm").mark(f"{m}-problem")

    def _input(self, label: str, row: dict[str, Any], key: str, limit: int, marker: str, width: str) -> None:
        box = ui.input(label, value=row[key], on_change=self._set(row, key)).props(f"dense maxlength={limit}")
        box.classes(width).mark(marker)

    def _columns(self, row: dict[str, Any], m: str) -> None:
        t = self.ctx.t
        with ui.column().classes("gap-1 pl-6 w-full"):
            with ui.row().classes("items-center gap-4"):
                ui.label(t(N_("Các cột của bảng"))).classes("text-sm")
                ui.checkbox(t(N_("Có dòng tổng cộng")), value=row["total"], on_change=self._set(row, "total")).mark(
                    f"{m}-total"
                )
            for k, col in enumerate(row["columns"]):
                with ui.row().classes("items-end gap-2 flex-wrap"):
                    self._input(t(N_("Mã (a-z, 0-9, _)")), col, "code", 40, f"{m}-col-{k}-code", "w-32")
                    self._input(t(N_("Tên chỉ tiêu")), col, "name_vi", 300, f"{m}-col-{k}-name-vi", "w-56")
                    self._input(t(N_("Tên tiếng Anh")), col, "name_en", 300, f"{m}-col-{k}-name-en", "w-48")
                    kinds = {k2: self.kinds[k2] for k2 in ("number", "text")}
                    ui.select(kinds, value=col["kind"], label=t(N_("Loại")), on_change=self._set(col, "kind")).classes(
                        "w-28"
                    ).mark(f"{m}-col-{k}-kind")
                    self._input(t(pgettext("indicator", "Đơn vị tính")), col, "unit", 200, f"{m}-col-{k}-unit", "w-24")
                    ui.button(icon="close", on_click=lambda k=k: self._drop_column(row, k)).props("flat dense round")

            def add_column() -> None:
                if len(row["columns"]) < MAX_COLUMNS:
                    row["columns"].append({"code": "", "name_vi": "", "name_en": "", "kind": "number", "unit": ""})
                    self.draw()

            ui.button(t(N_("Thêm cột")), icon="add", on_click=add_column).props("flat dense").mark(f"{m}-add-column")

    def _drop_column(self, row: dict[str, Any], k: int) -> None:
        del row["columns"][k]
        self.draw()
