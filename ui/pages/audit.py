"""The audit log (nhật ký thao tác): who changed what, when, from where, before and after — searchable.

A system admin reads every row; an office admin the rows about their units (the accounts
service scopes the search, this page only asks).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from nicegui import ui

from hub.accounts.access import AUDIT_READERS
from hub.accounts.models import AuditEntry, AuditQuery
from hub.services import HubServices
from ui.components.format import LOCAL_TZ, NOTHING, local_time
from ui.components.pager import pager
from ui.i18n import register_texts
from ui.shell import PageContext, any_role, module_page

PAGE_SIZE = 50

register_texts(
    {
        "audit": {"vi": "Nhật ký thao tác", "en": "Audit log"},
        "audit_text": {"vi": "Tìm trong nội dung", "en": "Search the contents"},
        "audit_actor": {"vi": "Người thực hiện (tên đăng nhập)", "en": "Actor (username)"},
        "audit_action": {
            "vi": "Thao tác (vd. sign_in. hoặc device.update)",
            "en": "Action (e.g. sign_in. or device.update)",
        },
        "audit_since": {"vi": "Từ ngày", "en": "From"},
        "audit_until": {"vi": "Đến ngày", "en": "To"},
        "audit_at": {"vi": "Thời điểm", "en": "When"},
        "audit_entity": {"vi": "Đối tượng", "en": "Entity"},
        "audit_ip": {"vi": "Địa chỉ IP", "en": "IP address"},
        "audit_before": {"vi": "Trước", "en": "Before"},
        "audit_after": {"vi": "Sau", "en": "After"},
        "audit_none": {"vi": "Không có bản ghi nào.", "en": "No entries."},
        "bad_date": {"vi": "Ngày không hợp lệ (dd/mm/yyyy): {value}", "en": "Not a date (dd/mm/yyyy): {value}"},
    }
)


def parse_day(text: str) -> date | None:
    """'23/11/2026' or '2026-11-23' → a date; '' → None; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ)


def register(services: HubServices) -> None:
    @module_page("/audit", text_key="audit", icon="history", allowed=any_role(*AUDIT_READERS), order=81)
    def audit(ctx: PageContext, q: str = "", actor: str = "", action: str = "") -> None:
        _audit(ctx, q, actor, action)


def _audit(ctx: PageContext, q: str, actor: str, action: str) -> None:
    t = ctx.t
    state: dict[str, Any] = {"page": 1}
    ui.label(t("audit")).classes("text-xl font-bold")
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        text = ui.input(t("audit_text"), value=q).props("clearable outlined dense maxlength=200")
        text.classes("w-full sm:w-64")
        text.mark("audit-text")
        who = ui.input(t("audit_actor"), value=actor).props("clearable outlined dense maxlength=64")
        who.classes("w-full sm:w-48")
        who.mark("audit-actor")
        what = ui.input(t("audit_action"), value=action).props("clearable outlined dense maxlength=64")
        what.classes("w-full sm:w-64")
        what.mark("audit-action")
        since = ui.input(t("audit_since"), placeholder="dd/mm/yyyy").props("outlined dense").classes("w-36")
        since.mark("audit-since")
        until = ui.input(t("audit_until"), placeholder="dd/mm/yyyy").props("outlined dense").classes("w-36")
        until.mark("audit-until")
    error = ui.label().classes("text-negative").mark("audit-error")

    @ui.refreshable
    def results() -> None:
        error.text = ""
        try:
            first, last = parse_day(since.value or ""), parse_day(until.value or "")
        except ValueError as exc:
            error.text = t("bad_date").format(value=exc)
            return
        query = AuditQuery(
            actor=(who.value or "").strip() or None,
            action=(what.value or "").strip() or None,
            since=_local_midnight(first) if first else None,
            until=_local_midnight(last + timedelta(days=1)) if last else None,
            text=(text.value or "").strip(),
            limit=PAGE_SIZE,
            offset=(state["page"] - 1) * PAGE_SIZE,
        )
        total, entries = ctx.services.search_audit(ctx.principal, query)
        if not entries:
            ui.label(t("audit_none")).classes("text-grey-7").mark("audit-none")
        columns = [
            {"name": "at", "label": t("audit_at"), "field": "at", "align": "left"},
            {"name": "actor", "label": t("audit_actor"), "field": "actor", "align": "left"},
            {"name": "action", "label": t("audit_action"), "field": "action", "align": "left"},
            {"name": "entity", "label": t("audit_entity"), "field": "entity", "align": "left"},
            {"name": "ip", "label": t("audit_ip"), "field": "ip", "align": "left"},
        ]
        table = ui.table(columns=columns, rows=[_row(e) for e in entries], row_key="id")
        table.classes("w-full").props("flat bordered dense wrap-cells").mark("audit-table")
        table.add_slot(
            "body",
            r"""
            <q-tr :props="props" @click="props.expand = !props.expand" class="cursor-pointer">
              <q-td v-for="col in props.cols" :key="col.name" :props="props">{{ col.value }}</q-td>
            </q-tr>
            <q-tr v-show="props.expand" :props="props">
              <q-td colspan="100%">
                <div class="row q-col-gutter-md">
                  <div class="col-12 col-md-6"><b>"""
            + t("audit_before")
            + r"""</b><pre class="text-xs" style="white-space:pre-wrap">{{ props.row.before }}</pre></div>
                  <div class="col-12 col-md-6"><b>"""
            + t("audit_after")
            + r"""</b><pre class="text-xs" style="white-space:pre-wrap">{{ props.row.after }}</pre></div>
                </div>
              </q-td>
            </q-tr>
            """,
        )
        pager(t, state["page"], total, PAGE_SIZE, turn, marker="audit")

    def turn(step: int) -> None:
        state["page"] = max(1, state["page"] + step)
        results.refresh()

    def changed() -> None:
        state["page"] = 1
        results.refresh()

    for element in (text, who, what):
        element.props("debounce=400")  # one search when typing pauses, not one per keystroke
        element.on_value_change(changed)
    for element in (since, until):
        element.on("blur", changed)
        element.on("keydown.enter", changed)
    results()


def _json(value: Any) -> str:
    return NOTHING if value is None else json.dumps(value, ensure_ascii=False, indent=1, default=str)


def _row(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": local_time(e.at),
        "actor": e.actor,
        "action": e.action,
        "entity": f"{e.entity} {e.entity_id}" if e.entity_id else e.entity,
        "ip": e.client_ip or NOTHING,
        "before": _json(e.before),
        "after": _json(e.after),
    }
