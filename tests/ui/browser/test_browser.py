"""The admin UI in a real headless Chromium against a running `cces hub` (real PostgreSQL, broker,
model pack): sign in, enroll a person from the shared test photos with the refusals for a photo
with no face and one with two faces, a photo from the (fake) browser camera, a device's enrollment
QR code read back from a screenshot, and the navigation on a phone-sized screen.

(The live check-in and the timesheet export are in test_browser_attendance.py.)
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import psycopg
import pytest

from tests.hubprocess import HubProcess
from tests.ui.browser.conftest import ADMIN_PASSWORD
from tests.ui.browser.waits import page_text, retry_stale, retype, wait_for_text, wait_until

pytestmark = pytest.mark.timeout(300)


# --- helpers -------------------------------------------------------------------------------------


def _by():  # noqa: ANN202
    from selenium.webdriver.common.by import By

    return By


def sign_in(browser, hub: HubProcess, username: str = "admin", password: str = ADMIN_PASSWORD) -> None:  # noqa: ANN001
    from selenium.webdriver.support import expected_conditions as ec

    by = _by()
    wait_until(browser, ec.element_to_be_clickable((by.CSS_SELECTOR, "input[name=username]")))

    def fill_in_and_send() -> None:
        retype(browser.find_element(by.CSS_SELECTOR, "input[name=username]"), username)
        retype(browser.find_element(by.CSS_SELECTOR, "input[name=password]"), password)
        browser.find_element(by.XPATH, "//button[contains(., 'Đăng nhập')]").click()

    retry_stale(fill_in_and_send)


def click_button(browser, label: str) -> None:  # noqa: ANN001
    retry_stale(lambda: browser.find_element(_by().XPATH, f"//button[contains(., '{label}')]").click())


def input_by_label(browser, label: str):  # noqa: ANN001, ANN201
    """The <input> of the Quasar field whose label reads `label`."""
    return browser.find_element(
        _by().XPATH, f"//label[.//div[contains(@class,'q-field__label') and normalize-space()='{label}']]//input"
    )


def type_into(browser, label: str, text: str) -> None:  # noqa: ANN001
    """Type `text` into the field labelled `label` (found again if the page re-renders meanwhile)."""
    retry_stale(lambda: retype(input_by_label(browser, label), text))


def upload(browser, *files: Path) -> None:  # noqa: ANN001
    """Give files to the page's uploader (auto-upload: they go to the hub at once)."""
    paths = "\n".join(str(f) for f in files)
    retry_stale(lambda: browser.find_element(_by().CSS_SELECTOR, "input[type=file]").send_keys(paths))


def jpeg_file(folder: Path, name: str, image: np.ndarray) -> Path:
    path = folder / name
    assert cv2.imwrite(str(path), image)
    return path


# --- tests ---------------------------------------------------------------------------------------


def test_sign_in_refuses_a_wrong_password_then_comes_back_to_the_page_asked_for(
    browser, browser_hub: HubProcess
) -> None:  # noqa: ANN001
    browser.get(f"{browser_hub.base_url}/people?q=nguyen")
    assert "/sign-in?next=" in browser.current_url
    sign_in(browser, browser_hub, password="sai-mat-khau")
    wait_for_text(browser, "Tên đăng nhập hoặc mật khẩu không đúng.")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Nguyễn Văn Đức")
    assert browser.current_url.startswith(f"{browser_hub.base_url}/people")
    assert "Trần Thị Lan" not in page_text(browser)  # the search was kept


