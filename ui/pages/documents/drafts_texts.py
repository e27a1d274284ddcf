"""The words of the outgoing documents pages (/documents/drafts…), Vietnamese first, English second, and the
labels of a draft's states and steps."""

from __future__ import annotations

from hub.documents.outgoing.models import DraftState

STATES = {
    DraftState.DRAFTING: ("Đang soạn thảo", "Drafting"),
    DraftState.REVIEWING: ("Chờ lãnh đạo đơn vị duyệt", "Waiting for the head of unit"),
    DraftState.SIGNING: ("Chờ lãnh đạo ký duyệt", "Waiting for the signing leader"),
    DraftState.APPROVED: ("Chờ văn thư phát hành", "Waiting for release"),
    DraftState.RETURNED: ("Trả lại để sửa", "Returned for changes"),
    DraftState.RELEASED: ("Đã phát hành", "Released"),
}
STEPS = {
    "submit": ("Trình", "Submitted"),
    "forward": ("Lãnh đạo đơn vị chuyển trình ký", "Forwarded by the head of unit"),
    "approve": ("Lãnh đạo ký duyệt", "Approved for signature"),
    "return": ("Trả lại", "Returned"),
    "release": ("Phát hành", "Released"),
}
