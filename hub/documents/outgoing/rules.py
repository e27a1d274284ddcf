"""The outgoing chain's constants, checks of input and its errors (hub.documents.outgoing.service and its parts)."""

from __future__ import annotations

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
    }  # fmt: skip


def _level(value: int, vi: str, en: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 3:
        raise DraftError(both(f"{vi} từ 0 đến 3", f"{en} is 0 to 3"))
    return value


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
