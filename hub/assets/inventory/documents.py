"""The papers of a closed inventory session, as PDF (hub.reports' fpdf2 renderer, DejaVu Sans for Vietnamese):

- the difference report (báo cáo chênh lệch kiểm kê): every asset or tag not where the register says, with how
  it was settled;
- the minutes (biên bản kiểm kê tài sản): when, where, who, per room the assets on the register and found,
  missing, moved and unknown, the totals, the conclusion and the signatures of the counting team.
"""

from __future__ import annotations

from datetime import datetime

from hub.assets.inventory.models import OUTCOME_LABELS, STATE_LABELS, Reconciliation
from hub.reports.documents import LOCAL, Column, ReportDocument
from hub.reports.export_pdf import render_pdf

AGENCY = ("TỔNG CỤC HẢI QUAN", "ĐƠN VỊ KIỂM KÊ")


def _when(at: datetime | None) -> str:
    return at.astimezone(LOCAL).strftime("%H:%M %d/%m/%Y") if at else "…"


def _scope(result: Reconciliation) -> str:
    inv = result.inventory
    return inv.location_name or "Toàn ngành / whole administration"


def differences_pdf(result: Reconciliation, now: datetime) -> bytes:
    rows = []
    for room in result.rooms:
        for line in room.lines:
            if line.state == "found":
                continue
            settled = OUTCOME_LABELS.get(line.resolution or "", ("Chưa xử lý", "Not resolved"))
            rows.append(
                [
                    len(rows) + 1,
                    room.name,
                    STATE_LABELS[line.state][0],
                    line.asset_number or "—",
                    line.asset_name or "",
                    line.registered_code or "—",
                    line.tag or "",
                    settled[0],
                ]
            )
    doc = ReportDocument(
        title="BÁO CÁO CHÊNH LỆCH KIỂM KÊ TÀI SẢN",
        period=f"Phiên số {result.inventory.id}: {result.inventory.title}",
        unit_name=_scope(result),
        columns=(
            Column("STT", 0.7, "right"),
            Column("Phòng / vị trí kiểm kê", 5.0),
            Column("Chênh lệch", 2.0),
            Column("Mã tài sản", 2.6),
            Column("Tên tài sản", 4.5),
            Column("Vị trí theo sổ", 2.2),
            Column("Mã thẻ (EPC)", 4.0),
            Column("Xử lý", 2.4),
        ),
        rows=rows,
        filename_stem=f"chenh-lech-kiem-ke-{result.inventory.id}",
        notes=(
            f"Có mặt: {result.totals['found']}; không thấy: {result.totals['missing']}; sai vị trí:"
            f" {result.totals['moved']}; thẻ lạ: {result.totals['unknown']}; chưa xử lý: {result.unresolved}.",
        ),
        signatures=("Người lập", "Trưởng ban kiểm kê"),
        generated_at=now,
        agency_lines=AGENCY,
    )
    return render_pdf(doc)


def minutes_pdf(result: Reconciliation, now: datetime) -> bytes:
    inv = result.inventory
    rows = [
        [
            room.name,
            room.counts["expected"],
            room.counts["found"],
            room.counts["missing"],
            room.counts["moved"],
            room.counts["unknown"],
        ]
        for room in result.rooms
    ]
    t = result.totals
    rows.append(["Cộng", t["expected"], t["found"], t["missing"], t["moved"], t["unknown"]])
    doc = ReportDocument(
        title="BIÊN BẢN KIỂM KÊ TÀI SẢN",
        period=(f"Năm {inv.stocktake_year} — " if inv.stocktake_year else "") + f"phiên số {inv.id}: {inv.title}",
        unit_name=_scope(result),
        columns=(
            Column("Phòng / vị trí", 8.0),
            Column("Theo sổ", 1.6, "right"),
            Column("Có mặt", 1.6, "right"),
            Column("Không thấy", 1.8, "right"),
            Column("Sai vị trí", 1.8, "right"),
            Column("Thẻ lạ", 1.6, "right"),
        ),
        rows=rows,
        filename_stem=f"bien-ban-kiem-ke-{inv.id}",
        notes=(
            f"Thời gian kiểm kê: từ {_when(inv.started_at)} đến {_when(inv.closed_at)}.",
            f"Người mở phiên: {inv.started_by}; người kết thúc: {inv.closed_by or '…'}. Số thẻ đã đọc: {result.reads}.",
            f"Kết luận: {t['found']}/{t['expected']} tài sản theo sổ có mặt đúng vị trí; {t['missing']} không thấy,"
            f" {t['moved']} sai vị trí, {t['unknown']} thẻ không có trong sổ; {result.unresolved} chênh lệch chưa xử"
            " lý (chi tiết: báo cáo chênh lệch kèm theo).",
            "Căn cứ: Luật Quản lý, sử dụng tài sản công 2017; Thông tư 23/2023/TT-BTC"
            " (kiểm kê ít nhất mỗi năm một lần).",
        ),
        signatures=("Thành viên tổ kiểm kê", "Kế toán", "Thủ trưởng đơn vị"),
        generated_at=now,
        agency_lines=AGENCY,
    )
    return render_pdf(doc)
