"""Limits of the HTTP boundary, case by case (the generated check over every route is test_input_boundary):

- a body over the limit gets a Vietnamese/English 413 before it is read: a declared Content-Length at
  once, a chunked body when its running count passes the limit (a real uvicorn server on a socket);
- the routes that take files allow the larger upload limit, and only they;
- a 422 names the field and the rule and never echoes the input (an over-long password, a 10 MB name);
- the issue's examples of bad input each get a clear 4xx and change nothing.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.api.limits import BodyLimits
from hub.settings import HubSettings
from tests.hub.api.conftest import ADMIN_PASSWORD, Api
from tests.services import free_port

MiB = 1024 * 1024
#: small limits, so that the tests send megabytes rather than hundreds of them
LIMITS = BodyLimits(default=1 * MiB, upload=3 * MiB)
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)


def says_both(text: str) -> bool:
    """A 'Vietnamese / English' message."""
    vi, sep, en = text.partition(" / ")
    return bool(sep) and bool(VIETNAMESE.search(vi)) and bool(re.search(r"\b(at most|must|not|invalid)\b", en, re.I))


@dataclass
class Served:
    port: int
    api: Api

    def token(self) -> str:
        return self.api.services.accounts.sign_in("admin", ADMIN_PASSWORD).token


@pytest.fixture
def served(api: Api) -> Iterator[Served]:
    """The API app with LIMITS on a real uvicorn server (the body limit works on real sockets)."""
    port = free_port()
    config = uvicorn.Config(
        create_app(api.services, LIMITS), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-limits", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn stopped"
        time.sleep(0.02)
    try:
        yield Served(port, api)
    finally:
        server.should_exit = True
        thread.join(15)


@dataclass
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    body_bytes_sent: int

    def json(self) -> dict[str, object]:
        return json.loads(self.body)  # type: ignore[no-any-return]


def _read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def raw_post(port: int, path: str, headers: dict[str, str], chunks: Iterable[bytes] = ()) -> RawAnswer:
    """POST over a plain socket, sending `chunks` only while the server has not answered yet."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(head.encode() + b"\r\n")
        sent = 0
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the answer has come: stop sending
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        status, answer_headers, body = _read_answer(sock)
        return RawAnswer(status, answer_headers, body, sent)


def test_a_declared_over_size_body_is_refused_before_a_byte_of_it_is_read(served: Served) -> None:
    """Content-Length says 200 MB and nothing follows the headers: the answer comes at once."""
    answer = raw_post(
        served.port, "/api/v1/auth/sign-in", {"Content-Type": "application/json", "Content-Length": str(200 * MiB)}
    )
    assert answer.status == 413, answer
    assert says_both(str(answer.json()["detail"])), answer.body
    assert answer.json()["max_body_bytes"] == LIMITS.default and answer.json()["max_upload_bytes"] == LIMITS.upload
    # the same on a route that never reads a body, and on the web UI's part of the app
    answer = raw_post(served.port, "/api/v1/health", {"Content-Length": str(200 * MiB)})
    assert answer.status == 413 and says_both(str(answer.json()["detail"])), answer


