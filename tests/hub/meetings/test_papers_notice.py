"""Papers sent before a meeting (issue 17 item 2) on the real PostgreSQL: the job's work sends each participant with
an account, [meetings] papers_days_before working days before the meeting (weekends skipped), one notification
listing the papers they may read — a restricted paper only to its readers and the chair — once; a paper added later
goes out in a later run, to those who may read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg

from hub.db import open_pool
from hub.files import ContentStore
from hub.meetings.models import ItemInput, MeetingInput
from hub.meetings.papers_notice import send_day
from hub.meetings.service import MeetingsService
from hub.services import HubServices
from hub.timekeeping.service import load_calendar
from tests.hub.meetings.tablet_world import ACTOR, PDF, SETUP, person

#: Wednesday 17 March 2027, 09:00 in Hà Nội (no holiday near it)
START = datetime(2027, 3, 17, 2, 0, tzinfo=UTC)


def test_papers_go_out_three_working_days_before_once_each(
    database_url: str, org: psycopg.Connection, tmp_path: Path
) -> None:
    pool = open_pool(database_url, max_size=2, name="cces-papers-test")
    try:
        tool = HubServices(pool, None)
        for username, code in (("chu-tri", "NV002"), ("dai-bieu", "NV003")):
            tool.accounts.create_user(SETUP, username=username, password="mật-khẩu-tài-liệu-họp-2026",
                                      employee_code=code)  # fmt: skip
        clock = [datetime(2027, 3, 1, 3, 0, tzinfo=UTC)]
        svc = MeetingsService(pool, lambda: clock[0], store=ContentStore(tmp_path / "files"))
        assert svc.papers_days_before == 3
        meeting = svc.create_meeting(SETUP, ACTOR, MeetingInput(
            "Họp triển khai kế hoạch quý II", "CCHQNB", "NV002", "NV001", ("NV003",), starts_at=START,
            ends_at=START + timedelta(hours=2), video_url="https://hop.example.vn/quy-2"))  # fmt: skip
        chair = person(org, "NV002")
        [item] = svc.set_agenda(chair, ACTOR, meeting.id, [ItemInput("Kế hoạch quý II", duration_minutes=30)])
        svc.add_paper(chair, ACTOR, meeting.id, title="Dự thảo kế hoạch quý II", filename="ke-hoach.pdf", data=PDF,
                      item_id=item.id)  # fmt: skip
        svc.add_paper(chair, ACTOR, meeting.id, title="Danh sách doanh nghiệp rủi ro cao", filename="mat.pdf",
                      data=PDF, item_id=item.id, restricted=True)  # fmt: skip

        def sent() -> list[tuple[str, str, str]]:
            return org.execute(
                "SELECT u.username, n.link, n.body_vi FROM notifications n JOIN users u ON u.id = n.user_id"
                " WHERE n.category = 'meetings.papers' ORDER BY n.id"
            ).fetchall()

        assert send_day(load_calendar(org), date(2027, 3, 17), 3) == date(2027, 3, 12)  # over the weekend
        clock[0] = datetime(2027, 3, 11, 10, 0, tzinfo=UTC)  # Thursday 17:00: four working days before
        assert svc.send_papers() == 0 and sent() == []
        clock[0] = datetime(2027, 3, 12, 1, 0, tzinfo=UTC)  # Friday 08:00: three working days before
        assert svc.send_papers() == 2
        link = f"/meetings/tablet?id={meeting.id}"
        first = sent()
        assert [(u, lnk) for u, lnk, _ in first] == [("chu-tri", link), ("dai-bieu", link)]  # NV001: no account
        bodies = {u: body for u, _, body in first}
        assert "Dự thảo kế hoạch quý II" in bodies["chu-tri"]
        assert "Danh sách doanh nghiệp rủi ro cao" in bodies["chu-tri"]  # the chair reads the restricted paper
        assert "Dự thảo kế hoạch quý II" in bodies["dai-bieu"]
        assert "Danh sách doanh nghiệp rủi ro cao" not in bodies["dai-bieu"]  # restricted, not among its readers

        clock[0] += timedelta(hours=1)
        assert svc.send_papers() == 0 and len(sent()) == 2  # the job again: nothing more

        svc.add_paper(chair, ACTOR, meeting.id, title="Báo cáo bổ sung", filename="bo-sung.pdf", data=PDF,
                      restricted=True, reader_codes=("NV003",))  # fmt: skip
        clock[0] += timedelta(hours=1)
        assert svc.send_papers() == 2
        later = sent()[2:]
        assert sorted(u for u, _, _ in later) == ["chu-tri", "dai-bieu"]
        for _, _, body in later:
            assert "Báo cáo bổ sung" in body and "Dự thảo kế hoạch quý II" not in body  # only the new one
        assert svc.send_papers() == 0 and len(sent()) == 4
    finally:
        pool.close()
