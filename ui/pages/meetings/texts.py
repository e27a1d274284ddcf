"""The words of the meetings pages (Vietnamese first, English second)."""

from __future__ import annotations

from ui.i18n import register_texts

TEXTS = {
    "mtg.mine_title": ("Cuộc họp của tôi", "My meetings"),
    "mtg.mine_none": (
        "Không có cuộc họp nào từ hôm qua đến 30 ngày tới.",
        "No meetings from yesterday to 30 days ahead.",
    ),
    "mtg.open_tablet": ("Vào phòng họp", "Join"),
    "mtg.tablet_title": ("Phòng họp không giấy", "Paperless meeting"),
    "mtg.online": ("Họp trực tuyến", "Online"),
    "mtg.video": ("Tham gia họp trực tuyến", "Join the video meeting"),
    "mtg.agenda": ("Chương trình họp", "Agenda"),
    "mtg.agenda_none": ("Chưa có chương trình họp.", "No agenda yet."),
    "mtg.now": ("Đang thảo luận", "Now under discussion"),
    "mtg.now_none": ("Chủ trì chưa bắt đầu nội dung nào.", "The chair has not opened an item yet."),
    "mtg.presenter": ("Trình bày", "Presented by"),
    "mtg.minutes_long": ("{n} phút", "{n} min"),
    "mtg.papers": ("Tài liệu", "Papers"),
    "mtg.papers_none": ("Không có tài liệu.", "No papers."),
    "mtg.papers_general": ("Tài liệu chung của cuộc họp", "Papers of the whole meeting"),
    "mtg.open_paper": ("Mở", "Open"),
    "mtg.restricted": ("Tài liệu mật — chỉ người được chỉ định", "Restricted — named readers only"),
    "mtg.notes": ("Ghi chú riêng của tôi (chỉ tôi xem được)", "My private notes (only I can see them)"),
    "mtg.save_note": ("Lưu ghi chú", "Save note"),
    "mtg.note_saved": ("Đã lưu ghi chú", "Note saved"),
    "mtg.note_deleted": ("Đã xóa ghi chú", "Note deleted"),
    "mtg.checked_in": ("Đã điểm danh lúc {time}", "Checked in at {time}"),
    "mtg.late": ("đến muộn", "late"),
    "mtg.not_checked_in": (
        "Chưa điểm danh — quét mã QR trên màn hình phòng họp, qua cửa nhận diện khuôn mặt, hoặc báo thư ký.",
        "Not checked in — scan the QR code on the room's screen, pass the face-recognition door, or tell the"
        " secretary.",
    ),
    "mtg.observer": (
        "Bạn theo dõi cuộc họp với tư cách người tổ chức (không phải đại biểu).",
        "You follow this meeting as an organiser (not a participant).",
    ),
    "mtg.speakers": ("Phát biểu", "Speakers"),
    "mtg.speaking": ("Đang phát biểu: {name}", "Speaking now: {name}"),
    "mtg.nobody_speaking": ("Chưa ai phát biểu.", "Nobody has the floor."),
    "mtg.queue_none": ("Chưa có ai xin phát biểu.", "Nobody has asked to speak."),
    "mtg.ask": ("Xin phát biểu", "Ask to speak"),
    "mtg.asked": ("Đã ghi nhận yêu cầu phát biểu", "Your request to speak is in"),
    "mtg.my_place": (
        "Bạn đang ở vị trí thứ {n} trong danh sách chờ phát biểu",
        "You are number {n} in the queue to speak",
    ),
    "mtg.my_turn": ("Bạn đang phát biểu", "You have the floor"),
    "mtg.not_running": ("Cuộc họp chưa bắt đầu hoặc đã kết thúc.", "The meeting has not started or is over."),
    "mtg.vote": ("Biểu quyết", "Vote"),
    "mtg.vote_none": ("Không có biểu quyết nào đang mở.", "No vote is open."),
    "mtg.secret": (
        "Bỏ phiếu kín — không ai biết bạn chọn phương án nào.",
        "Secret ballot — nobody can tell what you chose.",
    ),
    "mtg.open_ballot": (
        "Biểu quyết công khai — kết quả ghi tên từng người.",
        "Open vote — the result lists each voter's choice.",
    ),
    "mtg.voted": ("Bạn đã biểu quyết. Mỗi người chỉ một phiếu.", "You have voted. One ballot each."),
    "mtg.vote_sent": ("Đã ghi nhận phiếu của bạn", "Your ballot is in"),
    "mtg.no_vote_right": ("Bạn không có quyền biểu quyết trong cuộc họp này.", "You have no vote in this meeting."),
    "mtg.check_in_first": ("Hãy điểm danh trước khi biểu quyết.", "Check in before voting."),
    "mtg.voted_count": ("Đã có {voted}/{eligible} người biểu quyết", "{voted} of {eligible} have voted"),
    "mtg.results": ("Kết quả biểu quyết", "Results"),
    "mtg.quorum_met": ("đủ túc số", "quorum met"),
    "mtg.quorum_not_met": ("không đủ túc số", "no quorum"),
    "mtg.chair": ("Điều hành cuộc họp", "Chairing"),
    "mtg.start": ("Bắt đầu cuộc họp", "Start the meeting"),
    "mtg.close": ("Kết thúc cuộc họp", "Close the meeting"),
    "mtg.previous": ("Nội dung trước", "Previous item"),
    "mtg.next": ("Nội dung tiếp theo", "Next item"),
    "mtg.go_to": ("Chuyển đến nội dung này", "Go to this item"),
    "mtg.question": ("Nội dung biểu quyết", "Question to vote on"),
    "mtg.secret_choice": ("Bỏ phiếu kín", "Secret ballot"),
    "mtg.open_vote": ("Mở biểu quyết", "Open the vote"),
    "mtg.close_vote": ("Kết thúc biểu quyết", "Close the vote"),
    "mtg.give_floor": ("Mời phát biểu", "Give the floor"),
    "mtg.end_floor": ("Kết thúc lượt phát biểu", "End this turn"),
    "mtg.attendance": ("Điểm danh ({present}/{total} có mặt)", "Attendance ({present}/{total} present)"),
    "mtg.mark_present": ("Điểm danh", "Mark present"),
    "mtg.present": ("Có mặt", "Present"),
    "mtg.absent": ("Vắng", "Absent"),
    "mtg.done": ("Đã thực hiện", "Done"),
    "mtg.roster": ("Thành phần cuộc họp (thêm, bớt người dự)", "Participants (add, remove)"),
    "mtg.checkin_title": ("Điểm danh cuộc họp", "Meeting check-in"),
    "mtg.checkin_done": ("Đã điểm danh: {title}, {time}", "Checked in: {title}, {time}"),
    "mtg.checkin_again": (
        "Bạn đã điểm danh lúc {time} — quét lại không tính thêm lần nào.",
        "You checked in at {time} — scanning again counts nothing more.",
    ),
    "mtg.bad_id": ("Địa chỉ cuộc họp không hợp lệ", "Not a meeting's address"),
}


def register_meeting_texts() -> None:
    register_texts({key: {"vi": vi, "en": en} for key, (vi, en) in TEXTS.items()})


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]
