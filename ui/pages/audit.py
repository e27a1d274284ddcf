"""The audit log (nhật ký thao tác): who changed what, when, from where, before and after — searchable.

A system admin reads every row; an office admin the rows about their units (the accounts
service scopes the search, this page only asks). Actions, entities and non-person actors are
shown in words (ui.components.labels.audit); the codes stay in the data and in exports.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from nicegui import ui

from hub.accounts import actions as accounts_actions
from hub.accounts.models import AuditEntry, AuditQuery
from hub.services import HubServices
from ui import shell
from ui.components.date_range import DateRangePicker
from ui.components.format import LOCAL_TZ, NOTHING, Translate, local_time
from ui.components.labels.audit import action_label, action_options, actor_label, entity_label
from ui.components.pager import pager
from ui.components.states import empty_state
from ui.components.tables import columns
from ui.i18n import N_
from ui.shell import PageContext, module_page

PAGE_SIZE = 50


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ)


def register(services: HubServices) -> None:
    @module_page(
        "/audit", text_key=N_("Nhật ký thao tác"), icon="history", action=accounts_actions.READ_AUDIT, order=81
    )
    def audit(ctx: PageContext, q: str = "", actor: str = "", action: str = "") -> None:
        _audit(ctx, q, actor, action)


def _audit(ctx: PageContext, q: str, actor: str, action: str) -> None:
    t = ctx.t
    state: dict[str, Any] = {"page": 1}
    ui.label(t(N_("Nhật ký thao tác"))).classes("text-xl font-bold")
    actions = {"": t(shell.ALL), **action_options(t)}
    action = action.strip()[:64]
    if action and action not in actions:  # a code from an address: still filtered, shown as it is
        actions[action] = action_label(t, action)
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        text = ui.input(t(N_("Tìm trong nội dung")), value=q).props("clearable outlined dense maxlength=200")
        text.classes("w-full sm:w-64").mark("audit-text")
        who = ui.input(t(N_("Người thực hiện (tên đăng nhập)")), value=actor).props(
            "clearable outlined dense maxlength=64"
        )
        who.classes("w-full sm:w-48").mark("audit-actor")
        what = ui.select(actions, value=action, label=t(N_("Thao tác")), with_input=True)
        what.props("outlined dense options-dense").classes("w-full sm:w-72").mark("audit-action")
        period = DateRangePicker(t, lambda: changed(), marker="audit")
    error = ui.label().classes("text-negative").mark("audit-error")

    @ui.refreshable
    def results() -> None:
        error.text = ""
        try:
            first, last = period.bounds()
        except ValueError as exc:
            error.text = str(exc)
            return
        query = AuditQuery(
            actor=(who.value or "").strip() or None,
            action=what.value or None,
            since=_local_midnight(first) if first else None,
            until=_local_midnight(last + timedelta(days=1)) if last else None,
            text=(text.value or "").strip(),
            limit=PAGE_SIZE,
            offset=(state["page"] - 1) * PAGE_SIZE,
        )
        total, entries = ctx.services.accounts.search_audit(ctx.principal, query)
        if not entries:
            empty_state(t(N_("Không có bản ghi nào.")), icon="history", marker="audit-none")
        cols = columns(
            t,
            [("at", N_("Thời điểm")), ("actor", N_("Người thực hiện (tên đăng nhập)")),
             ("action_label", N_("Thao tác")), ("entity", N_("Đối tượng")), ("ip", N_("Địa chỉ IP"))],
        )  # fmt: skip
        table = ui.table(columns=cols, rows=[audit_row(t, e) for e in entries], row_key="id")
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
            + t(N_("Trước"))
            + r"""</b><pre class="text-xs" style="white-space:pre-wrap">{{ props.row.before }}</pre></div>
                  <div class="col-12 col-md-6"><b>"""
            + t(N_("Sau"))
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

    for element in (text, who):
        element.props("debounce=400")  # one search when typing pauses, not one per keystroke
        element.on_value_change(changed)
    what.on_value_change(changed)
    results()


def _json(value: Any) -> str:
    return NOTHING if value is None else json.dumps(value, ensure_ascii=False, indent=1, default=str)


def audit_row(t: Translate, e: AuditEntry) -> dict[str, Any]:
    """One entry as the table shows it: `action` keeps the code (the data), `action_label` is shown."""
    return {
        "id": e.id,
        "at": local_time(e.at),
        "actor": actor_label(t, e.actor),
        "action": e.action,
        "action_label": action_label(t, e.action),
        "entity": entity_label(t, e.entity, e.entity_id),
        "ip": e.client_ip or NOTHING,
        "before": _json(e.before),
        "after": _json(e.after),
    }
