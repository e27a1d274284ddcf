"""The enrollment page with the real biometrics service, the real yunet-sface pack and real photos."""

from __future__ import annotations

import asyncio
from pathlib import Path

import cv2
import numpy as np
import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.services import HubServices
from tests.ui.conftest import SETUP_ADMIN, open_refused

pytestmark = pytest.mark.timeout(240)


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


async def _upload(user: User, name: str, data: bytes) -> None:
    with user:
        upload = user.find(marker="photo-upload").elements.pop()
        assert isinstance(upload, ui.upload)
    await upload.handle_uploads([SmallFileUpload(name, "image/jpeg", data)])
    await asyncio.sleep(0.3)  # the check runs in a worker thread


def _texts(user: User, marker: str) -> list[str]:
    with user:
        return sorted(e.text for e in user.find(marker=marker).elements)


async def test_enroll_with_consent_refusals_and_erasure(
    biometrics_on: HubServices, sign_in, testdata_dir: Path
) -> None:
    faces = testdata_dir / "faces" / "enroll"
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people/NV001/enrollment")
    await user.should_see("Nguyễn Văn Đức")
    await user.should_see(marker="consent-none")

    # without consent a good photo is refused, with the reason
    await _upload(user, "obama.jpg", (faces / "obama/obama.jpg").read_bytes())
    await user.should_see(marker="photo-refused", retries=30)
    assert "đồng ý" in _texts(user, "photo-refused")[0]

    user.find(marker="consent-reference").type("QĐ 15/2026")
    user.find(marker="record-consent").click()
    await user.should_see(marker="consent-given", retries=20)
    await user.should_see("QĐ 15/2026", retries=5)

    for name in ("obama.jpg", "obama2.jpg"):
        await _upload(user, name, (faces / "obama" / name).read_bytes())
    await user.should_see("Ảnh đã nhận (2)", retries=40)
    assert _texts(user, "photo-accepted") == ["obama.jpg: đã nhận.", "obama2.jpg: đã nhận."]

    # refusals made from the real photos: a crop with no face, two people side by side
    obama = cv2.imread(str(faces / "obama/obama.jpg"))
    biden = cv2.imread(str(faces / "biden/biden.jpg"))
    corner = obama[: obama.shape[0] // 6, : obama.shape[1] // 6]
    corner = cv2.resize(corner, (corner.shape[1] * 4, corner.shape[0] * 4))
    pair = np.hstack([obama, cv2.resize(biden, (round(biden.shape[1] * obama.shape[0] / biden.shape[0]),
                                                  obama.shape[0]))])  # fmt: skip
    await _upload(user, "goc-anh.jpg", _jpeg(corner))
    await _upload(user, "hai-nguoi.jpg", _jpeg(pair))
    refused = _texts(user, "photo-refused")
    assert any(t.startswith("goc-anh.jpg: không nhận — Không tìm thấy khuôn mặt") for t in refused), refused
    assert any(t.startswith("hai-nguoi.jpg: không nhận — Ảnh có nhiều khuôn mặt") for t in refused), refused
    await user.should_see("Ảnh đã nhận (2)")

    # one photo deleted, then everything erased on request
    user.find(marker="delete-photo").click()
    user.find(marker="confirm-delete-photo").click()
    await user.should_see("Ảnh đã nhận (1)", retries=20)

    user.find(marker="erase-button").click()
    await user.should_see("Xóa vĩnh viễn toàn bộ dữ liệu khuôn mặt của Nguyễn Văn Đức?")
    user.find(marker="confirm-erase").click()
    await user.should_see("Đã xóa 1 ảnh", retries=20)
    await user.should_see("Ảnh đã nhận (0)")
    await user.should_see(marker="consent-none")
    employee_id = biometrics_on.people.employee(SETUP_ADMIN, "NV001").id
    assert biometrics_on.biometrics.photos(SETUP_ADMIN, employee_id) == []
    with biometrics_on.pool.connection() as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_log WHERE action LIKE 'biometrics.%'")]
    assert sorted(actions) == sorted(
        ["biometrics.consent", "biometrics.photo_add", "biometrics.photo_add", "biometrics.photo_delete",
         "biometrics.erase"]
    )  # fmt: skip


async def test_english_reasons_and_who_may_enroll(biometrics_on: HubServices, sign_in, testdata_dir: Path) -> None:
    user = await sign_in((Role.HR, "CCHQNB"), language="en")
    await open_refused(user, "/people/NV003/enrollment")  # another Cục
    await user.should_see("Access denied")
    await user.open("/people/NV001/enrollment")
    await user.should_see("Face enrollment")
    await _upload(user, "blank.jpg", _jpeg(np.full((480, 640, 3), 200, np.uint8)))
    await user.should_see(marker="photo-refused", retries=30)
    assert _texts(user, "photo-refused")[0].startswith("blank.jpg: refused — ")


async def test_a_manager_cannot_open_enrollment(biometrics_on: HubServices, sign_in) -> None:
    user = await sign_in((Role.MANAGER, "CHQHN"))
    await open_refused(user, "/people/NV001/enrollment")
    await user.should_not_see(marker="photo-upload")


async def test_a_hub_without_biometrics_says_so(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await user.open("/people/NV001/enrollment")
    await user.should_see(marker="no-biometrics")
    await user.should_not_see(marker="photo-upload")
