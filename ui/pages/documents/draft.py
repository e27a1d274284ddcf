"""One outgoing draft (/documents/drafts?id=…): its details, signature block and recipients, its versions (the
latest PDF in a frame), comments and history; and what the reader may do at its step — the drafter edits,
uploads a version and submits; the head of unit forwards or returns; the signing leader approves (signs) or
returns; the văn thư of the issuing unit numbers and releases it (the number is taken then: `Số: 15/QĐ-HQKV2`)
or returns it. Every step goes through hub.documents.outgoing.service, which checks the turn again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import events, run, ui

from hub.access import Target, gate
from hub.documents import access
from hub.documents.files import Upload
from hub.documents.models import SeriesKind
from hub.documents.outgoing.models import EDITABLE, Draft, DraftState
from hub.domain import DomainError
from ui.components.facts import facts
from ui.components.format import local_date, local_time
from ui.components.states import empty_state, show_problem
from ui.i18n import N_, pgettext
from ui.pages.documents.draft_form import draft_fields
from ui.pages.documents.drafts_texts import STATES, STEPS
from ui.pages.documents.texts import SECRECY, URGENCY, pick
from ui.shell import PageContext

#: texts shown inside composed lines (a constant, so that Babel extracts them)
RELEASED_AS = pgettext("drafts: released as", "Đã phát hành")
UPLOADED = N_("Đã tải lên phiên bản")

PATH = "/documents/drafts"


def draw(ctx: PageContext, id: str) -> None:  # noqa: A002 - the link's query parameter
    try:
        found = ctx.services.outgoing.draft(ctx.principal, int(id))
    except (DomainError, ValueError) as exc:
        show_problem(str(exc) if isinstance(exc, DomainError) else "?", marker="drafts-draft-problem")
        return
    _header(ctx, found)
    _versions(ctx, found)
    _turn(ctx, found)
    _comments(ctx, found)
    _history(ctx, found)


def _reload(d: Draft) -> None:
    ui.navigate.to(f"{PATH}?id={d.id}")


def _run(action: Callable[[], Any], d: Draft, problem: ui.label) -> None:
    problem.set_text("")
    try:
        action()
    except DomainError as exc:
        problem.set_text(str(exc))
        return
    _reload(d)


def _released_number(ctx: PageContext, d: Draft) -> str | None:
    for r in ctx.services.outgoing.released(ctx.principal, limit=500):
        if r.draft.id == d.id:
            return r.number_line
    return None


def _header(ctx: PageContext, d: Draft) -> None:
    t = ctx.t
    ui.label(f"{d.type_name_vi}: {d.subject}").classes("text-2xl font-bold").mark("drafts-draft-title")
    ui.label(t(STATES[d.state])).classes("text-lg font-bold text-primary").mark("drafts-draft-state")
    if d.state is DraftState.RELEASED:
        number = _released_number(ctx, d)
        with ui.card().classes("bg-green-1").mark("drafts-released-card"):
            ui.label(f"{t(RELEASED_AS)}: {number or ''}").classes("text-xl font-bold").mark("drafts-number-line")
            if d.released_at:
                ui.label(local_time(d.released_at, seconds=False))
            if d.document_id and gate.allows(ctx.principal, access.READ_DOCUMENT):
                ui.link(t(N_("Mở văn bản đã phát hành")), f"/documents/entry?id={d.document_id}")
    facts(
        [
            (t(N_("Đơn vị ban hành (mã, có con dấu)")), d.unit_code),
            (t(N_("Đơn vị soạn thảo (mã)")), d.drafting_unit_code),
            (t(N_("Người soạn thảo")), d.created_by),
            (t(N_("Ngày tạo")), local_time(d.created_at, seconds=False)),
            (t(N_("Độ khẩn")), t(URGENCY[int(d.urgency)])),
            (t(N_("Độ mật")), t(SECRECY[int(d.secrecy)])),
            (t(N_("Lãnh đạo đơn vị duyệt (tên đăng nhập, có thể bỏ trống)")), d.reviewer or "—"),
            (t(N_("Lãnh đạo ký (tên đăng nhập)")), d.signer),
            (t(N_("Khối chữ ký")), " / ".join(d.signature_block)),
            (t(N_("Hạn trả lời")), local_date(d.reply_due)),
            (t(N_("Nơi nhận")), d.to_places.replace("\n", "  ")),
        ],
        marker="drafts-facts",
    )


def _versions(ctx: PageContext, d: Draft) -> None:
    t = ctx.t
    ui.label(t(N_("Các phiên bản"))).classes("text-xl mt-4")
    if not d.versions:
        empty_state(t(N_("Chưa có tệp dự thảo.")), marker="drafts-no-versions")
    for v in reversed(d.versions):
        url = f"/api/v1/documents/drafts/{d.id}/versions/{v.version}"
        with ui.row().classes("items-center gap-4").mark(f"drafts-version-{v.version}"):
            ui.label(f"v{v.version}: {v.filename} ({v.size_bytes / 1024:.0f} KB)").classes("font-bold")
            ui.label(f"{v.uploaded_by}, {local_time(v.uploaded_at, seconds=False)}{' — ' + v.note if v.note else ''}")
            ui.link(t(N_("Tải về")), url, new_tab=True)
    latest = d.latest
    if latest is not None and latest.content_type == "application/pdf":
        url = f"/api/v1/documents/drafts/{d.id}/versions/{latest.version}"
        ui.element("iframe").props(f'src="{url}" title="{latest.filename}"').classes("w-full h-[60vh] border")


def _turn(ctx: PageContext, d: Draft) -> None:
    """The reader's step on this draft, if it is their turn."""
    p, uid = ctx.principal, ctx.principal.user_id
    admin = p.is_system_admin
    if d.state in EDITABLE and (d.created_by_user_id == uid or admin):
        _editor(ctx, d)
    elif d.state is DraftState.REVIEWING and (d.reviewer_user_id == uid or admin):
        if gate.allows_on(p, access.REVIEW_DRAFT, Target.unit(d.drafting_unit_path)):
            _decide(ctx, d, "forward", N_("Đồng ý, chuyển lãnh đạo ký"), ctx.services.outgoing.forward)
    elif d.state is DraftState.SIGNING and (d.signer_user_id == uid or admin):
        if gate.allows_on(p, access.SIGN_DRAFT, Target.unit(d.unit_path)):
            _decide(ctx, d, "approve", pgettext("drafts: approve", "Ký duyệt"), ctx.services.outgoing.approve)
    elif d.state is DraftState.APPROVED and gate.allows_on(p, access.RELEASE, Target.unit(d.unit_path)):
        _release(ctx, d)


