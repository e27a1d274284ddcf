"""Audit log codes as people say them: actions (`sign_in.failed` → 'Đăng nhập sai'), entities, actors.

The hub writes short, stable codes (they are searched and exported); the audit page shows these
labels instead. Every action the hub writes is listed in `ACTIONS`; the action filter offers them
and the groups (`GROUPS`, a prefix such as `sign_in.` matching every result of signing in).
"""

from __future__ import annotations

from ui.components.format import Translate
from ui.i18n import pgettext

# Each text has its context (msgctxt): an audit row says what was done ('Đăng nhập': 'Signed in'), where a
# button says what to do.

#: action code → how it is said
ACTIONS: dict[str, str] = {
    "sign_in.success": pgettext("audit action", "Đăng nhập"),
    "sign_in.failed": pgettext("audit action", "Đăng nhập sai"),
    "sign_in.locked": pgettext("audit action", "Tạm khóa đăng nhập (sai nhiều lần)"),
    "sign_in.disabled": pgettext("audit action", "Đăng nhập bằng tài khoản đã khóa"),
    "sign_out.success": pgettext("audit action", "Đăng xuất"),
    "user.bootstrap": pgettext("audit action", "Tạo quản trị viên đầu tiên"),
    "user.create": pgettext("audit action", "Tạo tài khoản"),
    "user.update": pgettext("audit action", "Sửa tài khoản"),
    "user.password_change": pgettext("audit action", "Đổi mật khẩu"),
    "user.password_reset": pgettext("audit action", "Đặt lại mật khẩu"),
    "grant.create": pgettext("audit action", "Giao vai trò"),
    "grant.delete": pgettext("audit action", "Thu hồi vai trò"),
    "employee.create": pgettext("audit action", "Thêm cán bộ"),
    "employee.update": pgettext("audit action", "Sửa thông tin cán bộ"),
    "employee.import": pgettext("audit action", "Nhập danh sách cán bộ"),
    "correction.create": pgettext("audit action", "Điều chỉnh chấm công"),
    "calendar.update": pgettext("audit action", "Cập nhật lịch làm việc"),
    "device.update": pgettext("audit action", "Sửa thông tin thiết bị"),
    "device.config": pgettext("audit action", "Đổi cấu hình nhận dạng"),
    "device.enrollment_token": pgettext("audit action", "Tạo mã đăng ký thiết bị"),
    "enrollment_token.create": pgettext("audit action", "Tạo mã đăng ký thiết bị (dòng lệnh)"),
    "enrollment_token.redeem": pgettext("audit action", "Thiết bị đăng ký bằng mã"),
    "enrollment_token.refused": pgettext("audit action", "Từ chối đăng ký thiết bị"),
    "kiosk_link.create": pgettext("audit action", "Tạo liên kết màn hình"),
    "kiosk_link.revoke": pgettext("audit action", "Thu hồi liên kết màn hình"),
    "gallery.allow": pgettext("audit action", "Cho phép vào cơ quan"),
    "gallery.disallow": pgettext("audit action", "Thu hồi quyền vào cơ quan"),
    "gallery.site_units": pgettext("audit action", "Đổi các đơn vị của cơ quan"),
    "biometrics.consent": pgettext("audit action", "Ghi nhận đồng ý sinh trắc học"),
    "biometrics.photo_add": pgettext("audit action", "Thêm ảnh khuôn mặt"),
    "biometrics.photo_delete": pgettext("audit action", "Xóa ảnh khuôn mặt"),
    "biometrics.erase": pgettext("audit action", "Xóa toàn bộ dữ liệu sinh trắc học"),
    "snapshot.open": pgettext("audit action", "Xem ảnh chụp sự kiện"),
    "job.retry": pgettext("audit action", "Chạy lại công việc nền"),
    "leave.request": pgettext("audit action", "Gửi đơn nghỉ"),
    "leave.approve": pgettext("audit action", "Duyệt đơn nghỉ"),
    "leave.reject": pgettext("audit action", "Từ chối đơn nghỉ"),
    "leave.return": pgettext("audit action", "Trả lại đơn nghỉ"),
    "leave.cancel": pgettext("audit action", "Hủy đơn nghỉ"),
    "leave.override": pgettext("audit action", "TCCB quyết định thay đơn nghỉ"),
    "leave.escalate": pgettext("audit action", "Chuyển đơn nghỉ lên cấp trên (quá hạn)"),
    "leave.delegate": pgettext("audit action", "Ủy quyền duyệt nghỉ"),
    "leave.adjust": pgettext("audit action", "Điều chỉnh số ngày phép"),
    "leave.year_close": pgettext("audit action", "Khóa sổ phép năm"),
    "leave.opening_import": pgettext("audit action", "Nhập số dư phép đầu kỳ"),
    "leave.permit_issue": pgettext("audit action", "Cấp Giấy nghỉ phép (vào sổ văn bản đi)"),
    "backup.restore": pgettext("audit action", "Khôi phục từ bản sao lưu"),
    "notification.act": pgettext("audit action", "Thực hiện thao tác từ liên kết trong thư"),
    "notification_mail.retry": pgettext("audit action", "Gửi lại thư thông báo"),
    "notification_prefs.update": pgettext("audit action", "Đổi cách nhận thông báo"),
    "org_unit.create": pgettext("audit action", "Thành lập đơn vị"),
    "org_unit.rename": pgettext("audit action", "Đổi tên đơn vị"),
    "org_unit.move": pgettext("audit action", "Chuyển đơn vị trực thuộc"),
    "org_unit.merge": pgettext("audit action", "Sáp nhập đơn vị"),
    "org_unit.close": pgettext("audit action", "Giải thể đơn vị"),
    "org_unit.import": pgettext("audit action", "Nhập danh sách đơn vị"),
    "asset.create": pgettext("audit action", "Thêm tài sản"),
    "asset.import": pgettext("audit action", "Nhập tài sản từ tệp"),
    "asset.update": pgettext("audit action", "Sửa thông tin tài sản"),
    "asset.checkout": pgettext("audit action", "Cấp phát tài sản cho cán bộ"),
    "asset.return": pgettext("audit action", "Nhận lại tài sản"),
    "asset.movement_request": pgettext("audit action", "Đề nghị điều chuyển, sửa chữa, cho mượn, thanh lý"),
    "asset.attachment_add": pgettext("audit action", "Thêm tệp vào hồ sơ tài sản"),
    "asset.movement_approve": pgettext("audit action", "Duyệt điều chuyển tài sản"),
    "asset.movement_reject": pgettext("audit action", "Từ chối điều chuyển tài sản"),
    "asset.movement_cancel": pgettext("audit action", "Hủy đề nghị điều chuyển"),
    "asset_inventory.start": pgettext("audit action", "Mở phiên kiểm kê tài sản"),
    "asset_inventory.resolve": pgettext("audit action", "Xử lý chênh lệch kiểm kê"),
    "asset_inventory.close": pgettext("audit action", "Kết thúc phiên kiểm kê"),
    "asset_reader.save": pgettext("audit action", "Gán đầu đọc RFID cho phòng"),
    "asset_portal.save": pgettext("audit action", "Cấu hình cổng kiểm soát tài sản"),
    "asset_portal_alert.acknowledge": pgettext("audit action", "Xử lý cảnh báo cổng kiểm soát"),
    "asset_category.save": pgettext("audit action", "Lưu loại tài sản"),
    "asset_location.create": pgettext("audit action", "Thêm vị trí tài sản"),
    "meeting_room.save": pgettext("audit action", "Lưu phòng họp"),
    "meeting_booking.create": pgettext("audit action", "Đặt phòng họp"),
    "meeting_booking.cancel": pgettext("audit action", "Hủy đặt phòng họp"),
    "meeting_booking.approve": pgettext("audit action", "Duyệt đặt phòng họp"),
    "meeting_booking.reject": pgettext("audit action", "Từ chối đặt phòng họp"),
    "meeting_booking.release": pgettext("audit action", "Tự động trả phòng họp (không điểm danh)"),
    "meeting.create": pgettext("audit action", "Tổ chức cuộc họp"),
    "meeting.agenda": pgettext("audit action", "Lập chương trình họp"),
    "meeting_paper.add": pgettext("audit action", "Thêm tài liệu họp"),
    "meeting.checkin": pgettext("audit action", "Điểm danh dự họp"),
    "meeting.attendance_undo": pgettext("audit action", "Hủy điểm danh dự họp"),
    "meeting_vote.open": pgettext("audit action", "Mở biểu quyết"),
    "meeting.start": pgettext("audit action", "Bắt đầu cuộc họp"),
    "meeting.close": pgettext("audit action", "Kết thúc cuộc họp"),
    "meeting.current_item": pgettext("audit action", "Chuyển nội dung họp"),
    "meeting.floor": pgettext("audit action", "Mời phát biểu"),
    "meeting.floor_extend": pgettext("audit action", "Thêm thời gian phát biểu"),
    "meeting.participant_add": pgettext("audit action", "Thêm người dự họp"),
    "meeting.participant_remove": pgettext("audit action", "Bỏ người dự họp khỏi thành phần"),
    "meeting.lead_replace": pgettext("audit action", "Thay chủ trì hoặc thư ký cuộc họp"),
    "meeting_opinion.give": pgettext("audit action", "Góp ý dự thảo tại cuộc họp"),
    "meeting_opinion.edit": pgettext("audit action", "Sửa ý kiến góp ý"),
    "meeting_opinion.withdraw": pgettext("audit action", "Rút ý kiến góp ý"),
    "meeting_task.assign": pgettext("audit action", "Giao việc theo kết luận họp"),
    "meeting_task.finish": pgettext("audit action", "Hoàn thành việc theo kết luận họp"),
    "meeting_vote.close": pgettext("audit action", "Kết thúc biểu quyết"),
    "meeting.minutes_save": pgettext("audit action", "Lưu biên bản cuộc họp"),
    "meeting.minutes_submit": pgettext("audit action", "Trình ký biên bản cuộc họp"),
    "meeting.minutes_sign": pgettext("audit action", "Ký duyệt biên bản cuộc họp"),
    "meeting.minutes_return": pgettext("audit action", "Trả lại biên bản cuộc họp"),
    "meeting.conclusion_notice": pgettext("audit action", "Lập thông báo kết luận cuộc họp"),
    "documents.register_incoming": pgettext("audit action", "Vào sổ văn bản đến"),
    "documents.register_outgoing": pgettext("audit action", "Cấp số văn bản đi"),
    "documents.series_set": pgettext("audit action", "Lưu sổ / dãy số văn bản"),
    "documents.issuer_set": pgettext("audit action", "Đặt thông tin cơ quan ban hành"),
    "reporting_regime.define": pgettext("audit action", "Lưu chế độ báo cáo (phiên bản mới)"),
    "report.save": pgettext("audit action", "Nhập, điều chỉnh số liệu báo cáo"),
    "report.submit": pgettext("audit action", "Gửi báo cáo"),
    "report.return": pgettext("audit action", "Trả lại báo cáo"),
    "report.accept": pgettext("audit action", "Tiếp nhận báo cáo"),
    "report.attach": pgettext("audit action", "Đính kèm tệp vào báo cáo"),
    "report.detach": pgettext("audit action", "Gỡ tệp đính kèm khỏi báo cáo"),
    "documents.assign": pgettext("audit action", "Giao xử lý văn bản đến"),
    "documents.progress": pgettext("audit action", "Báo cáo tiến độ xử lý văn bản"),
    "documents.extension_ask": pgettext("audit action", "Xin gia hạn xử lý văn bản"),
    "documents.extension_decide": pgettext("audit action", "Duyệt gia hạn xử lý văn bản"),
    "documents.finish": pgettext("audit action", "Hoàn thành xử lý văn bản"),
    "documents.clearance_set": pgettext("audit action", "Cấp, thu hồi quyền tiếp cận văn bản mật"),
    "documents.secret_grant": pgettext("audit action", "Cho phép xem văn bản mật"),
    "documents.secret_revoke": pgettext("audit action", "Thu hồi quyền xem văn bản mật"),
    "documents.secret_open": pgettext("audit action", "Mở văn bản mật"),
    "documents.secret_refused": pgettext("audit action", "Từ chối mở văn bản mật"),
    "documents.draft_create": pgettext("audit action", "Tạo dự thảo văn bản đi"),
    "documents.draft_edit": pgettext("audit action", "Sửa thông tin dự thảo"),
    "documents.draft_version": pgettext("audit action", "Tải lên phiên bản dự thảo"),
    "documents.draft_comment": pgettext("audit action", "Góp ý dự thảo"),
    "documents.draft_submit": pgettext("audit action", "Trình dự thảo"),
    "documents.draft_forward": pgettext("audit action", "Lãnh đạo đơn vị chuyển trình ký"),
    "documents.draft_approve": pgettext("audit action", "Lãnh đạo duyệt ký dự thảo"),
    "documents.draft_return": pgettext("audit action", "Trả lại dự thảo để sửa"),
    "documents.release": pgettext("audit action", "Phát hành văn bản đi"),
    "documents.revoke": pgettext("audit action", "Thu hồi văn bản"),
    "documents.replace": pgettext("audit action", "Thay thế văn bản"),
    "documents.update": pgettext("audit action", "Sửa đổi, bổ sung văn bản"),
    "documents.file_list_heading": pgettext("audit action", "Thêm đề mục danh mục hồ sơ"),
    "documents.file_list_entry": pgettext("audit action", "Thêm hồ sơ vào danh mục"),
    "documents.file_list_remove": pgettext("audit action", "Xóa hồ sơ khỏi danh mục"),
    "documents.file_list_import": pgettext("audit action", "Nhập danh mục hồ sơ từ XLSX"),
    "documents.file_list_approve": pgettext("audit action", "Duyệt danh mục hồ sơ"),
    "documents.case_file_open": pgettext("audit action", "Mở hồ sơ"),
    "documents.case_file_add": pgettext("audit action", "Đưa văn bản, tài liệu vào hồ sơ"),
    "documents.case_file_remove": pgettext("audit action", "Bỏ văn bản, tài liệu khỏi hồ sơ"),
    "documents.case_file_order": pgettext("audit action", "Sắp xếp văn bản trong hồ sơ"),
    "documents.case_file_close": pgettext("audit action", "Kết thúc hồ sơ"),
    "documents.case_file_reopen": pgettext("audit action", "Mở lại hồ sơ đã kết thúc"),
    "documents.case_file_keep": pgettext("audit action", "Giữ lại hồ sơ quá hạn nộp lưu"),
    "documents.case_files_submit": pgettext("audit action", "Nộp lưu hồ sơ"),
    "documents.case_files_accept": pgettext("audit action", "Lưu trữ cơ quan nhận hồ sơ"),
    "documents.case_file_propose_destruction": pgettext("audit action", "Đề nghị hủy hồ sơ hết thời hạn bảo quản"),
    "documents.case_file_withdraw_destruction": pgettext("audit action", "Rút đề nghị hủy hồ sơ"),
}