def test_enroll_a_person_from_real_photos_with_refusals(
    browser, browser_hub: HubProcess, testdata_dir: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    faces = testdata_dir / "faces" / "enroll"
    browser.get(f"{browser_hub.base_url}/sign-in")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Xin chào")

    # find the person through the list, open their page, then enrollment
    browser.get(f"{browser_hub.base_url}/people")
    wait_for_text(browser, "Trần Thị Lan")
    type_into(browser, "Tìm theo tên, mã cán bộ, mã FaceID", "nguyen duc")
    wait_for_text(browser, "Trang 1/1 · 1 mục")
    retry_stale(lambda: browser.find_element(_by().LINK_TEXT, "Nguyễn Văn Đức").click())
    wait_for_text(browser, "Đội Thủ tục hàng hóa xuất nhập khẩu (DOI1)")
    click_button(browser, "Ảnh khuôn mặt (FaceID)")
    wait_for_text(browser, "Chưa ghi nhận sự đồng ý")

    type_into(browser, "Số văn bản / ghi chú", "QĐ 15/2026")
    click_button(browser, "Ghi nhận đồng ý")
    wait_for_text(browser, "Đã đồng ý (Văn bản đồng ý có chữ ký, QĐ 15/2026)")

    upload(browser, faces / "obama" / "obama.jpg", faces / "obama" / "obama2.jpg")
    wait_for_text(browser, "Ảnh đã nhận (2)", timeout=60)
    body = page_text(browser)
    assert "obama.jpg: đã nhận." in body and "obama2.jpg: đã nhận." in body
    widths = retry_stale(
        lambda: [
            c.get_attribute("naturalWidth")
            for c in browser.find_elements(_by().CSS_SELECTOR, "img[src^='data:image/jpeg;base64,']")
        ]
    )
    assert len(widths) == 2 and all(w not in (None, "0") for w in widths)

    # the refusals, made from the test photos: a corner with no face, two people side by side
    obama = cv2.imread(str(faces / "obama" / "obama.jpg"))
    biden = cv2.imread(str(faces / "biden" / "biden.jpg"))
    corner = obama[: obama.shape[0] // 6, : obama.shape[1] // 6]
    corner = cv2.resize(corner, (corner.shape[1] * 4, corner.shape[0] * 4))
    scale = obama.shape[0] / biden.shape[0]
    pair = np.hstack([obama, cv2.resize(biden, (round(biden.shape[1] * scale), obama.shape[0]))])
    upload(browser, jpeg_file(tmp_path, "khong-co-mat.jpg", corner))
    wait_for_text(browser, "khong-co-mat.jpg: không nhận — Không tìm thấy khuôn mặt trong ảnh.", timeout=60)
    upload(browser, jpeg_file(tmp_path, "hai-nguoi.jpg", pair))
    wait_for_text(browser, "hai-nguoi.jpg: không nhận — Ảnh có nhiều khuôn mặt", timeout=60)
    assert "Ảnh đã nhận (2)" in page_text(browser)  # nothing kept of those


def _y4m(path: Path, image: np.ndarray, frames: int = 30) -> Path:
    """A short Y4M clip of one still image: Chromium's fake camera plays it in a loop."""
    h, w = (image.shape[0] // 2) * 2, (image.shape[1] // 2) * 2
    i420 = cv2.cvtColor(np.ascontiguousarray(image[:h, :w]), cv2.COLOR_BGR2YUV_I420).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + i420)
    return path


@pytest.fixture
def camera_browser(tmp_path: Path, testdata_dir: Path) -> Iterator:
    """Headless Chromium whose camera shows a real face photo (fake media device, permission granted)."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[test])")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        pytest.skip("browser tests need Debian's chromium and chromium-driver (scripts/test installs them)")
    clip = _y4m(tmp_path / "camera.y4m", cv2.imread(str(testdata_dir / "faces/enroll/biden/biden.jpg")))
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clip}",
    ):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def test_a_photo_taken_with_the_browser_camera_is_checked_and_kept(camera_browser, browser_hub: HubProcess) -> None:  # noqa: ANN001
    browser = camera_browser
    browser.get(f"{browser_hub.base_url}/people/NV002/enrollment")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Chưa ghi nhận sự đồng ý")
    click_button(browser, "Ghi nhận đồng ý")
    wait_for_text(browser, "Đã đồng ý")
    click_button(browser, "Bật máy ảnh")
    deadline = time.monotonic() + 20
    while browser.execute_script("const v = document.querySelector('video'); return v ? v.videoWidth : 0") == 0:
        assert time.monotonic() < deadline, page_text(browser)[-1000:]
        time.sleep(0.2)
    click_button(browser, "Chụp ảnh")
    wait_for_text(browser, "Ảnh chụp: đã nhận.", timeout=60)
    wait_for_text(browser, "Ảnh đã nhận (1)")


def test_device_enrollment_qr_code_reads_back_as_the_token(browser, browser_hub: HubProcess) -> None:  # noqa: ANN001
    browser.get(f"{browser_hub.base_url}/devices/enroll")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Mã có hiệu lực (giờ)")
    type_into(browser, "Mã thiết bị", "door-hn-07")
    type_into(browser, "Cơ quan / địa điểm", "Cục Hải quan Hà Nội")
    click_button(browser, "Tạo mã đăng ký")
    wait_for_text(browser, "cces-enroll:v1:door-hn-07:")

    def read_qr_code() -> str:
        svg = browser.find_element(_by().CSS_SELECTOR, "svg[role=img]")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
        shot = cv2.imdecode(np.frombuffer(svg.screenshot_as_png, np.uint8), cv2.IMREAD_COLOR)
        return str(cv2.QRCodeDetector().detectAndDecode(shot)[0])

    decoded = retry_stale(read_qr_code)
    shown = [line for line in page_text(browser).splitlines() if line.startswith("cces-enroll:v1:door-hn-07:")]
    assert decoded and decoded == shown[0]

    # what the code holds is the token the hub stored (as its hash only)
    token = decoded.rsplit(":", 1)[1]
    with psycopg.connect(browser_hub.env["CCES_DATABASE_URL"]) as conn:
        stored = conn.execute(
            "SELECT token_sha256, site FROM enrollment_tokens WHERE device_id = 'door-hn-07'"
        ).fetchall()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "Cục Hải quan Hà Nội")]


def test_phone_sized_screen_hides_the_menu_behind_a_button(browser, browser_hub: HubProcess) -> None:  # noqa: ANN001
    browser.set_window_size(390, 844)
    browser.get(f"{browser_hub.base_url}/sign-in")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Xin chào")
    by = _by()
    nav_link = (by.CSS_SELECTOR, "aside a[href='/people']")
    assert not retry_stale(lambda: browser.find_element(*nav_link).is_displayed())
    retry_stale(lambda: browser.find_element(by.CSS_SELECTOR, "button[aria-label='Danh mục']").click())
    wait_until(browser, lambda b: b.find_element(*nav_link).is_displayed(), 10, "the menu did not open")
    retry_stale(lambda: browser.find_element(*nav_link).click())
    wait_for_text(browser, "Trần Thị Lan")
    assert browser.current_url.endswith("/people")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the people page scrolls sideways on a phone ({width}px wide)"


def test_language_switch_in_the_browser(browser, browser_hub: HubProcess) -> None:  # noqa: ANN001
    browser.get(f"{browser_hub.base_url}/sign-in")
    sign_in(browser, browser_hub)
    wait_for_text(browser, "Xin chào")
    click_button(browser, "EN")
    wait_for_text(browser, "Welcome")
    browser.get(f"{browser_hub.base_url}/devices")
    wait_for_text(browser, "Page 1/1 · 0 items")