def test_a_chunked_body_is_cut_off_once_its_count_passes_the_limit(served: Served) -> None:
    """No Content-Length: the bytes are counted as they stream; the client may send 200 MB and is stopped
    a little after the limit (what the socket buffers held), with the same 413."""
    piece = b"x" * 65536

    def chunks() -> Iterator[bytes]:
        start = b'{"username": "admin", "password": "'
        yield b"%x\r\n%s\r\n" % (len(start), start)
        for _ in range(200 * MiB // len(piece)):
            yield b"%x\r\n%s\r\n" % (len(piece), piece)

    answer = raw_post(
        served.port, "/api/v1/auth/sign-in", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        chunks(),
    )  # fmt: skip
    assert answer.status == 413 and says_both(str(answer.json()["detail"])), answer
    assert answer.body_bytes_sent < 40 * MiB, f"sent {answer.body_bytes_sent} bytes before the server answered"


def csv_file(size: int) -> bytes:
    header = b"employee_code,full_name,unit_code\n"
    row = b"NV9999,Nguyen Van A,DOI1\n"
    return header + row * ((size - len(header)) // len(row))


def test_only_the_routes_that_take_files_allow_the_upload_limit(api: Api) -> None:
    client = TestClient(create_app(api.services, LIMITS))
    token = api.services.accounts.sign_in("admin", ADMIN_PASSWORD).token
    auth = {"Authorization": f"Bearer {token}"}
    two_mb = csv_file(2 * MiB)
    # 2 MB: over the default limit, within the upload limit
    imported = client.post("/api/v1/employees/import", files={"file": ("ds.csv", two_mb, "text/csv")}, headers=auth)
    assert imported.status_code != 413, imported.text
    too_big_json = client.post(
        "/api/v1/auth/sign-in",
        content=b'{"username": "' + b"a" * (2 * MiB) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert too_big_json.status_code == 413 and says_both(too_big_json.json()["detail"])
    # over the upload limit: refused there too, and nothing was imported
    refused = client.post(
        "/api/v1/employees/import", files={"file": ("ds.csv", csv_file(4 * MiB), "text/csv")}, headers=auth
    )
    assert refused.status_code == 413 and says_both(refused.json()["detail"]), refused.text


def test_the_limits_are_settings() -> None:
    assert BodyLimits.defaults() == BodyLimits(default=10 * MiB, upload=32 * MiB)
    settings = HubSettings(http_max_body_bytes=2 * MiB, http_max_upload_bytes=5 * MiB)
    assert BodyLimits.from_settings(settings.http) == BodyLimits(default=2 * MiB, upload=5 * MiB)


def test_a_422_names_the_field_and_the_rule_and_never_echoes_the_input(client: TestClient) -> None:
    secret = "bí-mật-của-tôi-" * 100  # 1,500 characters: over the 1,000 a password may have
    refused = client.post("/api/v1/auth/sign-in", json={"username": "admin", "password": secret})
    assert refused.status_code == 422
    assert "bí-mật" not in refused.text and '"input"' not in refused.text and '"ctx"' not in refused.text
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "password"] and problem["type"] == "string_too_long"
    assert problem["msg"] == "must have at most 1000 characters"
    assert problem["msg_vi"] == "chỉ được tối đa 1000 ký tự"
    assert says_both(refused.json()["message"]) and "password" in refused.json()["message"]

    # a 10 MB holiday name: within the 10 MB body limit, refused by the name's own limit, not echoed
    name = "Lễ" + "x" * 10_000_000
    body = {"names": {"2030-05-06": name}}
    refused = client.put("/api/v1/calendar/2030", json=body)
    assert refused.status_code == 422 and len(refused.content) < 2000, refused.text[:300]
    assert refused.json()["detail"][0]["loc"] == ["body", "names", "2030-05-06"]
    assert client.get("/api/v1/calendar/2030").json()["version"] is None


def test_the_bad_inputs_the_issue_names_get_a_clear_4xx_and_change_nothing(
    client: TestClient, org: psycopg.Connection
) -> None:
    def refused(response: object, field: str) -> None:
        assert response.status_code == 422, response.text  # type: ignore[attr-defined]
        answer = response.json()  # type: ignore[attr-defined]
        assert any(field in p["loc"] for p in answer["detail"]), answer
        assert says_both(answer["message"]), answer

    before = org.execute("SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM users)").fetchone()
    refused(client.get("/api/v1/audit", params={"q": "\x00"}), "q")
    refused(client.get("/api/v1/employees", params={"q": "a\x00b"}), "q")
    refused(client.get("/api/v1/timesheets/DOI1/0000-01"), "period")
    refused(client.get("/api/v1/units/DOI1/days/0001-01-01"), "day")
    refused(client.get("/api/v1/reports/absences/DOI1", params={"period": "0000-01"}), "period")
    url = "/api/v1/employees/NV001/corrections"
    refused(client.post(url, json={"day": "0001-01-01", "status": "present", "reason": "x"}), "day")
    late = {"day": "2025-11-03", "first_in": "9999-12-31T23:59:59-14:00", "reason": "x"}
    refused(client.post(url, json=late), "first_in")
    refused(client.post(url, json={"day": "2025-11-03", "status": "present", "reason": "a\x00"}), "reason")
    as_json = {"content-type": "application/json"}
    infinite = client.patch("/api/v1/devices/door-x-01/config", content=b'{"threshold": 1e999}', headers=as_json)
    refused(infinite, "threshold")
    user_id = client.get("/api/v1/auth/me").json()["id"]
    refused(client.patch(f"/api/v1/users/{user_id}", json={"display_name": "Quản\x00trị"}), "display_name")
    after = org.execute("SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM users)").fetchone()
    assert after == before
    assert org.execute("SELECT count(*) FROM timekeeping_corrections").fetchone() == (0,)


def test_a_holiday_of_another_year_is_refused_and_that_year_stays_as_it_was(client: TestClient) -> None:
    """A 2030 decision that holds a 2031 holiday would silently change 2031's calendar: refused."""
    response = client.put("/api/v1/calendar/2030", json={"holidays": {"2031-05-05": "Quyết định 1"}})
    assert response.status_code == 422
    message = response.json()["message"]
    assert says_both(message) and "2031-05-05" in message and "2030" in message
    assert client.get("/api/v1/calendar/2031").json()["version"] is None
    assert client.get("/api/v1/calendar/2030").json()["version"] is None
    # a swap day in the neighbouring month (a New Year bridge) is still a decision of the year
    swap = {"days_off": {"2030-12-31": "Hoán đổi"}, "working_days": {"2031-01-04": "Làm bù cho 31/12"}}
    assert client.put("/api/v1/calendar/2030", json=swap).status_code == 200
    far = client.put("/api/v1/calendar/2030", json={"days_off": {"2031-06-02": "Hoán đổi"}})
    assert far.status_code == 422 and says_both(far.json()["message"])