#: prefix → how it is said: the action filter's groups
GROUPS: dict[str, str] = {
    "sign_in.": pgettext("audit group", "Đăng nhập (mọi kết quả)"),
    "user.": pgettext("audit group", "Tài khoản (mọi thao tác)"),
    "grant.": pgettext("audit group", "Vai trò (giao, thu hồi)"),
    "employee.": pgettext("audit group", "Cán bộ (mọi thao tác)"),
    "device.": pgettext("audit group", "Thiết bị (mọi thao tác)"),
    "enrollment_token.": pgettext("audit group", "Đăng ký thiết bị (mọi kết quả)"),
    "gallery.": pgettext("audit group", "Quyền vào cơ quan (mọi thao tác)"),
    "biometrics.": pgettext("audit group", "Sinh trắc học (mọi thao tác)"),
    "leave.": pgettext("audit group", "Nghỉ phép (mọi thao tác)"),
    "org_unit.": pgettext("audit group", "Đơn vị (mọi thao tác)"),
    "documents.": pgettext("audit group", "Văn bản (mọi thao tác)"),
    "report.": pgettext("audit group", "Báo cáo định kỳ (mọi thao tác)"),
}

#: what an audit row is about → how it is said
ENTITIES: dict[str, str] = {
    "user": pgettext("audit entity", "Tài khoản"),
    "client_address": pgettext("audit entity", "Địa chỉ máy"),
    "employee": pgettext("audit entity", "Cán bộ"),
    "device": pgettext("audit entity", "Thiết bị"),
    "site": pgettext("audit entity", "Cơ quan"),
    "calendar": pgettext("audit entity", "Lịch làm việc"),
    "kiosk_link": pgettext("audit entity", "Liên kết màn hình"),
    "attendance_event": pgettext("audit entity", "Lượt chấm công"),
    "unknown_face": pgettext("audit entity", "Người lạ"),
    "grant": pgettext("audit entity", "Vai trò"),
    "job": pgettext("audit entity", "Công việc nền"),
    "leave_request": pgettext("audit entity", "Đơn nghỉ"),
    "leave_year": pgettext("audit entity", "Năm phép"),
    "backup": pgettext("audit entity", "Bản sao lưu"),
    "notification_action": pgettext("audit entity", "Liên kết thao tác"),
    "notification_mail": pgettext("audit entity", "Thư thông báo"),
    "org_unit": pgettext("audit entity", "Đơn vị"),
    "asset": pgettext("audit entity", "Tài sản"),
    "asset_category": pgettext("audit entity", "Loại tài sản"),
    "asset_location": pgettext("audit entity", "Vị trí tài sản"),
    "asset_movement": pgettext("audit entity", "Điều chuyển tài sản"),
    "asset_inventory": pgettext("audit entity", "Phiên kiểm kê tài sản"),
    "asset_reader": pgettext("audit entity", "Đầu đọc RFID theo phòng"),
    "asset_portal": pgettext("audit entity", "Cổng kiểm soát tài sản"),
    "asset_portal_alert": pgettext("audit entity", "Cảnh báo cổng kiểm soát"),
    "meeting_room": pgettext("audit entity", "Phòng họp"),
    "meeting_booking": pgettext("audit entity", "Lịch đặt phòng họp"),
    "meeting": pgettext("audit entity", "Cuộc họp"),
    "meeting_paper": pgettext("audit entity", "Tài liệu họp"),
    "meeting_vote": pgettext("audit entity", "Biểu quyết"),
    "meeting_task": pgettext("audit entity", "Công việc theo kết luận họp"),
    "meeting_opinion": pgettext("audit entity", "Ý kiến góp ý tại cuộc họp"),
    "document_series": pgettext("audit entity", "Dãy số văn bản"),
    "document_issuer": pgettext("audit entity", "Cơ quan ban hành"),
    "reporting_regime": pgettext("audit entity", "Chế độ báo cáo"),
    "report": pgettext("audit entity", "Báo cáo định kỳ"),
    "document": pgettext("audit entity", "Văn bản"),
    "document_draft": pgettext("audit entity", "Dự thảo văn bản đi"),
    "document_link": pgettext("audit entity", "Thu hồi, thay thế, sửa đổi văn bản"),
    "document_assignment": pgettext("audit entity", "Phiếu giải quyết văn bản đến"),
    "document_handler": pgettext("audit entity", "Người, đơn vị xử lý văn bản"),
    "document_extension": pgettext("audit entity", "Đề nghị gia hạn xử lý"),
    "case_file_list": pgettext("audit entity", "Danh mục hồ sơ"),
    "case_file_handover": pgettext("audit entity", "Nộp lưu hồ sơ"),
    "case_file": pgettext("audit entity", "Hồ sơ"),
}

