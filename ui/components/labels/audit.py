"""Audit log codes as people say them: actions (`sign_in.failed` → 'Đăng nhập sai'), entities, actors.

The hub writes short, stable codes (they are searched and exported); the audit page shows these
labels instead. Every action the hub writes is listed in `ACTIONS`; the action filter offers them
and the groups (`GROUPS`, a prefix such as `sign_in.` matching every result of signing in).
"""

from __future__ import annotations

from ui.components.format import Translate
from ui.i18n import register_texts

#: action code → (Vietnamese, English)
ACTIONS: dict[str, tuple[str, str]] = {
    "sign_in.success": ("Đăng nhập", "Signed in"),
    "sign_in.failed": ("Đăng nhập sai", "Failed sign-in"),
    "sign_in.locked": ("Tạm khóa đăng nhập (sai nhiều lần)", "Sign-in locked (too many failures)"),
    "sign_in.disabled": ("Đăng nhập bằng tài khoản đã khóa", "Sign-in to a disabled account"),
    "sign_out.success": ("Đăng xuất", "Signed out"),
    "user.bootstrap": ("Tạo quản trị viên đầu tiên", "First administrator created"),
    "user.create": ("Tạo tài khoản", "Account created"),
    "user.update": ("Sửa tài khoản", "Account changed"),
    "user.password_change": ("Đổi mật khẩu", "Password changed"),
    "user.password_reset": ("Đặt lại mật khẩu", "Password reset"),
    "grant.create": ("Giao vai trò", "Role granted"),
    "grant.delete": ("Thu hồi vai trò", "Role revoked"),
    "employee.create": ("Thêm cán bộ", "Employee added"),
    "employee.update": ("Sửa thông tin cán bộ", "Employee changed"),
    "employee.import": ("Nhập danh sách cán bộ", "Staff list imported"),
    "correction.create": ("Điều chỉnh chấm công", "Attendance corrected"),
    "calendar.update": ("Cập nhật lịch làm việc", "Work calendar updated"),
    "device.update": ("Sửa thông tin thiết bị", "Device details changed"),
    "device.config": ("Đổi cấu hình nhận dạng", "Recognition settings changed"),
    "device.enrollment_token": ("Tạo mã đăng ký thiết bị", "Device enrollment token created"),
    "enrollment_token.create": ("Tạo mã đăng ký thiết bị (dòng lệnh)", "Device enrollment token created (CLI)"),
    "enrollment_token.redeem": ("Thiết bị đăng ký bằng mã", "Device enrolled with a token"),
    "enrollment_token.refused": ("Từ chối đăng ký thiết bị", "Device enrollment refused"),
    "kiosk_link.create": ("Tạo liên kết màn hình", "Screen link created"),
    "kiosk_link.revoke": ("Thu hồi liên kết màn hình", "Screen link revoked"),
    "gallery.allow": ("Cho phép vào cơ quan", "Access to an office allowed"),
    "gallery.disallow": ("Thu hồi quyền vào cơ quan", "Access to an office withdrawn"),
    "gallery.site_units": ("Đổi các đơn vị của cơ quan", "Units of an office changed"),
    "biometrics.consent": ("Ghi nhận đồng ý sinh trắc học", "Biometric consent recorded"),
    "biometrics.photo_add": ("Thêm ảnh khuôn mặt", "Face photo added"),
    "biometrics.photo_delete": ("Xóa ảnh khuôn mặt", "Face photo deleted"),
    "biometrics.erase": ("Xóa toàn bộ dữ liệu sinh trắc học", "Biometric data erased"),
    "snapshot.open": ("Xem ảnh chụp sự kiện", "Event snapshot viewed"),
    "job.retry": ("Chạy lại công việc nền", "Background job retried"),
    # leave (hub.leave.service)
    "leave.request": ("Gửi đơn nghỉ", "Leave requested"),
    "leave.approve": ("Duyệt đơn nghỉ", "Leave approved"),
    "leave.reject": ("Từ chối đơn nghỉ", "Leave rejected"),
    "leave.return": ("Trả lại đơn nghỉ", "Leave returned for changes"),
    "leave.cancel": ("Hủy đơn nghỉ", "Leave cancelled"),
    "leave.override": ("TCCB quyết định thay đơn nghỉ", "Leave decided by HR override"),
    "leave.escalate": ("Chuyển đơn nghỉ lên cấp trên (quá hạn)", "Leave escalated (waited too long)"),
    "leave.delegate": ("Ủy quyền duyệt nghỉ", "Backup approver named"),
    "leave.adjust": ("Điều chỉnh số ngày phép", "Leave balance adjusted"),
    "leave.year_close": ("Khóa sổ phép năm", "Leave year closed"),
    "leave.opening_import": ("Nhập số dư phép đầu kỳ", "Opening leave balances imported"),
    "leave.permit_issue": ("Cấp Giấy nghỉ phép (vào sổ văn bản đi)", "Leave permit issued (outgoing register)"),
    "backup.restore": ("Khôi phục từ bản sao lưu", "Restored from a backup"),
    # notifications (hub.notifications)
    "notification.act": ("Thực hiện thao tác từ liên kết trong thư", "Action taken from a mail's link"),
    "notification_mail.retry": ("Gửi lại thư thông báo", "Notification mail sent again"),
    "notification_prefs.update": ("Đổi cách nhận thông báo", "Notification preferences changed"),
    # org: the organisation (hub.org)
    "org_unit.create": ("Thành lập đơn vị", "Unit created"),
    "org_unit.rename": ("Đổi tên đơn vị", "Unit renamed"),
    "org_unit.move": ("Chuyển đơn vị trực thuộc", "Unit moved"),
    "org_unit.merge": ("Sáp nhập đơn vị", "Unit merged"),
    "org_unit.close": ("Giải thể đơn vị", "Unit closed"),
    "org_unit.import": ("Nhập danh sách đơn vị", "Unit list imported"),
    # assets (hub.assets)
    "asset.create": ("Thêm tài sản", "Asset added"),
    "asset.import": ("Nhập tài sản từ tệp", "Asset imported"),
    "asset.update": ("Sửa thông tin tài sản", "Asset changed"),
    "asset.checkout": ("Cấp phát tài sản cho cán bộ", "Asset checked out"),
    "asset.return": ("Nhận lại tài sản", "Asset returned"),
    "asset.movement_request": ("Đề nghị điều chuyển, sửa chữa, cho mượn, thanh lý", "Asset movement requested"),
    "asset.attachment_add": ("Thêm tệp vào hồ sơ tài sản", "File added to an asset record"),
    "asset.movement_approve": ("Duyệt điều chuyển tài sản", "Asset movement approved"),
    "asset.movement_reject": ("Từ chối điều chuyển tài sản", "Asset movement rejected"),
    "asset.movement_cancel": ("Hủy đề nghị điều chuyển", "Asset movement request cancelled"),
    "asset_inventory.start": ("Mở phiên kiểm kê tài sản", "Inventory session started"),
    "asset_inventory.resolve": ("Xử lý chênh lệch kiểm kê", "Inventory difference resolved"),
    "asset_inventory.close": ("Kết thúc phiên kiểm kê", "Inventory session closed"),
    "asset_reader.save": ("Gán đầu đọc RFID cho phòng", "RFID reader mapped to a room"),
    "asset_portal.save": ("Cấu hình cổng kiểm soát tài sản", "Door portal configured"),
    "asset_portal_alert.acknowledge": ("Xử lý cảnh báo cổng kiểm soát", "Door portal alert handled"),
    "asset_category.save": ("Lưu loại tài sản", "Asset category saved"),
    "asset_location.create": ("Thêm vị trí tài sản", "Asset location added"),
    # paperless meetings (hub.meetings)
    "meeting_room.save": ("Lưu phòng họp", "Meeting room saved"),
    "meeting_booking.create": ("Đặt phòng họp", "Meeting room booked"),
    "meeting_booking.cancel": ("Hủy đặt phòng họp", "Room booking cancelled"),
    "meeting_booking.approve": ("Duyệt đặt phòng họp", "Room booking approved"),
    "meeting_booking.reject": ("Từ chối đặt phòng họp", "Room booking rejected"),
    "meeting_booking.release": ("Tự động trả phòng họp (không điểm danh)", "Room booking released (no check-in)"),
    "meeting.create": ("Tổ chức cuộc họp", "Meeting called"),
    "meeting.agenda": ("Lập chương trình họp", "Meeting agenda set"),
    "meeting_paper.add": ("Thêm tài liệu họp", "Meeting paper added"),
    "meeting.checkin": ("Điểm danh dự họp", "Meeting check-in"),
    "meeting.attendance_undo": ("Hủy điểm danh dự họp", "Meeting check-in taken back"),
    "meeting_vote.open": ("Mở biểu quyết", "Vote opened"),
    "meeting.start": ("Bắt đầu cuộc họp", "Meeting started"),
    "meeting.close": ("Kết thúc cuộc họp", "Meeting closed"),
    "meeting.current_item": ("Chuyển nội dung họp", "Current agenda item moved"),
    "meeting.floor": ("Mời phát biểu", "Floor given"),
    "meeting.floor_extend": ("Thêm thời gian phát biểu", "Speaking time extended"),
    "meeting.participant_add": ("Thêm người dự họp", "Meeting participant added"),
    "meeting.participant_remove": ("Bỏ người dự họp khỏi thành phần", "Meeting participant removed"),
    "meeting.lead_replace": ("Thay chủ trì hoặc thư ký cuộc họp", "Meeting chair or secretary replaced"),
    "meeting_opinion.give": ("Góp ý dự thảo tại cuộc họp", "Opinion given in a meeting"),
    "meeting_opinion.edit": ("Sửa ý kiến góp ý", "Meeting opinion edited"),
    "meeting_opinion.withdraw": ("Rút ý kiến góp ý", "Meeting opinion withdrawn"),
    "meeting_task.assign": ("Giao việc theo kết luận họp", "Meeting task assigned"),
    "meeting_task.finish": ("Hoàn thành việc theo kết luận họp", "Meeting task done"),
    "meeting_vote.close": ("Kết thúc biểu quyết", "Vote closed"),
    "meeting.minutes_save": ("Lưu biên bản cuộc họp", "Meeting minutes saved"),
    "meeting.minutes_submit": ("Trình ký biên bản cuộc họp", "Meeting minutes submitted"),
    "meeting.minutes_sign": ("Ký duyệt biên bản cuộc họp", "Meeting minutes signed off"),
    "meeting.minutes_return": ("Trả lại biên bản cuộc họp", "Meeting minutes returned"),
    "meeting.conclusion_notice": ("Lập thông báo kết luận cuộc họp", "Meeting conclusion notice drafted"),
    # documents (hub.documents)
    "documents.register_incoming": ("Vào sổ văn bản đến", "Incoming document registered"),
    "documents.register_outgoing": ("Cấp số văn bản đi", "Outgoing document numbered"),
    "documents.series_set": ("Lưu sổ / dãy số văn bản", "Document number series saved"),
    "documents.issuer_set": ("Đặt thông tin cơ quan ban hành", "Issuing organ details set"),
    # summary reporting (hub.reporting)
    "reporting_regime.define": ("Lưu chế độ báo cáo (phiên bản mới)", "Reporting regime saved (new version)"),
    "report.save": ("Nhập, điều chỉnh số liệu báo cáo", "Report figures filled or corrected"),
    "report.submit": ("Gửi báo cáo", "Report submitted"),
    "report.return": ("Trả lại báo cáo", "Report returned"),
    "report.accept": ("Tiếp nhận báo cáo", "Report accepted"),
    "report.attach": ("Đính kèm tệp vào báo cáo", "File attached to a report"),
    "report.detach": ("Gỡ tệp đính kèm khỏi báo cáo", "Attachment removed from a report"),
    "documents.assign": ("Giao xử lý văn bản đến", "Incoming document assigned"),
    "documents.progress": ("Báo cáo tiến độ xử lý văn bản", "Handling progress reported"),
    "documents.extension_ask": ("Xin gia hạn xử lý văn bản", "Deadline extension requested"),
    "documents.extension_decide": ("Duyệt gia hạn xử lý văn bản", "Deadline extension decided"),
    "documents.finish": ("Hoàn thành xử lý văn bản", "Document handling finished"),
    "documents.clearance_set": ("Cấp, thu hồi quyền tiếp cận văn bản mật", "Security clearance set"),
    "documents.secret_grant": ("Cho phép xem văn bản mật", "Secret document granted"),
    "documents.secret_revoke": ("Thu hồi quyền xem văn bản mật", "Secret document grant withdrawn"),
    "documents.secret_open": ("Mở văn bản mật", "Secret document opened"),
    "documents.secret_refused": ("Từ chối mở văn bản mật", "Secret document refused"),
    "documents.draft_create": ("Tạo dự thảo văn bản đi", "Outgoing draft created"),
    "documents.draft_edit": ("Sửa thông tin dự thảo", "Draft details changed"),
    "documents.draft_version": ("Tải lên phiên bản dự thảo", "Draft version uploaded"),
    "documents.draft_comment": ("Góp ý dự thảo", "Draft commented"),
    "documents.draft_submit": ("Trình dự thảo", "Draft submitted"),
    "documents.draft_forward": ("Lãnh đạo đơn vị chuyển trình ký", "Draft forwarded for signature"),
    "documents.draft_approve": ("Lãnh đạo duyệt ký dự thảo", "Draft approved for signature"),
    "documents.draft_return": ("Trả lại dự thảo để sửa", "Draft returned for editing"),
    "documents.release": ("Phát hành văn bản đi", "Outgoing document released"),
    "documents.revoke": ("Thu hồi văn bản", "Document revoked"),
    "documents.replace": ("Thay thế văn bản", "Document replaced"),
    "documents.update": ("Sửa đổi, bổ sung văn bản", "Document updated"),
    "documents.file_list_heading": ("Thêm đề mục danh mục hồ sơ", "File list heading added"),
    "documents.file_list_entry": ("Thêm hồ sơ vào danh mục", "File list entry added"),
    "documents.file_list_remove": ("Xóa hồ sơ khỏi danh mục", "File list entry removed"),
    "documents.file_list_import": ("Nhập danh mục hồ sơ từ XLSX", "File list imported"),
    "documents.file_list_approve": ("Duyệt danh mục hồ sơ", "File list approved"),
    "documents.case_file_open": ("Mở hồ sơ", "Case file opened"),
    "documents.case_file_add": ("Đưa văn bản, tài liệu vào hồ sơ", "Added to a case file"),
    "documents.case_file_remove": ("Bỏ văn bản, tài liệu khỏi hồ sơ", "Removed from a case file"),
    "documents.case_file_order": ("Sắp xếp văn bản trong hồ sơ", "Case file reordered"),
    "documents.case_file_close": ("Kết thúc hồ sơ", "Case file closed"),
    "documents.case_file_reopen": ("Mở lại hồ sơ đã kết thúc", "Case file reopened"),
    "documents.case_file_keep": ("Giữ lại hồ sơ quá hạn nộp lưu", "Case file kept past its hand-over day"),
    "documents.case_files_submit": ("Nộp lưu hồ sơ", "Case files handed over"),
    "documents.case_files_accept": ("Lưu trữ cơ quan nhận hồ sơ", "Case files accepted into the archive"),
    "documents.case_file_propose_destruction": (
        "Đề nghị hủy hồ sơ hết thời hạn bảo quản",
        "Case file past its retention proposed for destruction",
    ),
    "documents.case_file_withdraw_destruction": ("Rút đề nghị hủy hồ sơ", "Proposal to destroy a case file withdrawn"),
}

