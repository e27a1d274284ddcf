"""The organisation page's texts, Vietnamese first."""

from __future__ import annotations

from ui.i18n import register_texts

TEXTS: dict[str, dict[str, str]] = {
    "org.title": {"vi": "Cơ cấu tổ chức", "en": "Organisation"},
    "org.intro": {
        "vi": "Cục Hải quan → Chi cục Hải quan khu vực → Hải quan cửa khẩu, đội, phòng (từ 01/03/2025). Mỗi thay đổi"
        " có ngày hiệu lực; tên, cấp trên cũ và đơn vị đã sáp nhập được giữ trong lịch sử.",
        "en": "Customs Department → regional branches → border-gate offices, teams, divisions (since 2025-03-01)."
        " Every change has an effective date; old names, parents and merged units stay in the history.",
    },
    "org.setup_title": {"vi": "Thiết lập tổ chức trước", "en": "Set up your organisation first"},
    "org.setup_text": {
        "vi": "Hệ thống chưa có đơn vị nào. Tạo đơn vị cấp cao nhất (Cục Hải quan) bên dưới, hoặc nhập danh sách"
        " đơn vị từ tệp CSV/XLSX (cột: mã, tên, loại, mã đơn vị cấp trên, hiệu lực từ).",
        "en": "There are no units yet. Create the top unit (the Customs Department) below, or import a list of"
        " units from a CSV/XLSX file (columns: code, name, kind, parent code, valid from).",
    },
    "org.setup_link": {"vi": "Thiết lập cơ cấu tổ chức", "en": "Set up the organisation"},
    "org.show_closed": {"vi": "Hiện đơn vị đã giải thể, sáp nhập", "en": "Show closed and merged units"},
    "org.pick": {"vi": "Chọn một đơn vị trong cây để xem chi tiết.", "en": "Pick a unit in the tree to see it."},
    "org.code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "org.name": {"vi": "Tên đơn vị", "en": "Unit name"},
    "org.kind": {"vi": "Loại đơn vị", "en": "Unit kind"},
    "org.parent": {"vi": "Đơn vị cấp trên", "en": "Parent unit"},
    "org.valid_from": {"vi": "Hiệu lực từ", "en": "Valid from"},
    "org.valid_to": {"vi": "Kết thúc từ", "en": "Ended on"},
    "org.successor": {"vi": "Sáp nhập vào", "en": "Merged into"},
    "org.predecessors": {"vi": "Đơn vị đã sáp nhập vào đây", "en": "Units merged into this one"},
    "org.seal": {"vi": "Có con dấu riêng", "en": "Has its own seal"},
    "org.office": {"vi": "Là trụ sở", "en": "Is an office"},
    "org.yes": {"vi": "Có", "en": "Yes"},
    "org.no": {"vi": "Không", "en": "No"},
    "org.staff": {"vi": "Số cán bộ", "en": "Staff"},
    "org.children": {"vi": "Đơn vị trực thuộc", "en": "Sub-units"},
    "org.history": {"vi": "Lịch sử (tên, mã, cấp trên)", "en": "History (name, code, parent)"},
    "org.from": {"vi": "Từ ngày", "en": "From"},
    "org.to": {"vi": "Đến ngày", "en": "Until"},
    "org.since_start": {"vi": "từ đầu", "en": "from the start"},
    "org.now": {"vi": "nay", "en": "now"},
    "org.closed_mark": {"vi": "đã giải thể", "en": "closed"},
    "org.effective": {"vi": "Ngày hiệu lực", "en": "Effective date"},
    "org.create": {"vi": "Thành lập đơn vị", "en": "Create a unit"},
    "org.rename": {"vi": "Đổi tên", "en": "Rename"},
    "org.move": {"vi": "Chuyển sang đơn vị cấp trên khác", "en": "Move under another parent"},
    "org.merge": {"vi": "Sáp nhập vào đơn vị khác", "en": "Merge into another unit"},
    "org.merge_hint": {
        "vi": "Đơn vị trực thuộc và cán bộ chuyển sang đơn vị nhận; đơn vị này kết thúc.",
        "en": "Sub-units and staff go to the receiving unit; this unit ends.",
    },
    "org.close": {"vi": "Giải thể", "en": "Close"},
    "org.close_hint": {
        "vi": "Chỉ giải thể được đơn vị không còn đơn vị trực thuộc và cán bộ.",
        "en": "Only a unit with no sub-units and no staff can be closed.",
    },
    "org.none": {"vi": "(không)", "en": "(none)"},
    "org.done": {"vi": "Đã lưu", "en": "Saved"},
    "org.read_only": {
        "vi": "Chỉ quản trị hệ thống và quản trị đơn vị (với đơn vị cấp dưới) được thay đổi cơ cấu.",
        "en": "Only system admins and office admins (for the units below theirs) change the organisation.",
    },
    "org.import_units": {"vi": "Nhập danh sách đơn vị (CSV/XLSX)", "en": "Import units (CSV/XLSX)"},
    "org.import_units_hint": {
        "vi": "Cột: Mã đơn vị, Tên đơn vị, Loại, Mã đơn vị cấp trên, Hiệu lực từ. Dòng sai được báo lý do và không"
        " ghi gì; các dòng khác vẫn được nhập.",
        "en": "Columns: code, name, kind, parent code, valid from. A wrong row is reported with its reasons and"
        " writes nothing; the other rows go in.",
    },
    "org.import_staff": {"vi": "Nhập danh sách cán bộ", "en": "Import staff"},
    "org.import_staff_hint": {
        "vi": "Tệp cán bộ nêu đơn vị chưa có? Hệ thống cho biết đơn vị nào và có thể tạo chúng khi nhập.",
        "en": "A staff file names units that do not exist? You are told which, and may create them with the import.",
    },
    "org.missing_units": {"vi": "Đơn vị chưa có trong hệ thống", "en": "Units that do not exist yet"},
    "org.create_missing": {
        "vi": "Tạo các đơn vị này dưới đơn vị đã chọn rồi nhập",
        "en": "Create these units under the chosen unit, then import",
    },
    "org.row": {"vi": "Dòng", "en": "Row"},
    "org.column": {"vi": "Cột", "en": "Column"},
    "org.reason": {"vi": "Lý do", "en": "Reason"},
    "org.demo": {
        "vi": "Dữ liệu trình diễn: tổ chức, cán bộ và chấm công ở đây do `cces demo` tạo ra, không phải dữ liệu thật.",
        "en": "Demo data: the organisation, staff and attendance here were made by `cces demo`, not real records.",
    },
}

register_texts(TEXTS)