#: actors that are not accounts
ACTORS: dict[str, str] = {
    "system": pgettext("audit actor", "Hệ thống"),
    "cli": pgettext("audit actor", "Dòng lệnh (cces)"),
}

DEVICE_ACTOR = pgettext("audit actor", "Thiết bị {id}")


def action_label(t: Translate, code: str) -> str:
    """'Đăng nhập sai' for `sign_in.failed`; a group's label for a prefix (`sign_in.`); else the code."""
    if code in ACTIONS:
        return t(ACTIONS[code])
    if code in GROUPS:
        return t(GROUPS[code])
    return code


def entity_label(t: Translate, entity: str, entity_id: str | None) -> str:
    """'Thiết bị door-hq-01', 'Tài khoản 12': what the row is about, its kind said in words."""
    kind = t(ENTITIES[entity]) if entity in ENTITIES else entity
    return f"{kind} {entity_id}" if entity_id else kind


def actor_label(t: Translate, actor: str) -> str:
    """An account's username as it is; 'Hệ thống', 'Dòng lệnh (cces)', 'Thiết bị door-01' for the others."""
    if actor in ACTORS:
        return t(ACTORS[actor])
    if actor.startswith("device:"):
        return t(DEVICE_ACTOR).format(id=actor.removeprefix("device:"))
    return actor


def action_options(t: Translate) -> dict[str, str]:
    """The action filter's choices: each group, then each action, by label (code → label)."""
    groups = {prefix: action_label(t, prefix) for prefix in GROUPS}
    actions = dict(sorted(((code, action_label(t, code)) for code in ACTIONS), key=lambda item: item[1]))
    return groups | actions