def _editor(ctx: PageContext, d: Draft) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    with ui.card().classes("w-full mt-4").mark("drafts-editor"):
        ui.label(t(N_("Việc của anh/chị ở bước này"))).classes("font-bold")
        fields = draft_fields(ctx, d)
        problem = ui.label().classes("text-negative").mark("drafts-problem")

        def save() -> None:
            _run(lambda: outgoing.edit(ctx.principal, d.id, recipients=fields.recipients(), **fields.values()), d,
                 problem)  # fmt: skip

        note = ui.input(t(N_("Ghi chú phiên bản"))).props("dense maxlength=2000").classes("w-96")
        note.mark("drafts-version-note")

        async def take(event: events.UploadEventArguments) -> None:
            upload = Upload(event.file.name, await event.file.read())
            problem.set_text("")
            try:
                await run.io_bound(lambda: outgoing.add_version(ctx.principal, d.id, upload, note=note.value or None))
            except DomainError as exc:
                problem.set_text(str(exc))
                return
            ui.notify(f"{t(UPLOADED)} {upload.name}", type="positive")
            _reload(d)

        box = ui.upload(label=t(N_("Tải lên phiên bản mới (PDF, Word)")), auto_upload=True, on_upload=take)
        box.props('accept=".pdf,.doc,.docx,.odt" flat bordered').classes("w-full sm:w-[32rem]").mark("drafts-upload")
        with ui.row().classes("gap-2"):
            ui.button(t(N_("Lưu thay đổi")), icon="save", on_click=save).props("outline").mark("drafts-save")
            submit_note = ui.input(t(N_("Ghi chú"))).props("dense maxlength=2000").mark("drafts-submit-note")
            ui.button(t(N_("Trình duyệt")), icon="send", on_click=lambda: _run(
                lambda: outgoing.submit(ctx.principal, d.id, note=submit_note.value or None), d, problem
            )).mark("drafts-submit")  # fmt: skip


def _return_row(ctx: PageContext, d: Draft, problem: ui.label) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    with ui.row().classes("items-end gap-2 w-full"):
        reason = ui.input(t(N_("Lý do trả lại"))).props("dense maxlength=2000").classes("w-96")
        reason.mark("drafts-return-reason")
        ui.button(t(N_("Trả lại (ghi rõ lý do)")), icon="undo", on_click=lambda: _run(
            lambda: outgoing.return_(ctx.principal, d.id, note=reason.value or ""), d, problem
        )).props("flat").mark("drafts-return")  # fmt: skip