#: prefix → (Vietnamese, English): the action filter's groups
GROUPS: dict[str, tuple[str, str]] = {
    "sign_in.": ("Đăng nhập (mọi kết quả)", "Sign-in (any outcome)"),
    "user.": ("Tài khoản (mọi thao tác)", "Accounts (any change)"),
    "grant.": ("Vai trò (giao, thu hồi)", "Roles (granted, revoked)"),
    "employee.": ("Cán bộ (mọi thao tác)", "Employees (any change)"),
    "device.": ("Thiết bị (mọi thao tác)", "Devices (any change)"),
    "enrollment_token.": ("Đăng ký thiết bị (mọi kết quả)", "Device enrollment (any outcome)"),
    "gallery.": ("Quyền vào cơ quan (mọi thao tác)", "Office access (any change)"),
    "biometrics.": ("Sinh trắc học (mọi thao tác)", "Biometrics (any change)"),
    "leave.": ("Nghỉ phép (mọi thao tác)", "Leave (any action)"),
    "org_unit.": ("Đơn vị (mọi thao tác)", "Org units (any change)"),
    "documents.": ("Văn bản (mọi thao tác)", "Documents (any action)"),
    "report.": ("Báo cáo định kỳ (mọi thao tác)", "Periodic reports (any action)"),
}

