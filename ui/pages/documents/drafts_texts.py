"""The words of the outgoing documents pages (/documents/drafts…), Vietnamese first, English second, and the
labels of a draft's states and steps."""

from __future__ import annotations

from hub.documents.outgoing.models import DraftState
from ui.i18n import register_texts

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

TEXTS = {
    "drafts.title": ("Văn bản đi: dự thảo và phát hành", "Outgoing documents: drafts and release"),
    "drafts.intro": (
        "Dự thảo của tôi, dự thảo chờ tôi duyệt, chờ tôi ký, chờ phát hành và văn bản đã phát hành. Trình tự:"
        " chuyên viên soạn thảo → lãnh đạo đơn vị → lãnh đạo ký → văn thư cấp số và phát hành (NĐ 30/2020).",
        "My drafts, drafts waiting for my review, my signature or release, and released documents. The chain:"
        " drafter → head of unit → signing leader → the clerk numbers and releases it (Decree 30/2020).",
    ),
    "drafts.new": ("Soạn dự thảo mới", "New draft"),
    "drafts.mine": ("Dự thảo của tôi", "My drafts"),
    "drafts.review": ("Chờ tôi duyệt", "Waiting for my review"),
    "drafts.sign": ("Chờ tôi ký", "Waiting for my signature"),
    "drafts.release": ("Chờ phát hành", "Waiting for release"),
    "drafts.released": ("Đã phát hành", "Released"),
    "drafts.none": ("Không có dự thảo nào.", "No drafts."),
    "drafts.subject": ("Trích yếu", "Subject"),
    "drafts.type": ("Loại văn bản", "Document type"),
    "drafts.unit": ("Đơn vị ban hành (mã, có con dấu)", "Issuing unit (code, with a seal)"),
    "drafts.drafting_unit": ("Đơn vị soạn thảo (mã)", "Drafting unit (code)"),
    "drafts.notation": ("Ký hiệu đơn vị soạn thảo (VP, TCCB)", "Drafting unit's notation (VP, TCCB)"),
    "drafts.state": ("Bước", "Step"),
    "drafts.created": ("Ngày tạo", "Created"),
    "drafts.drafter": ("Người soạn thảo", "Drafter"),
    "drafts.number": ("Số, ký hiệu", "Number and symbol"),
    "drafts.released_at": ("Phát hành lúc", "Released at"),
    "drafts.reviewer": ("Lãnh đạo đơn vị duyệt (tên đăng nhập, có thể bỏ trống)", "Head of unit (username, optional)"),
    "drafts.signer": ("Lãnh đạo ký (tên đăng nhập)", "Signing leader (username)"),
    "drafts.signer_name": ("Họ tên người ký", "Signer's name"),
    "drafts.signer_position": ("Chức vụ người ký (PHÓ CHI CỤC TRƯỞNG)", "Signer's position"),
    "drafts.prefix": ("Thẩm quyền ký (TM., KT., TL., TUQ., Q.)", "Signing prefix (TM., KT., TL., TUQ., Q.)"),
    "drafts.no_prefix": ("Người đứng đầu ký", "The head signs"),
    "drafts.authority_title": ("Chức danh sau thẩm quyền (CHI CỤC TRƯỞNG)", "Title after the prefix"),
    "drafts.delegation": ("Văn bản ủy quyền (bắt buộc với TUQ.)", "Authorisation (required for TUQ.)"),
    "drafts.urgency": ("Độ khẩn", "Urgency"),
    "drafts.secrecy": ("Độ mật", "Secrecy"),
    "drafts.inside": ("Nơi nhận trong ngành (mã đơn vị, cách nhau dấu phẩy)", "Recipients inside (unit codes, commas)"),
    "drafts.outside": (
        "Nơi nhận ngoài (mỗi dòng một cơ quan; mã định danh sau dấu |)",
        "Recipients outside (one organ a line; its id after |)",
    ),
    "drafts.create": ("Tạo dự thảo", "Create the draft"),
    "drafts.save": ("Lưu thay đổi", "Save changes"),
    "drafts.saved": ("Đã lưu.", "Saved."),
    "drafts.details": ("Thông tin dự thảo", "The draft's details"),
    "drafts.signature_block": ("Khối chữ ký", "Signature block"),
    "drafts.to_places": ("Nơi nhận", "Recipients"),
    "drafts.versions": ("Các phiên bản", "Versions"),
    "drafts.no_versions": ("Chưa có tệp dự thảo.", "No file yet."),
    "drafts.upload": ("Tải lên phiên bản mới (PDF, Word)", "Upload a new version (PDF, Word)"),
    "drafts.version_note": ("Ghi chú phiên bản", "Version note"),
    "drafts.uploaded": ("Đã tải lên phiên bản", "Uploaded version"),
    "drafts.comments": ("Góp ý", "Comments"),
    "drafts.no_comments": ("Chưa có góp ý.", "No comments yet."),
    "drafts.comment": ("Góp ý của anh/chị", "Your comment"),
    "drafts.on_version": ("Cho phiên bản", "On version"),
    "drafts.send_comment": ("Gửi góp ý", "Send the comment"),
    "drafts.steps": ("Quá trình xử lý", "History"),
    "drafts.note": ("Ghi chú", "Note"),
    "drafts.submit": ("Trình duyệt", "Submit"),
    "drafts.forward": ("Đồng ý, chuyển lãnh đạo ký", "Agree, pass to the signing leader"),
    "drafts.approve": ("Ký duyệt", "Approve and sign"),
    "drafts.return": ("Trả lại (ghi rõ lý do)", "Return (give the reason)"),
    "drafts.return_reason": ("Lý do trả lại", "Reason for returning"),
    "drafts.do_release": ("Cấp số và phát hành", "Number and release"),
    "drafts.series": ("Sổ (để trống: sổ văn bản hành chính)", "Series (empty: administrative documents)"),
    "drafts.released_as": ("Đã phát hành", "Released as"),
    "drafts.signed_by": ("Ký số bởi", "Digitally signed by"),
    "drafts.your_turn": ("Việc của anh/chị ở bước này", "Your step"),
    "drafts.open_document": ("Mở văn bản đã phát hành", "Open the released document"),
    "drafts.relates": ("Thu hồi, thay thế, sửa đổi văn bản (mã)", "Revokes, replaces or updates document (id)"),
}


def register_draft_texts() -> None:
    register_texts({key: {"vi": vi, "en": en} for key, (vi, en) in TEXTS.items()})


register_draft_texts()
