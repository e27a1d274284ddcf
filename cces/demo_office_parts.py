"""The parts of the demo's office work (cces.demo_office): the leaders' accounts, leave, documents, meetings,
assets and reporting, each through the domains' services on the context's clock; each returns how many records it
added."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from cces.demo_office_context import (
    ISSUERS,
    LEADERS,
    LEADS,
    OFFICES,
    SEALED,
    Ctx,
    head_username,
    local,
    staff_of,
    workday,
    workdays_ahead,
)
from cces.demo_office_data import COMPUTERS, INCOMING, OUTGOING, REGIME, ROOMS, TEMPLATE
from cces.demo_seed import ACTOR, DEMO, STAFF, employees
from hub.accounts.audit import Actor
from hub.accounts.repository import user_by_username
from hub.accounts.service import GrantSpec
from hub.assets.models import AssetInput
from hub.assets.movements.models import MovementInput
from hub.documents.handling.models import HandlerSpec
from hub.leave.models import OverBalance, Status
from hub.meetings.models import BookingInput, ItemInput, MeetingInput, RoomInput
from hub.reporting.periods import Frequency, last_closed


def seed_accounts(ctx: Ctx) -> int:
    made = 0
    with ctx.hub.pool.connection() as conn:
        taken = {u for u in (head_username(c) for c in LEADERS) if user_by_username(conn, u)}
    for unit in LEADERS:
        if head_username(unit) in taken:
            continue
        head = staff_of(unit)[0]
        ctx.hub.accounts.create_user(
            DEMO, username=head_username(unit), password=ctx.password, employee_code=head["employee_code"],
            grants=[GrantSpec("manager", unit)],
        )  # fmt: skip
        made += 1
    return made


def seed_leave(ctx: Ctx) -> int:
    rng = random.Random("cces-demo-leave")
    people = [e for u in STAFF for e in staff_of(u)[1:]]
    rng.shuffle(people)
    t = ctx.today
    # (first, last, type, submitted, decision: approve / reject / None, reason)
    plans = [
        (t - timedelta(days=1), t + timedelta(days=2), "annual", 6, "approve", "Nghỉ phép năm về quê"),
        (t, t + timedelta(days=3), "annual", 5, "approve", "Nghỉ phép năm"),
        (t - timedelta(days=2), t + timedelta(days=1), "business_trip", 7, "approve",
         "Công tác kiểm tra tại Hải quan cửa khẩu cảng Hải Phòng"),
        (t - timedelta(days=1), t + timedelta(days=4), "annual", 8, "approve", "Nghỉ phép năm, việc gia đình"),
        (t, t + timedelta(days=1), "business_trip", 4, "approve", "Tập huấn nghiệp vụ tại Trường Hải quan Việt Nam"),
        (workday(t - timedelta(days=30)), workday(t - timedelta(days=28)), "annual", 35, "approve", "Nghỉ phép năm"),
        (workday(t - timedelta(days=20)), workday(t - timedelta(days=20)), "annual", 23, "approve", "Việc riêng"),
        (workdays_ahead(t, 3), workdays_ahead(t, 4), "annual", 0, None, "Nghỉ phép năm"),
        (workdays_ahead(t, 5), workdays_ahead(t, 7), "annual", 0, None, "Nghỉ phép năm đưa con đi khám bệnh"),
        (workdays_ahead(t, 6), workdays_ahead(t, 6), "annual", 0, None, "Giải quyết việc gia đình"),
        (workdays_ahead(t, 8), workdays_ahead(t, 12), "annual", 0, None, "Nghỉ phép năm về quê"),
        (workdays_ahead(t, 2), workdays_ahead(t, 3), "annual", 3, "reject", "Nghỉ phép năm"),
    ]  # fmt: skip
    made = 0
    for (first, last, kind, back, decision, reason), person in zip(plans, people, strict=False):
        ctx.at(local(t - timedelta(days=back), 8, 30))
        try:
            request = ctx.hub.leave.submit(DEMO, person["employee_code"], kind, first, last, reason=reason)
        except OverBalance:  # not enough leave accrued yet (early in the year): a business trip instead
            request = ctx.hub.leave.submit(DEMO, person["employee_code"], "business_trip", first, last, reason=reason)
        made += 1
        ctx.at(local(t - timedelta(days=back), 14, 0))
        while decision and request.status is Status.PENDING and request.current_step is not None:
            approver = ctx.principal(request.current_step.approver)
            if decision == "reject":
                comment = "Đơn vị đang cao điểm kiểm tra cuối năm, đề nghị bố trí thời gian khác"
                request = ctx.hub.leave.decide(approver, request.id, "reject", comment)
            else:
                request = ctx.hub.leave.decide(approver, request.id, "approve", "Đồng ý")
    return made


def seed_documents(ctx: Ctx) -> int:
    rng = random.Random("cces-demo-documents")
    docs = ctx.hub.documents
    for unit, (notation, place) in ISSUERS.items():
        docs.set_issuer(DEMO, unit, notation, place)
    made = 0
    cycle = ("CHQ", "KV1", "CHQ", "KV2", "CHQ", "KV3")
    for i, (organ, notation, subject) in enumerate(INCOMING):
        unit = cycle[i % len(cycle)]
        day = workday(ctx.today - timedelta(days=27 - i * 27 // (len(INCOMING) - 1)))
        ctx.at(local(day, 8 + i % 8, rng.randint(0, 59)))
        registered = docs.register_incoming(
            DEMO, unit, type_key="cong_van", code_number=str(rng.randint(120, 9800)), code_notation=notation,
            organ_name=organ, issued_date=day - timedelta(days=rng.randint(1, 4)), subject=ctx.dated(subject),
            urgency=1 if i % 7 == 3 else 0,
        )  # fmt: skip
        made += 1
        if i % 6 == 5:
            continue  # registered, not yet assigned
        leads = LEADS[unit]
        finished = i % 4 == 1
        lead = leads[0] if finished else leads[i % len(leads)]
        deadline = workday(day + timedelta(days=rng.randint(10, 24)), 1)
        supporting = [HandlerSpec(deadline, unit_code=leads[(i + 1) % len(leads)])] if i % 3 == 0 else []
        ctx.at(ctx.clock.now + timedelta(hours=1))
        comment = "Giao đơn vị chủ trì nghiên cứu, tham mưu xử lý; báo cáo kết quả đúng hạn"
        assignment = docs.handling.assign(ctx.head(unit), registered.id, HandlerSpec(deadline, unit_code=lead),
                                          supporting, comment)  # fmt: skip
        if finished:  # by the lead unit's head a few days later
            ctx.at(local(min(day + timedelta(days=3), ctx.today), 16, 0))
            docs.handling.finish(ctx.head(lead), assignment.handlers[0].id, note="Đã tham mưu, báo cáo lãnh đạo")
    for j, (unit, drafter, kind, subject, recipients) in enumerate(OUTGOING):
        day = workday(ctx.today - timedelta(days=12 - j * 3))
        ctx.at(local(day, 15, 30))
        docs.register_outgoing(
            DEMO, unit, type_key=kind, subject=ctx.dated(subject), drafter=drafter, recipients=list(recipients)
        )
        made += 1
    return made


def seed_meetings(ctx: Ctx) -> int:
    meetings = ctx.hub.meetings
    for room_id, office, unit, name, capacity, equipment in ROOMS:
        meetings.save_room(DEMO, ACTOR, room_id, RoomInput(OFFICES[office][0], unit, name, capacity, equipment))
    t, now = ctx.today, ctx.now
    running_start = max(now - timedelta(minutes=30), local(t, 0, 5))
    held = workday(t - timedelta(days=6))
    # (room, unit, title, start, end, members' units, agenda, conclusion tasks: (title, owner's unit, deadline, done))
    plans: list[tuple[str, str, str, datetime, datetime, tuple[str, ...], tuple[str, ...], tuple]] = [
        ("hoi-truong-cuc", "CHQ-NVTHQ", "Họp triển khai kế hoạch kiểm tra sau thông quan năm {y1}", running_start,
         running_start + timedelta(minutes=90), ("CHQ-NVTHQ", "CHQ-QLRR", "KV1", "KV2", "KV3"),
         ("Đánh giá kết quả kiểm tra sau thông quan năm {y}", "Dự thảo kế hoạch kiểm tra năm {y1}",
          "Phân công nhiệm vụ các Chi cục"), ()),
        ("phong-hop-tang-3", "CHQ", "Giao ban lãnh đạo Cục", local(t, 7, 30), local(t, 8, 30),
         ("CHQ-VP", "CHQ-TCCB", "CHQ-NVTHQ", "CHQ-QLRR"), ("Tình hình công tác tuần", "Nhiệm vụ trọng tâm"), ()),
        ("phong-hop-kv2", "KV2", "Họp rà soát tiến độ thu ngân sách tháng {m}", local(t, 20, 0), local(t, 21, 30),
         ("KV2-TSN", "KV2-CL", "KV2-KS"), ("Số thu đến nay", "Giải pháp hoàn thành dự toán"), ()),
        ("phong-hop-kv1", "KV1", "Hội nghị sơ kết công tác chống buôn lậu", local(workdays_ahead(t, 1), 9),
         local(workdays_ahead(t, 1), 10, 30), ("KV1-NB", "KV1-BD", "KV1-KS"), (), ()),
        ("phong-hop-tang-3", "CHQ", "Họp Hội đồng thi đua, khen thưởng Cục Hải quan", local(workdays_ahead(t, 2), 14),
         local(workdays_ahead(t, 2), 16), ("CHQ-VP", "CHQ-TCCB", "KV1", "KV2", "KV3"), (), ()),
        ("phong-hop-kv3", "KV3", "Tập huấn nghiệp vụ quản lý rủi ro", local(workdays_ahead(t, 3), 8, 30),
         local(workdays_ahead(t, 3), 11), ("KV3-HP", "KV3-DV", "KV3-KS"), (), ()),
        ("phong-hop-tang-3", "CHQ", "Giao ban công tác tháng {pm} của Cục Hải quan", local(held, 9), local(held, 11),
         ("CHQ-QLRR", "KV1", "KV2", "KV3"), ("Kết quả công tác tháng {pm}", "Nhiệm vụ tháng {m}"),
         (("Rà soát danh mục hàng hóa rủi ro cao về trị giá", "CHQ-QLRR", t - timedelta(days=2), False),
          ("Báo cáo kết quả kiểm tra sau thông quan quý IV", "KV1", t + timedelta(days=7), False),
          ("Bố trí nhân lực tại các cửa khẩu dịp Tết Nguyên đán", "KV2", t + timedelta(days=10), False),
          ("Tổng hợp kiến nghị của doanh nghiệp về thủ tục hàng quá cảnh", "KV3", t + timedelta(days=3), True))),
    ]  # fmt: skip
    for n, (room, unit, title, start, end, members, agenda, tasks) in enumerate(plans):
        _meeting(ctx, n, room, unit, title, start, end, members, agenda, tasks)
    ctx.at(now)
    return len(plans)


def _meeting(
    ctx: Ctx, n: int, room: str, unit: str, title: str, start: datetime, end: datetime, members: tuple[str, ...],
    agenda: tuple[str, ...], tasks: tuple,
) -> None:  # fmt: skip
    """Book, create and (when its time has come) hold one meeting, as it would have happened."""
    meetings = ctx.hub.meetings
    title, agenda = ctx.dated(title), tuple(ctx.dated(a) for a in agenda)
    ctx.at(start - timedelta(hours=2))
    booking = meetings.book(DEMO, ACTOR, BookingInput(room, title, start, end))[0]
    chair = ctx.head(unit)
    secretary = staff_of(unit)[1]["employee_code"]
    codes = tuple(staff_of(u)[0]["employee_code"] for u in members if u != unit)
    made = meetings.create_meeting(
        DEMO, ACTOR, MeetingInput(title, unit, chair.employee_code or "", secretary, codes, booking_id=booking.id)
    )
    if agenda:
        meetings.set_agenda(chair, ACTOR, made.id, [ItemInput(a, None, 30) for a in agenda])
    if start > ctx.now:
        return
    ctx.at(start + timedelta(minutes=2))
    items = meetings.meeting(chair, made.id).items
    if items:
        meetings.set_current_item(chair, ACTOR, made.id, items[min(1, len(items) - 1)].id)
    else:
        meetings.set_status(chair, ACTOR, made.id, "in_progress")
    people = meetings.attendance(chair, made.id)
    for k, p in enumerate(people):
        if (k + n) % 4 != 3:  # most check in; one in four has not (yet)
            meetings.mark_attendance(DEMO, ACTOR, made.id, p.id)
    for task_title, owner, deadline, done in tasks:
        ctx.at(start + timedelta(minutes=60))
        task = meetings.assign_task(chair, ACTOR, made.id, task_title, staff_of(owner)[0]["employee_code"], deadline)
        if done:
            ctx.at(local(ctx.today - timedelta(days=1), 10))
            meetings.finish_task(ctx.head(owner), Actor.of(ctx.head(owner)), task["id"], "Đã tổng hợp, báo cáo")
            ctx.at(start + timedelta(minutes=60))
    if end <= ctx.now:
        ctx.at(end)
        meetings.set_status(chair, ACTOR, made.id, "closed")


def seed_assets(ctx: Ctx) -> int:
    rng = random.Random("cces-demo-assets")
    assets = ctx.hub.assets
    for unit in SEALED:
        office = f"{unit}-TS"
        assets.create_location(DEMO, ACTOR, "office", office, f"Trụ sở {unit}", None, unit)
        assets.create_location(DEMO, ACTOR, "building", f"{unit}-NHA-A", "Nhà A", office)
        for floor in (1, 2):
            assets.create_location(DEMO, ACTOR, "floor", f"{unit}-T{floor}", f"Tầng {floor}", f"{unit}-NHA-A")
            for room in (1, 2, 3):
                code = f"{unit}-P{floor}0{room}"
                assets.create_location(DEMO, ACTOR, "room", code, f"Phòng {floor}0{room}", f"{unit}-T{floor}")
    staff = employees()
    top = {e["unit_code"]: e["unit_code"].split("-")[0] for e in staff}
    # a desktop for everyone, a laptop for 40 of them, 50 shared machines (look-up, scanning) across the units
    rows = [(e, COMPUTERS[rng.randint(0, 1)]) for e in staff]
    rows += [(e, COMPUTERS[rng.randint(2, 3)]) for e in rng.sample(staff, 40)]
    units = list(STAFF)
    rows += [({"unit_code": units[k % len(units)], "employee_code": None}, COMPUTERS[rng.randint(4, 5)])
             for k in range(50)]  # fmt: skip
    made = 0
    for k, (owner, (name, cost)) in enumerate(rows, start=1):
        unit = owner["unit_code"]
        acquired = ctx.today - timedelta(days=rng.randint(60, 5 * 365))
        room = f"{top[unit]}-P{rng.randint(1, 2)}0{rng.randint(1, 3)}"
        assets.create(DEMO, ACTOR, AssetInput(
            asset_number=f"MT-{k:04d}", name=name, category_code="may-vi-tinh", unit_code=unit,
            custodian_code=owner["employee_code"], location_code=room,
            cost=cost + rng.randint(-8, 8) * 100_000, funding_source="state_budget", acquired_on=acquired,
            serial_number=f"SN{rng.randint(10**7, 10**8 - 1)}",
        ))  # fmt: skip
        made += 1
    moves = ctx.hub.asset_movements
    for number, kind, party, days in (("MT-0003", "repair", "Công ty TNHH Tin học Phương Nam", 7),
                                      ("MT-0071", "repair", "Trung tâm bảo hành Dell Việt Nam", 10),
                                      ("MT-0075", "loan", "Trường Hải quan Việt Nam", 14)):  # fmt: skip
        ctx.at(ctx.now - timedelta(days=2))
        unit = assets.get(DEMO, number).unit_code.split("-")[0]  # the Cục's or Chi cục's leader approves
        asked = moves.request(DEMO, ACTOR, number, MovementInput(kind, "Máy hỏng ổ cứng, cần thay thế" if kind ==
                              "repair" else "Cho mượn phục vụ lớp tập huấn", party=party,
                              due_on=ctx.today + timedelta(days=days)))  # fmt: skip
        moves.approve(ctx.head(unit), Actor.of(ctx.head(unit)), asked.id, "Đồng ý")
    ctx.at(ctx.now - timedelta(days=1))
    moves.request(DEMO, ACTOR, "MT-0012", MovementInput("transfer", "Điều chuyển phục vụ đội kiểm soát",
                                                         unit_code="KV1-KS"))  # fmt: skip
    ctx.at(local(ctx.today - timedelta(days=9), 9))
    moves.request(DEMO, ACTOR, "MT-0140", MovementInput(
        "checkout", "Mang máy đi kiểm tra sau thông quan tại doanh nghiệp", employee_code=staff[21]["employee_code"],
        due_on=ctx.today - timedelta(days=4),
    ))  # fmt: skip
    ctx.at(ctx.now)
    return made


def seed_reporting(ctx: Ctx) -> int:
    reporting = ctx.hub.reporting
    reporting.define(
        DEMO, REGIME, valid_from=date(ctx.today.year - 1, 1, 1), name_vi="Báo cáo tình hình hoạt động tháng",
        name_en="Monthly activity report", basis="Nghị định 09/2019/NĐ-CP; chế độ báo cáo của Cục Hải quan",
        content="Tình hình thực hiện nhiệm vụ trong tháng của Chi cục", frequency_name="monthly",
        deadline_days=5, owner_unit="CHQ", template=TEMPLATE, reporters=[(u, "CHQ") for u in ("KV1", "KV2", "KV3")],
    )  # fmt: skip
    current = last_closed(Frequency.MONTHLY, ctx.today)
    opened = 0
    # the period before: two submitted (one accepted), one never sent (late); this one: one submitted, two drafting
    for period, submit in ((current.previous(), ("KV1", "KV2")), (current, ("KV1",))):
        opened += reporting.open_period(DEMO, REGIME, period.key)
        for report in reporting.reports(DEMO, REGIME, period.key):
            head = ctx.head(report.unit_code)
            if report.unit_code in submit or report.unit_code == "KV2":
                text = f"{report.unit_name}: hoàn thành nhiệm vụ được giao; đề nghị bổ sung nhân lực tại cửa khẩu."
                reporting.save(head, report.id, {"seizures": 3 + len(report.unit_code), "summary": text})
            if report.unit_code in submit:
                reporting.submit(head, report.id)
                if report.unit_code == "KV1" and period != current:
                    reporting.decide(ctx.head("CHQ"), report.id, True, "Tiếp nhận")
    return opened
