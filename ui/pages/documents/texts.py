"""The words of the documents pages (Vietnamese first, English second) and the labels of codes."""

from __future__ import annotations

from ui.i18n import register_texts

URGENCY = {0: ("Thường", "Normal"), 1: ("Khẩn", "Urgent"), 2: ("Thượng khẩn", "Very urgent"), 3: ("Hỏa tốc", "Flash")}
SECRECY = {
    0: ("Thường", "None"),
    1: ("Mật", "Secret"),
    2: ("Tối mật", "Top secret"),
    3: ("Tuyệt mật", "Absolute secret"),
}

TEXTS = {
    "docs.incoming_title": ("Vào sổ văn bản đến", "Register incoming documents"),
    "docs.incoming_intro": (
        "Nhập lần lượt từng văn bản: Enter để lưu và sang văn bản tiếp theo. Văn bản đến phải vào sổ trong ngày,"
        " chậm nhất ngày làm việc tiếp theo (NĐ 30/2020 Đ.22).",
        "Enter one document after another: Enter saves and moves to the next. Incoming documents are registered"
        " the day they arrive, at the latest the next working day (Decree 30/2020 Art. 22).",
    ),
    "docs.unit": ("Đơn vị vào sổ", "Registering unit"),
    "docs.next_number": ("Số đến tiếp theo", "Next arrival number"),
    "docs.type": ("Loại văn bản", "Document type"),
    "docs.code_number": ("Số", "Number"),
    "docs.code_notation": ("Ký hiệu", "Symbol"),
    "docs.organ": ("Cơ quan ban hành", "Issuing organ"),
    "docs.issued": ("Ngày văn bản", "Document date"),
    "docs.arrival": ("Ngày đến", "Arrival date"),
    "docs.subject": ("Trích yếu", "Subject"),
    "docs.urgency": ("Độ khẩn", "Urgency"),
    "docs.secrecy": ("Độ mật", "Secrecy"),
    "docs.signer": ("Người ký", "Signed by"),
    "docs.signer_position": ("Chức vụ người ký", "Signer's position"),
    "docs.pages": ("Số trang", "Pages"),
    "docs.due": ("Hạn trả lời", "Reply due"),
    "docs.files": ("Tệp văn bản (PDF, ảnh quét, Office)", "Files (PDF, scans, Office)"),
    "docs.save": ("Vào sổ (Enter)", "Register (Enter)"),
    "docs.saved": ("Đã vào sổ số đến", "Registered as number"),
    "docs.duplicate": (
        "Cảnh báo: trùng số, ký hiệu và cơ quan với văn bản",
        "Warning: same number, symbol and organ as document",
    ),
    "docs.today": ("Văn bản đến trong sổ năm nay (mới nhất trước)", "This year's incoming register (newest first)"),
    "docs.number": ("Số đến", "No."),
    "docs.print_pdf": ("In sổ (PDF)", "Print the register (PDF)"),
    "docs.print_xlsx": ("Xuất sổ (Excel)", "Export the register (Excel)"),
    "docs.print_outgoing_pdf": ("In sổ văn bản đi (PDF)", "Print the outgoing register (PDF)"),
    "docs.print_outgoing_xlsx": ("Xuất sổ văn bản đi (Excel)", "Export the outgoing register (Excel)"),
    "docs.late": ("Vào sổ muộn", "Registered late"),
    "docs.on_time": ("Đúng hạn", "On time"),
    "docs.registered": ("Vào sổ lúc", "Registered"),
    "docs.marks": ("Dấu", "Marks"),
    "docs.open": ("Mở", "Open"),
    "docs.no_units": (
        "Bạn không là văn thư của đơn vị có con dấu nào.",
        "You are not a clerk of any unit with a seal.",
    ),
    "docs.mine_title": ("Văn bản tôi xử lý", "My documents"),
    "docs.mine_intro": (
        "Văn bản đến giao cho bạn hoặc đơn vị của bạn, hạn gần nhất trước.",
        "Incoming documents assigned to you or your unit, nearest deadline first.",
    ),
    "docs.show_finished": ("Hiện cả văn bản đã hoàn thành", "Show finished ones too"),
    "docs.none_mine": ("Không có văn bản nào cần xử lý.", "Nothing to handle."),
    "docs.role": ("Vai trò", "Role"),
    "docs.lead": ("Chủ trì", "Lead"),
    "docs.support": ("Phối hợp", "Support"),
    "docs.deadline": ("Hạn xử lý", "Deadline"),
    "docs.status": ("Trạng thái", "Status"),
    "docs.entry_title": ("Văn bản", "Document"),
    "docs.preview": ("Xem tệp", "Preview"),
    "docs.download": ("Tải về", "Download"),
    "docs.text_pending": ("đang đọc nội dung…", "reading the text…"),
    "docs.assignment": ("Phiếu giải quyết văn bản đến", "Leader's instruction"),
    "docs.not_assigned": ("Chưa giao xử lý.", "Not assigned yet."),
    "docs.assign_title": ("Giao xử lý (lãnh đạo)", "Assign (leader)"),
    "docs.assign_hint": (
        "Đơn vị hoặc người chủ trì, các đơn vị, người phối hợp, mỗi nơi một hạn;"
        " ghi mã đơn vị (DOI1) hoặc tên đăng nhập.",
        "The lead unit or person and the supporting ones, each with a deadline; give a unit code (DOI1) or a username.",
    ),
    "docs.handler": ("Đơn vị (mã) hoặc người (tên đăng nhập)", "Unit (code) or person (username)"),
    "docs.is_person": ("là một người", "is a person"),
    "docs.add_support": ("Thêm nơi phối hợp", "Add a supporting handler"),
    "docs.comment": ("Ý kiến chỉ đạo", "Instruction"),
    "docs.assign": ("Giao xử lý", "Assign"),
    "docs.progress": ("Tiến độ", "Progress"),
    "docs.report": ("Báo cáo tiến độ", "Report progress"),
    "docs.extend": ("Xin gia hạn đến", "Ask to extend until"),
    "docs.reason": ("Lý do", "Reason"),
    "docs.ask": ("Gửi đề nghị", "Send the request"),
    "docs.finish": ("Hoàn thành", "Finish"),
    "docs.result": ("Kết quả xử lý", "Result"),
    "docs.reply": ("Số hiệu văn bản trả lời trong hệ thống (nếu có)", "Reply document's id in the system (if any)"),
    "docs.extension": ("Đề nghị gia hạn", "Extension request"),
    "docs.approve": ("Đồng ý", "Approve"),
    "docs.refuse": ("Không đồng ý", "Refuse"),
    "docs.waiting": ("chờ quyết định", "waiting"),
    "docs.approved": ("đã đồng ý", "approved"),
    "docs.refused": ("không đồng ý", "refused"),
    "docs.instructed": ("hạn giao ban đầu", "instructed deadline"),
}


def register_document_texts() -> None:
    register_texts({key: {"vi": vi, "en": en} for key, (vi, en) in TEXTS.items()})


register_document_texts()


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]
