"""Asset labels: the QR codes read back from the PDF (OpenCV's QR decoder) give each label's EPC, the
human-readable numbers are in the PDF's text, the encoding list holds the hex a tag printer writes,
and an asset list that cannot be labelled is refused whole."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pypdf
import pytest

from cces.cli import main
from hub.assets.labels import (
    ENCODING_LIST_COLUMNS,
    LabelInputError,
    SheetLayout,
    encoding_list_csv,
    label_sheet_pdf,
    make_labels,
    read_asset_csv,
)
from protocol.epc import AssetEpcPolicy, decode, parse_pure_uri

GS1 = AssetEpcPolicy(company_prefix="8934567")
ASSETS = (
    "asset_number,name,register_serial\n"
    "12345400,Máy tính xách tay Dell Latitude 5440 của phòng Tổ chức cán bộ,1\n"
    "HQ2-2024-0123,Bàn làm việc gỗ,2\n"
    "0012,Điều hoà Daikin 12000 BTU,3\n"
)


def qr_texts(pdf_bytes: bytes) -> list[str]:
    """Every image of the PDF, decoded as a QR code."""
    detector = cv2.QRCodeDetector()
    texts = []
    for page in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages:
        for image in page.images:
            text, _, _ = detector.detectAndDecode(np.array(image.image.convert("L")))
            texts.append(text)
    return texts


def many_assets(count: int) -> list:
    rows = read_asset_csv("\n".join(f"TS-{i:05d}" for i in range(count)).encode())
    return make_labels(rows, GS1)


def test_the_qr_codes_read_back_to_each_labels_epc() -> None:
    labels = make_labels(read_asset_csv(ASSETS.encode()), GS1)
    assert [label.epc.scheme for label in labels] == ["giai-96", "giai-202", "giai-202"]
    pdf = label_sheet_pdf(labels, title="Cục Hải quan TP. Hồ Chí Minh")
    texts = qr_texts(pdf)
    assert texts == [label.epc.pure_uri for label in labels]
    assert [parse_pure_uri(t).fields["asset_reference"] for t in texts] == ["12345400", "HQ2-2024-0123", "0012"]
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for needle in ("12345400", "HQ2-2024-0123", "0012", "Bàn làm việc gỗ", "Điều hoà", "Cục Hải quan", "GIAI-202"):
        assert needle in text


def test_sheets_hold_their_layout_and_every_qr_decodes() -> None:
    labels = many_assets(50)
    pdf = label_sheet_pdf(labels)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3  # 24 + 24 + 2
    assert qr_texts(pdf) == [label.epc.pure_uri for label in labels]
    assert len(pypdf.PdfReader(io.BytesIO(label_sheet_pdf(labels, SheetLayout(columns=2, rows=5)))).pages) == 5
    for columns, rows in ((0, 8), (3, 30), (8, 20)):
        with pytest.raises(LabelInputError):
            SheetLayout(columns=columns, rows=rows)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_each_qr_sits_on_its_own_label(tmp_path: Path) -> None:
    """Rendered as a printer would (pdftoppm, 150 dpi): the QR inside each label's cell is that label's."""
    labels = many_assets(7)
    layout = SheetLayout()
    (tmp_path / "l.pdf").write_bytes(label_sheet_pdf(labels, layout))
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", "l.pdf", "p"], cwd=tmp_path)
    page = cv2.imread(str(next(tmp_path.glob("p*.png"))), cv2.IMREAD_GRAYSCALE)
    px = page.shape[1] / layout.page_width
    detector = cv2.QRCodeDetector()
    for slot, label in enumerate(labels):
        x, y = (slot % layout.columns) * layout.label_width, (slot // layout.columns) * layout.label_height
        cell = page[int(y * px) : int((y + layout.label_height) * px), int(x * px) : int((x + layout.label_width) * px)]
        text, _, _ = detector.detectAndDecode(cell)
        assert text == label.epc.pure_uri, slot


def test_the_encoding_list_is_what_a_tag_printer_writes() -> None:
    labels = make_labels(read_asset_csv(ASSETS.encode()), GS1)
    rows = list(csv.DictReader(io.StringIO(encoding_list_csv(labels).decode("utf-8"))))
    assert tuple(rows[0]) == ENCODING_LIST_COLUMNS and len(rows) == 3
    for row, label in zip(rows, labels, strict=True):
        assert row["asset_number"] == label.asset_number and row["epc_hex"] == row["epc_hex"].upper()
        epc = decode(row["epc_hex"])
        assert epc.pure_uri == row["pure_uri"] == row["qr_text"] and epc.tag_uri == row["tag_uri"]
        assert int(row["pc_word"], 16) >> 11 == int(row["epc_words"]) == len(row["epc_hex"]) // 4
    assert rows[2]["asset_number"] == "0012" and decode(rows[2]["epc_hex"]).fields["asset_reference"] == "0012"


def test_reading_the_asset_list() -> None:
    # no header: the first column; BOM, semicolons, blank lines; cells kept exactly (leading zeros)
    rows = read_asset_csv("\ufeff0012;x\n\nHQ-1;y\n".encode())
    assert [(r.row, r.asset_number, r.name) for r in rows] == [(1, "0012", ""), (3, "HQ-1", "")]
    rows = read_asset_csv(b"name,asset_number\nBan,A-1\n")  # a header not starting with asset_number: data
    assert rows[0].asset_number == "name"
    rows = read_asset_csv(ASSETS.encode())
    assert rows[0].register_serial == 1 and rows[0].name.startswith("Máy tính")
    for data, reason in (
        (b"", "no asset numbers"),
        (b"asset_number\n", "no asset numbers"),
        (b"\xff\xfeA", "not UTF-8"),
        (b"asset_number,register_serial\nA,-1\n", "non-negative integer"),
        (("A" * 300).encode(), "longer than 200"),
        (b"x\n" * 20_001, "more than 20000"),
    ):
        with pytest.raises(LabelInputError, match=reason):
            read_asset_csv(data)


def test_an_asset_list_that_cannot_be_labelled_is_refused_whole() -> None:
    rows = read_asset_csv(b"HQ 2\n0012\nA-1\nA-1\n")
    with pytest.raises(LabelInputError) as refused:
        make_labels(rows, GS1)
    message = str(refused.value)
    assert "2 row(s) cannot be labelled" in message and "row 1" in message and "repeats row 3" in message
    with pytest.raises(LabelInputError, match="neither a GS1 company prefix"):
        make_labels(rows, AssetEpcPolicy())
    gid = AssetEpcPolicy(gid_manager=95100000)
    with pytest.raises(LabelInputError, match="register serial"):
        make_labels(read_asset_csv(b"HQ-1\n"), gid)
    labels = make_labels(read_asset_csv(ASSETS.encode()), gid)
    assert [label.epc.tag_uri for label in labels][0] == "urn:epc:tag:gid-96:95100000.1.1"


def test_the_labels_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.delenv("CCES_ASSETS_GS1_COMPANY_PREFIX", raising=False)
    monkeypatch.delenv("CCES_ASSETS_GID_MANAGER", raising=False)
    (tmp_path / "assets.csv").write_text(ASSETS, encoding="utf-8")
    out = tmp_path / "labels.pdf"
    code = main(["rfid", "labels", str(tmp_path / "assets.csv"), "--out", str(out), "--company-prefix", "8934567",
                 "--title", "Cục Hải quan", "--json"])  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["labels"] == 3 and result["sheets"] == 1
    assert result["schemes"] == {"giai-96": 1, "giai-202": 2}
    assert qr_texts(out.read_bytes())[1] == "urn:epc:id:giai:8934567.HQ2-2024-0123"
    assert (tmp_path / "labels-encoding.csv").read_text(encoding="utf-8").startswith("asset_number,")

    (tmp_path / "bad.csv").write_text("HQ 2\n", encoding="utf-8")
    code = main(["rfid", "labels", str(tmp_path / "bad.csv"), "--out", str(tmp_path / "bad.pdf"),
                 "--company-prefix", "8934567"])  # fmt: skip
    out_text, err = capsys.readouterr()
    assert code == 2 and out_text == "" and err.count("\n") == 1 and "character set 82" in err
    assert not (tmp_path / "bad.pdf").exists() and not (tmp_path / "bad-encoding.csv").exists()
    code = main(["rfid", "labels", str(tmp_path / "missing.csv"), "--out", str(out), "--gid-manager", "1"])
    assert code == 2 and "cannot read" in capsys.readouterr().err
