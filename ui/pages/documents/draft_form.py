"""The fields of an outgoing draft, shared by the new-draft page and the draft's editor: type, subject, marks,
the reviewer and the signing leader with the signing prefix (data: document_signing_prefixes), the hạn trả lời
asked of the recipients (optional), and the recipients inside (CCES unit codes) and outside (organs by name,
`| id` after it). The service checks every value again (hub.documents.outgoing.service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nicegui import ui

from hub.documents.models import both
from hub.documents.outgoing.models import Draft, DraftError, Recipient
from ui.i18n import N_
from ui.pages.documents.texts import SECRECY, URGENCY, pick
from ui.shell import PageContext

NO_PREFIX = ""


@dataclass
class DraftFields:
    type: ui.select
    subject: ui.input
    notation: ui.input
    urgency: ui.select
    secrecy: ui.select
    reviewer: ui.input
    signer: ui.input
    signer_name: ui.input
    signer_position: ui.input
    prefix: ui.select
    authority_title: ui.input
    delegation: ui.input
    reply_due: ui.input
    inside: ui.input
    outside: ui.textarea

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments (create and edit)."""
        return {
            "type_key": self.type.value or "", "subject": self.subject.value or "",
            "drafter_notation": (self.notation.value or "").strip() or None,
            "urgency": int(self.urgency.value or 0), "secrecy": int(self.secrecy.value or 0),
            "reviewer": (self.reviewer.value or "").strip() or None, "signer": (self.signer.value or "").strip(),
            "signer_name": self.signer_name.value or "", "signer_position": self.signer_position.value or "",
            "signing_prefix": self.prefix.value or None,
            "authority_title": (self.authority_title.value or "").strip() or None,
            "delegation": (self.delegation.value or "").strip() or None, "reply_due": self.reply_day(),
        }  # fmt: skip

    def reply_day(self) -> date | None:
        """The hạn trả lời typed (the browser's date picker gives YYYY-MM-DD); none when left empty."""
        text = (self.reply_due.value or "").strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise DraftError(
                both(f"hạn trả lời không phải một ngày: {text[:20]!r}", f"the reply date is not a date: {text[:20]!r}")
            ) from None

    def recipients(self) -> list[Recipient]:
        inside = [Recipient(unit_code=c.strip()) for c in (self.inside.value or "").split(",") if c.strip()]
        outside = []
        for line in (self.outside.value or "").splitlines():
            name, _, organ_id = line.partition("|")
            if name.strip():
                outside.append(Recipient(organ_name=name.strip(), organ_id=organ_id.strip() or None))
        return inside + outside


def draft_fields(ctx: PageContext, draft: Draft | None = None) -> DraftFields:
    """The inputs, filled from `draft` when editing one."""
    t, svc = ctx.t, ctx.services
    types = {d.key: f"{d.abbreviation + ' — ' if d.abbreviation else ''}{d.name_vi}" for d in svc.documents.types()}
    prefixes = {NO_PREFIX: t(N_("Người đứng đầu ký"))} | {
        p.code: f"{p.label} — {pick((p.name_vi, p.name_en), ctx.lang)}"
        for p in svc.outgoing.prefixes()
        if p.in_force(svc.outgoing.today())
    }
    d = draft
    inside = ", ".join(r.unit_code for r in d.recipients if r.unit_code) if d else ""
    outside = (
        "\n".join(f"{r.organ_name}{' | ' + r.organ_id if r.organ_id else ''}" for r in d.recipients if r.organ_name)
        if d
        else ""
    )
    with ui.grid(columns="repeat(auto-fill, minmax(16rem, 1fr))").classes("w-full gap-2"):
        fields = DraftFields(
            type=ui.select(types, value=d.type_key if d else "cong_van", label=t(N_("Loại văn bản"))).props("dense"),
            subject=ui.input(t(N_("Trích yếu")), value=d.subject if d else "").props("dense maxlength=500"),
            notation=ui.input(
                t(N_("Ký hiệu đơn vị soạn thảo (VP, TCCB)")), value=(d.drafter_notation or "") if d else ""
            ).props("dense maxlength=20"),
            urgency=ui.select(
                {k: t(v) for k, v in URGENCY.items()},
                value=int(d.urgency) if d else 0,
                label=t(N_("Độ khẩn")),
            ).props("dense"),
            secrecy=ui.select(
                {k: t(v) for k, v in SECRECY.items()},
                value=int(d.secrecy) if d else 0,
                label=t(N_("Độ mật")),
            ).props("dense"),
            reviewer=ui.input(
                t(N_("Lãnh đạo đơn vị duyệt (tên đăng nhập, có thể bỏ trống)")), value=(d.reviewer or "") if d else ""
            ).props("dense maxlength=64"),
            signer=ui.input(t(N_("Lãnh đạo ký (tên đăng nhập)")), value=d.signer if d else "").props(
                "dense maxlength=64"
            ),
            signer_name=ui.input(t(N_("Họ tên người ký")), value=d.signer_name if d else "").props(
                "dense maxlength=50"
            ),
            signer_position=ui.input(
                t(N_("Chức vụ người ký (PHÓ CHI CỤC TRƯỞNG)")), value=d.signer_position if d else ""
            ).props("dense maxlength=100"),
            prefix=ui.select(
                prefixes,
                value=(d.signing_prefix or NO_PREFIX) if d else NO_PREFIX,
                label=t(N_("Thẩm quyền ký (TM., KT., TL., TUQ., Q.)")),
            ).props("dense"),
            authority_title=ui.input(
                t(N_("Chức danh sau thẩm quyền (CHI CỤC TRƯỞNG)")), value=(d.authority_title or "") if d else ""
            ).props("dense maxlength=100"),
            delegation=ui.input(
                t(N_("Văn bản ủy quyền (bắt buộc với TUQ.)")), value=(d.delegation or "") if d else ""
            ).props("dense maxlength=500"),
            reply_due=ui.input(
                t(N_("Hạn trả lời (nếu có)")), value=d.reply_due.isoformat() if d and d.reply_due else ""
            ).props("dense type=date"),
            inside=ui.input(t(N_("Nơi nhận trong ngành (mã đơn vị, cách nhau dấu phẩy)")), value=inside).props(
                "dense maxlength=2000"
            ),
            outside=ui.textarea(
                t(N_("Nơi nhận ngoài (mỗi dòng một cơ quan; mã định danh sau dấu |)")), value=outside
            ).props("dense maxlength=20000"),
        )
    fields.subject.classes("col-span-2")
    for name in DraftFields.__dataclass_fields__:
        getattr(fields, name).mark(f"drafts-field-{name.replace('_', '-')}")
    return fields
