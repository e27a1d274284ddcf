"""The outgoing chain's constants, checks of input and its errors (hub.documents.outgoing.service and its parts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hub.documents.models import both
from hub.documents.outgoing.models import (
    Draft,
    DraftConflict,
    DraftError,
    DraftState,
    LinkKind,
    UnknownDraft,
)

DRAFTS = "documents.drafts"  # notification category (migration 0505)

MAX_RECIPIENTS = 200

MAX_INBOX = 500

MAX_REPLY_YEARS = 5  # a hạn trả lời further ahead than this is a typing mistake (20226 for 2026), not a plan


def _text(value: str | None, field_vi: str, field_en: str, limit: int, *, required: bool = True,
          lines: bool = False) -> str | None:  # fmt: skip
    text = (value or "").strip()
    if not text:
        if required:
            raise DraftError(both(f"thiếu {field_vi}", f"{field_en} is required"))
        return None
    allowed = "\n\t" if lines else ""
    if len(text) > limit or any(ord(c) < 32 and c not in allowed for c in text):
        raise DraftError(
            both(
                f"{field_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự điều khiển",
                f"{field_en} is longer than {limit} characters or holds control characters",
            )
        )
    return text


def _signer_position(d: Draft) -> str:
    return (f"{d.prefix_label} {d.authority_title} - {d.signer_position}" if d.prefix_label else d.signer_position)[
        :100
    ]


def _summary(d: Draft) -> dict[str, Any]:
    return {
        "unit": d.unit_code, "drafting_unit": d.drafting_unit_code, "type": d.type_key, "subject": d.subject,
        "secrecy": int(d.secrecy), "urgency": int(d.urgency), "reviewer": d.reviewer, "signer": d.signer,
        "prefix": d.signing_prefix, "recipients": [r.unit_code or r.organ_name for r in d.recipients],
        "relates": [d.relates_kind.value, d.relates_to] if d.relates_kind else None,
        "reply_due": d.reply_due.isoformat() if d.reply_due else None,
    }  # fmt: skip


def _level(value: int, vi: str, en: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 3:
        raise DraftError(both(f"{vi} từ 0 đến 3", f"{en} is 0 to 3"))
    return value


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _reply_due(value: date | None, today: date) -> date | None:
    """The hạn trả lời a draft asks of its recipients: none, or a day from `today` (the unit's local day) to
    MAX_REPLY_YEARS years ahead."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise DraftError(both("hạn trả lời phải là một ngày", "the reply date must be a date"))
    last = _years_after(today, MAX_REPLY_YEARS)
    if value < today:
        raise DraftError(
            both(
                f"hạn trả lời {value:%d/%m/%Y} đã qua (hôm nay là {today:%d/%m/%Y})",
                f"the reply date {value.isoformat()} is before today ({today.isoformat()})",
            )
        )
    if value > last:
        raise DraftError(
            both(
                f"hạn trả lời {value:%d/%m/%Y} quá xa: chậm nhất {last:%d/%m/%Y} ({MAX_REPLY_YEARS} năm)",
                f"the reply date {value.isoformat()} is too far ahead: {last.isoformat()} at the latest "
                f"({MAX_REPLY_YEARS} years)",
            )
        )
    return value


def _reply_still_open(d: Draft, today: date) -> None:
    """A draft whose hạn trả lời has passed while it went up the chain is not submitted or released with it."""
    if d.reply_due is not None and d.reply_due < today:
        raise DraftError(
            both(
                f"hạn trả lời {d.reply_due:%d/%m/%Y} của dự thảo {d.id} đã qua: người soạn thảo sửa lại trước"
                " khi trình hoặc phát hành (văn thư trả lại dự thảo)",
                f"the reply date {d.reply_due.isoformat()} of draft {d.id} has passed: the drafter changes it"
                " before it is submitted or released (the văn thư returns the draft)",
            )
        )


def _link_kind(value: LinkKind | str) -> LinkKind:
    try:
        return LinkKind(value)
    except ValueError:
        raise DraftError(
            both(f"loại liên kết không hợp lệ: {value!r}", f"invalid relation: {value!r} (revokes, replaces, updates)")
        ) from None


def _missing(draft_id: int) -> UnknownDraft:
    return UnknownDraft(both(f"không có dự thảo {draft_id}", f"no draft {draft_id}"))


def _no_document(document_id: int) -> UnknownDraft:
    return UnknownDraft(both(f"không có văn bản số {document_id}", f"no document {document_id}"))


def _wrong_state(draft_id: int, state: DraftState | None) -> DraftConflict:
    return DraftConflict(
        both(
            f"dự thảo {draft_id} đang ở bước {STATE_VI.get(state, '?')}, không làm được việc này",
            f"draft {draft_id} is {state.value if state else '?'}: this step does not apply",
        )
    )


STATE_VI = {
    DraftState.DRAFTING: "soạn thảo", DraftState.REVIEWING: "chờ lãnh đạo đơn vị duyệt",
    DraftState.SIGNING: "chờ lãnh đạo ký", DraftState.APPROVED: "chờ phát hành",
    DraftState.RETURNED: "trả lại để sửa", DraftState.RELEASED: "đã phát hành",
}  # fmt: skip