def _decide(ctx: PageContext, d: Draft, step: str, key: str, action: Callable[..., Draft]) -> None:
    t = ctx.t
    with ui.card().classes("w-full mt-4").mark(f"drafts-{step}-card"):
        ui.label(t(N_("Việc của anh/chị ở bước này"))).classes("font-bold")
        problem = ui.label().classes("text-negative").mark("drafts-problem")
        with ui.row().classes("items-end gap-2 w-full"):
            note = ui.input(t(N_("Ghi chú"))).props("dense maxlength=2000").classes("w-96").mark(f"drafts-{step}-note")
            ui.button(t(key), icon="check", on_click=lambda: _run(
                lambda: action(ctx.principal, d.id, note=note.value or None), d, problem
            )).mark(f"drafts-{step}")  # fmt: skip
        _return_row(ctx, d, problem)


def _release(ctx: PageContext, d: Draft) -> None:
    t, svc = ctx.t, ctx.services
    today = svc.outgoing.today()
    series = {"": t(N_("Sổ (để trống: sổ văn bản hành chính)"))} | {
        s.code: f"{s.code} — {pick((s.name_vi, s.name_en), ctx.lang)}"
        for s in svc.documents.series(d.unit_code)
        if s.kind is not SeriesKind.INCOMING and s.in_force(today)
    }
    with ui.card().classes("w-full mt-4").mark("drafts-release-card"):
        ui.label(t(N_("Việc của anh/chị ở bước này"))).classes("font-bold")
        problem = ui.label().classes("text-negative").mark("drafts-problem")
        with ui.row().classes("items-end gap-2 w-full"):
            chosen = (
                ui.select(series, value="", label=t(N_("Sổ (để trống: sổ văn bản hành chính)")))
                .props("dense")
                .classes("w-80")
            )
            chosen.mark("drafts-series")

            async def release() -> None:
                problem.set_text("")
                try:
                    sent = await run.io_bound(
                        lambda: svc.outgoing.release(ctx.principal, d.id, series_code=chosen.value or None)
                    )
                except DomainError as exc:
                    problem.set_text(str(exc))
                    return
                ui.notify(f"{t(RELEASED_AS)}: {sent.number_line}", type="positive")
                _reload(d)

            ui.button(t(N_("Cấp số và phát hành")), icon="verified", on_click=release).mark("drafts-release")
        _return_row(ctx, d, problem)


def _comments(ctx: PageContext, d: Draft) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    ui.label(t(N_("Góp ý"))).classes("text-xl mt-4")
    if not d.comments:
        empty_state(t(N_("Chưa có góp ý.")), marker="drafts-no-comments")
    for c in d.comments:
        on = f" (v{c.version})" if c.version else ""
        ui.label(f"{local_time(c.at, seconds=False)} {c.by_user}{on}: {c.body}").classes("text-sm").mark(
            f"drafts-comment-{c.id}"
        )
    if d.state is DraftState.RELEASED:
        return
    problem = ui.label().classes("text-negative").mark("drafts-comment-problem")
    with ui.row().classes("items-end gap-2 w-full"):
        body = (
            ui.textarea(t(N_("Góp ý của anh/chị"))).props("dense maxlength=4000").classes("w-96").mark("drafts-comment")
        )
        versions = {0: "—"} | {v.version: f"v{v.version}" for v in d.versions}
        version = ui.select(versions, value=d.latest.version if d.latest else 0, label=t(N_("Cho phiên bản")))
        version.props("dense").classes("w-32").mark("drafts-comment-version")
        ui.button(t(pgettext("drafts: send comment", "Gửi góp ý")), icon="comment", on_click=lambda: _run(
            lambda: outgoing.comment(ctx.principal, d.id, body.value or "", version=int(version.value or 0) or None),
            d, problem,
        )).props("outline").mark("drafts-send-comment")  # fmt: skip


def _history(ctx: PageContext, d: Draft) -> None:
    if not d.steps:
        return
    ui.label(ctx.t(N_("Quá trình xử lý"))).classes("text-xl mt-4")
    for s in d.steps:
        ui.label(
            f"{local_time(s.at, seconds=False)} {s.by_user}: {ctx.t(STEPS[s.step]) if s.step in STEPS else s.step}"
            f"{' — ' + s.note if s.note else ''}"
        ).classes("text-sm").mark("drafts-step")
