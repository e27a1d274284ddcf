"""What the demo office is made of, as data: the incoming and outgoing documents it has registered, its meeting
rooms, its computers with their cost, and its monthly reporting regime (cces.demo_office seeds them)."""

from __future__ import annotations

INCOMING = (
    ("Bộ Tài chính", "BTC-CHQ", "Về việc tăng cường kiểm tra sau thông quan đối với hàng hóa nhập khẩu có rủi ro cao"),
    ("Bộ Tài chính", "BTC-TCCB", "Về việc đánh giá, xếp loại chất lượng công chức năm {y}"),
    ("Bộ Công Thương", "BCT-XNK", "Về việc kiểm soát xuất xứ hàng hóa xuất khẩu sang thị trường EU"),
    ("Bộ Công an", "BCA-C03", "Về việc phối hợp phòng, chống buôn lậu, gian lận thương mại dịp cuối năm"),
    ("UBND thành phố Hà Nội", "UBND-KT", "Về việc đẩy nhanh thời gian thông quan hàng hóa tại các cửa khẩu"),
    ("Ngân hàng Nhà nước Việt Nam", "NHNN-QLNH", "Về việc quản lý ngoại tệ tiền mặt mang theo khi xuất nhập cảnh"),
    ("Bộ Khoa học và Công nghệ", "BKHCN-TĐC", "Về việc kiểm tra chất lượng hàng hóa nhóm 2 nhập khẩu"),
    ("Bộ Nông nghiệp và Môi trường", "BNNMT-BVTV", "Về việc kiểm dịch thực vật đối với nông sản nhập khẩu qua cảng"),
    ("Bộ Y tế", "BYT-QLD", "Về việc thông quan thuốc, nguyên liệu làm thuốc nhập khẩu"),
    ("Văn phòng Chính phủ", "VPCP-KTTH", "Về việc thực hiện Cơ chế một cửa quốc gia, Cơ chế một cửa ASEAN"),
    ("Bộ Tài chính", "BTC-PC", "Về việc góp ý dự thảo Thông tư sửa đổi quy định về thủ tục hải quan"),
    ("Ban Chỉ đạo 389 quốc gia", "BCĐ389", "Về việc cao điểm đấu tranh chống buôn lậu và hàng giả dịp Tết"),
    ("Cảng vụ Hàng hải Hải Phòng", "CVHHHP", "Về việc phối hợp quản lý tàu thuyền xuất cảnh, nhập cảnh"),
    ("Cục Hàng không Việt Nam", "CHK-VTHK", "Về việc bảo đảm an ninh tại nhà ga hàng hóa hàng không"),
    ("Kho bạc Nhà nước", "KBNN-KTNN", "Về việc đối chiếu số thu ngân sách nhà nước từ hoạt động xuất nhập khẩu"),
    ("Bộ Tài chính", "BTC-KHTC", "Về việc lập dự toán ngân sách nhà nước năm {y1}"),
    (
        "Công ty TNHH Samsung Electronics Việt Nam",
        "SEV-XNK",
        "Về việc đề nghị kiểm tra hàng hóa tại địa điểm riêng",
    ),
    ("Hiệp hội Doanh nghiệp dịch vụ Logistics Việt Nam", "VLA", "Về việc kiến nghị tháo gỡ vướng mắc hàng quá cảnh"),
    ("Bộ Nội vụ", "BNV-CCVC", "Về việc thực hiện chế độ báo cáo thống kê công chức"),
    ("Thanh tra Bộ Tài chính", "TTr-BTC", "Về việc kiểm tra công tác tiếp công dân, giải quyết khiếu nại, tố cáo"),
    ("Bộ Quốc phòng", "BQP-BĐBP", "Về việc phối hợp kiểm soát tại các cửa khẩu biên giới đất liền"),
    ("Sở Công Thương TP. Hồ Chí Minh", "SCT-QLTM", "Về việc kiểm soát hàng hóa tạm nhập tái xuất"),
    ("Bộ Tài chính", "BTC-CNTT", "Về việc bảo đảm an toàn thông tin hệ thống VNACCS/VCIS"),
    ("Tổng công ty Tân Cảng Sài Gòn", "TCSG-KD", "Về việc phối hợp giải phóng hàng tồn đọng tại cảng Cát Lái"),
    ("UBND thành phố Hải Phòng", "UBND-KT", "Về việc nâng cao chỉ số năng lực cạnh tranh cấp tỉnh năm {y}"),
    ("Bộ Tài chính", "BTC-VP", "Về việc thực hiện Quy chế văn hóa công sở"),
    ("Cục Quản lý thị trường", "QLTT-NV", "Về việc phối hợp kiểm tra hàng giả, hàng xâm phạm quyền sở hữu trí tuệ"),
    ("Bộ Tư pháp", "BTP-KTrVB", "Về việc rà soát văn bản quy phạm pháp luật về hải quan"),
    ("Bộ Ngoại giao", "BNG-LS", "Về việc miễn thuế hàng hóa của cơ quan đại diện ngoại giao"),
    ("Bộ Tài chính", "BTC-CST", "Về việc hướng dẫn áp dụng biểu thuế xuất nhập khẩu ưu đãi đặc biệt năm {y1}"),
)
#: (issuing unit, drafting unit's notation, type, subject, recipients inside CCES) of the outgoing documents
OUTGOING = (
    ("CHQ", "NVTHQ", "cong_van", "Về việc triển khai kế hoạch kiểm tra sau thông quan năm {y1}", ("KV1", "KV2", "KV3")),
    ("CHQ", "QLRR", "ke_hoach", "Kế hoạch cao điểm chống buôn lậu, gian lận thương mại dịp Tết Nguyên đán",
     ("KV1", "KV2", "KV3")),
    ("KV1", "TH", "bao_cao", "Báo cáo kết quả thu ngân sách nhà nước tháng {pm}", ("CHQ",)),
    ("KV2", "TH", "cong_van", "Về việc đề xuất bổ sung máy soi container tại cảng Cát Lái", ("CHQ",)),
)  # fmt: skip
#: (room id, office index, unit, name, capacity, equipment)
ROOMS = (
    ("phong-hop-tang-3", 0, "CHQ", "Phòng họp tầng 3", 30, ("Màn hình 86 inch", "Hệ thống âm thanh hội nghị")),
    ("hoi-truong-cuc", 0, "CHQ", "Hội trường Cục", 120, ("Máy chiếu", "Hệ thống âm thanh", "Camera trực tuyến")),
    ("phong-hop-kv1", 0, "KV1", "Phòng họp Chi cục khu vực I", 20, ("Màn hình 75 inch",)),
    ("phong-hop-kv2", 1, "KV2", "Phòng họp Chi cục khu vực II", 25, ("Màn hình 75 inch", "Camera trực tuyến")),
    ("phong-hop-kv3", 1, "KV3", "Phòng họp Chi cục khu vực III", 20, ("Màn hình 65 inch",)),
)
#: computers (the one category of the annex loaded so far): (name, cost in đồng)
COMPUTERS = (
    ("Máy tính để bàn Dell OptiPlex 7010", 16_500_000), ("Máy tính để bàn HP ProDesk 400 G9", 15_200_000),
    ("Máy tính xách tay Lenovo ThinkPad E14", 19_800_000), ("Máy tính xách tay Dell Latitude 5440", 24_500_000),
    ("Máy trạm HP Z2 G9 (máy soi chiếu)", 38_000_000), ("Máy tính tra cứu Lenovo ThinkCentre neo 50a", 14_300_000),
)  # fmt: skip
REGIME = "bao-cao-thang-chi-cuc"
TEMPLATE = {"indicators": [
    {"code": "staff", "name_vi": "Số cán bộ, công chức", "name_en": "Staff", "unit": "người", "source": "staff_count"},
    {"code": "leave", "name_vi": "Số ngày nghỉ phép", "name_en": "Leave days", "unit": "ngày", "source": "leave_days"},
    {"code": "received", "name_vi": "Văn bản đến", "name_en": "Documents received", "unit": "văn bản",
     "source": "documents_received"},
    {"code": "issued", "name_vi": "Văn bản đi", "name_en": "Documents issued", "unit": "văn bản",
     "source": "documents_issued"},
    {"code": "seizures", "name_vi": "Số vụ vi phạm phát hiện", "name_en": "Violations found", "unit": "vụ"},
    {"code": "summary", "name_vi": "Tình hình chung, kiến nghị", "name_en": "Summary, proposals", "kind": "text",
     "required": True},
]}  # fmt: skip