#: what an audit row is about → (Vietnamese, English)
ENTITIES: dict[str, tuple[str, str]] = {
    "user": ("Tài khoản", "Account"),
    "client_address": ("Địa chỉ máy", "Client address"),
    "employee": ("Cán bộ", "Employee"),
    "device": ("Thiết bị", "Device"),
    "site": ("Cơ quan", "Office"),
    "calendar": ("Lịch làm việc", "Work calendar"),
    "kiosk_link": ("Liên kết màn hình", "Screen link"),
    "attendance_event": ("Lượt chấm công", "Check-in"),
    "unknown_face": ("Người lạ", "Unknown face"),
    "grant": ("Vai trò", "Role grant"),
    "job": ("Công việc nền", "Background job"),
    "leave_request": ("Đơn nghỉ", "Leave request"),
    "leave_year": ("Năm phép", "Leave year"),
    "backup": ("Bản sao lưu", "Backup"),
    "notification_action": ("Liên kết thao tác", "Action link"),
    "notification_mail": ("Thư thông báo", "Notification mail"),
    "org_unit": ("Đơn vị", "Org unit"),
    "asset": ("Tài sản", "Asset"),
    "asset_category": ("Loại tài sản", "Asset category"),
    "asset_location": ("Vị trí tài sản", "Asset location"),
    "asset_movement": ("Điều chuyển tài sản", "Asset movement"),
    "asset_inventory": ("Phiên kiểm kê tài sản", "Inventory session"),
    "asset_reader": ("Đầu đọc RFID theo phòng", "Room RFID reader"),
    "asset_portal": ("Cổng kiểm soát tài sản", "Door portal"),
    "asset_portal_alert": ("Cảnh báo cổng kiểm soát", "Door portal alert"),
    "meeting_room": ("Phòng họp", "Meeting room"),
    "meeting_booking": ("Lịch đặt phòng họp", "Room booking"),
    "meeting": ("Cuộc họp", "Meeting"),
    "meeting_paper": ("Tài liệu họp", "Meeting paper"),
    "meeting_vote": ("Biểu quyết", "Vote"),
    "meeting_task": ("Công việc theo kết luận họp", "Meeting task"),
    "meeting_opinion": ("Ý kiến góp ý tại cuộc họp", "Meeting opinion"),
    "document_series": ("Dãy số văn bản", "Document number series"),
    "document_issuer": ("Cơ quan ban hành", "Issuing organ"),
    "reporting_regime": ("Chế độ báo cáo", "Reporting regime"),
    "report": ("Báo cáo định kỳ", "Periodic report"),
    "document": ("Văn bản", "Document"),
    "document_draft": ("Dự thảo văn bản đi", "Outgoing draft"),
    "document_link": ("Thu hồi, thay thế, sửa đổi văn bản", "Document revocation, replacement, update"),
    "document_assignment": ("Phiếu giải quyết văn bản đến", "Document assignment"),
    "document_handler": ("Người, đơn vị xử lý văn bản", "Document handler"),
    "document_extension": ("Đề nghị gia hạn xử lý", "Extension request"),
    "case_file_list": ("Danh mục hồ sơ", "File list"),
    "case_file_handover": ("Nộp lưu hồ sơ", "Case file hand-over"),
    "case_file": ("Hồ sơ", "Case file"),
}

