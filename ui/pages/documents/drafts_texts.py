"""The labels of an outgoing draft's states and of the steps of its chain (/documents/drafts…), translated through the
catalogue where shown (`t(STATES[d.state])`)."""

from __future__ import annotations

from hub.documents.outgoing.models import DraftState
from ui.i18n import pgettext

STATES = {
    DraftState.DRAFTING: pgettext("draft state", "Đang soạn thảo"),
    DraftState.REVIEWING: pgettext("draft state", "Chờ lãnh đạo đơn vị duyệt"),
    DraftState.SIGNING: pgettext("draft state", "Chờ lãnh đạo ký duyệt"),
    DraftState.APPROVED: pgettext("draft state", "Chờ văn thư phát hành"),
    DraftState.RETURNED: pgettext("draft state", "Trả lại để sửa"),
    DraftState.RELEASED: pgettext("draft state", "Đã phát hành"),
}
STEPS = {
    "submit": pgettext("draft step", "Trình"),
    "forward": pgettext("draft step", "Lãnh đạo đơn vị chuyển trình ký"),
    "approve": pgettext("draft step", "Lãnh đạo ký duyệt"),
    "return": pgettext("draft step", "Trả lại"),
    "release": pgettext("draft step", "Phát hành"),
}