#: actors that are not accounts
ACTORS: dict[str, tuple[str, str]] = {
    "system": ("Hệ thống", "The system"),
    "cli": ("Dòng lệnh (cces)", "Command line (cces)"),
}

register_texts(
    {f"audit.action.{code}": {"vi": vi, "en": en} for code, (vi, en) in ACTIONS.items()}
    | {f"audit.group.{prefix}": {"vi": vi, "en": en} for prefix, (vi, en) in GROUPS.items()}
    | {f"audit.entity.{code}": {"vi": vi, "en": en} for code, (vi, en) in ENTITIES.items()}
    | {f"audit.actor.{code}": {"vi": vi, "en": en} for code, (vi, en) in ACTORS.items()}
    | {"audit.device_actor": {"vi": "Thiết bị {id}", "en": "Device {id}"}}
)


def action_label(t: Translate, code: str) -> str:
    """'Đăng nhập sai' for `sign_in.failed`; a group's label for a prefix (`sign_in.`); else the code."""
    if code in ACTIONS:
        return t(f"audit.action.{code}")
    if code in GROUPS:
        return t(f"audit.group.{code}")
    return code


def entity_label(t: Translate, entity: str, entity_id: str | None) -> str:
    """'Thiết bị door-hq-01', 'Tài khoản 12': what the row is about, its kind said in words."""
    kind = t(f"audit.entity.{entity}") if entity in ENTITIES else entity
    return f"{kind} {entity_id}" if entity_id else kind


def actor_label(t: Translate, actor: str) -> str:
    """An account's username as it is; 'Hệ thống', 'Dòng lệnh (cces)', 'Thiết bị door-01' for the others."""
    if actor in ACTORS:
        return t(f"audit.actor.{actor}")
    if actor.startswith("device:"):
        return t("audit.device_actor").format(id=actor.removeprefix("device:"))
    return actor


def action_options(t: Translate) -> dict[str, str]:
    """The action filter's choices: each group, then each action, by label (code → label)."""
    groups = {prefix: action_label(t, prefix) for prefix in GROUPS}
    actions = dict(sorted(((code, action_label(t, code)) for code in ACTIONS), key=lambda item: item[1]))
    return groups | actions
