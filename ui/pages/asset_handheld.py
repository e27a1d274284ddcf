"""The handheld page (/asset-handheld, issue 16 item 8): a phone-sized page for asset officers in a room.

- **Look up an asset** by pointing the phone's camera at its label (the QR code holds the EPC URI,
  hub.assets.labels), or with a handheld UHF reader paired as a keyboard (a "keyboard wedge": it types each
  tag's EPC hex and presses Enter), or by typing the asset number: the asset's card is shown.
- **Count a room**: pick an open inventory session (and the room), and every code read is added to it
  (hub.assets.inventory.service.add_reads, the same as `POST …/reads`); the session's counts follow.

The codes are gathered in the browser: the field is cleared at each Enter before the next tag is typed (a
reader types a tag every few tens of milliseconds, faster than a round trip), and the codes of a burst go to
the hub together. The camera is read with the browser's `BarcodeDetector` where it has one, else with jsQR
(ui/static/vendor/jsqr, served by the hub itself). Browsers allow the camera only on https:// or localhost.

Who may: hub.assets.access.VIEW opens it and looks up (over the asset's unit); adding reads is
assets.inventory over the session's unit, checked by the service. Vietnamese first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nicegui import app, ui

from hub.assets import access
from hub.assets.checks import today as hanoi_today
from hub.assets.inventory.models import STATE_LABELS, Scanned
from hub.assets.models import STATUS_LABELS
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.facts import facts
from ui.i18n import N_
from ui.shell import PageContext, module_page

EXPECTED = N_("Theo sổ")
WEDGE_LABEL = N_("Mã thẻ / mã tài sản (Enter sau mỗi mã)")
READS = N_("Thẻ đã đọc")
NOT_YOURS = N_("Tài sản của đơn vị khác")
SENT = N_("Đã ghi vào phiên")

PATH = "/asset-handheld"
STATIC_URL = "/cces-static"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
EVENT = "cces_handheld_codes"
WEDGE_ID = "cces-wedge"
VIDEO_ID = "cces-qr-video"
REFRESH_S = 3.0
RECENT = 30  # reads listed under the field
MAX_BATCH = 200  # codes the browser sends at once (the service takes up to 2,000)


_static_mounted = False


def mount_static() -> None:
    """The hub's own copies of third-party browser files (jsQR), served once per process."""
    global _static_mounted
    if not _static_mounted:
        app.add_static_files(STATIC_URL, STATIC_DIR)
        _static_mounted = True


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _pair(labels: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    pair = labels.get(code)
    return code if pair is None else pair[0 if lang == "vi" else 1]


# The browser side: the wedge field's Enter, the batching, the camera loop. Delegated on the document so that
# a re-render of the field keeps it working; ids and texts are filled in below.
SCRIPT = """
<script>
(() => {
  if (window.ccesHandheld) return;
  const EVENT = %(event)s, WEDGE = %(wedge)s, VIDEO = %(video)s, MAX = %(max)d;
  const queue = [];
  let timer = null, stream = null, running = false, last = {text: "", at: 0};
  function flush() {
    timer = null;
    while (queue.length) emitEvent(EVENT, {codes: queue.splice(0, MAX)});
  }
  function push(code, source) {
    code = (code || "").trim();
    if (!code) return;
    queue.push(code);
    if (!timer) timer = setTimeout(flush, 250);  // a burst of tags goes as one batch
  }
  document.addEventListener("keydown", (e) => {
    if (e.target && e.target.id === WEDGE && (e.key === "Enter" || e.key === "Tab")) {
      e.preventDefault();
      const value = e.target.value;
      e.target.value = "";  // cleared before the reader types the next tag
      for (const line of value.split(/[\\r\\n]+/)) push(line, "wedge");
    }
  }, true);
  async function detector() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const d = new BarcodeDetector({formats: ["qr_code"]});
          return async (video) => { const r = await d.detect(video); return r.length ? r[0].rawValue : null; };
        }
      } catch (e) { /* fall back to jsQR */ }
    }
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", {willReadFrequently: true});
    return async (video) => {
      if (!window.jsQR || !video.videoWidth) return null;
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(img.data, img.width, img.height, {inversionAttempts: "dontInvert"});
      return found ? found.data : null;
    };
  }
  async function start() {
    const video = document.getElementById(VIDEO);
    if (!video) return "no video element";
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
    } catch (e) { return String(e && e.message ? e.message : e); }
    video.srcObject = stream;
    video.style.display = "block";
    await video.play();
    const read = await detector();
    running = true;
    const tick = async () => {
      if (!running) return;
      try {
        const text = await read(video);
        const now = Date.now();
        if (text && (text !== last.text || now - last.at > 3000)) {  // one label in view: once
          last = {text, at: now};
          push(text, "camera");
          if (navigator.vibrate) navigator.vibrate(60);
        }
      } catch (e) { /* a frame that could not be read */ }
      setTimeout(tick, 200);
    };
    tick();
    return "ok";
  }
  function stop() {
    running = false;
    if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
    const video = document.getElementById(VIDEO);
    if (video) { video.srcObject = null; video.style.display = "none"; }
    const field = document.getElementById(WEDGE);
    if (field) field.focus();
  }
  window.ccesHandheld = {start, stop, push};
})();
</script>
"""


def register(services: HubServices) -> None:
    mount_static()

    @module_page(PATH, text_key=N_("Quét tài sản"), icon="qr_code_scanner", action=access.VIEW, order=61)
    def handheld_page(ctx: PageContext, session: int | None = None) -> None:
        handheld(ctx, session)


def handheld(ctx: PageContext, preselected: int | None) -> None:
    t, inv = ctx.t, ctx.services.asset_inventory
    ui.add_head_html(f'<script src="{STATIC_URL}/vendor/jsqr/jsQR.min.js" defer></script>')
    ui.add_body_html(
        SCRIPT
        % {
            "event": json.dumps(EVENT),
            "wedge": json.dumps(WEDGE_ID),
            "video": json.dumps(VIDEO_ID),
            "max": MAX_BATCH,
        }  # fmt: skip
    )
    ui.label(t(N_("Quét tài sản"))).classes("text-xl font-bold")
    ui.label(
        t(
            N_(
                "Quét mã QR trên nhãn bằng máy ảnh, hoặc dùng đầu đọc UHF cầm tay (kiểu "
                "bàn phím): mỗi thẻ một dòng. Chọn phiên kiểm kê để ghi các thẻ đọc "
                "được vào phiên."
            )
        )
    ).classes("text-sm text-grey-8")
    try:
        sessions = inv.listing(ctx.principal, "open")
    except DomainError as exc:
        ui.label(str(exc)).classes("text-negative").mark("hh-problem")
        return
    choices: dict[int, str] = {0: t(N_("Chỉ tra cứu (không ghi vào phiên)"))}
    choices.update({s.id: f"{s.title} — {s.location_name or ''}".strip(" —") for s in sessions})
    state: dict[str, Any] = {"session": preselected if preselected in choices else 0, "room": None, "shown": None}

    with ui.column().classes("w-full gap-2 max-w-xl"):
        session_box = ui.select(choices, value=state["session"], label=t(N_("Phiên kiểm kê"))).classes("w-full")
        session_box.props("dense outlined").mark("hh-session")
        if not sessions:
            ui.label(t(N_("Không có phiên kiểm kê nào đang mở."))).classes("text-sm text-grey-7").mark("hh-none-open")
        room_box = (
            ui.select({}, label=t(N_("Phòng đang kiểm kê"))).classes("w-full").props("dense outlined").mark("hh-room")
        )
        counts = ui.row().classes("gap-x-4 gap-y-1 flex-wrap text-base").mark("hh-counts")
        session_link = ui.link("", "").classes("text-sm").mark("hh-session-link")
        ui.html(
            f'<label class="text-sm text-grey-8" for="{WEDGE_ID}">{t(WEDGE_LABEL)}</label>'
            f'<input id="{WEDGE_ID}" type="text" autocomplete="off" autocapitalize="off" autocorrect="off"'
            ' spellcheck="false" enterkeyhint="send" maxlength="200" autofocus'
            ' style="width:100%;font-size:18px;padding:10px;border:2px solid #1976d2;border-radius:6px">',
            sanitize=False,
        ).classes("w-full").mark("hh-wedge")
        error = ui.label().classes("text-negative text-sm").mark("hh-camera-error")
        with ui.row().classes("gap-2"):
            ui.button(t(N_("Quét mã QR")), icon="qr_code_scanner", on_click=lambda: camera(True)).props(
                "unelevated"
            ).mark("hh-camera-start")
            ui.button(t(N_("Tắt máy ảnh")), icon="videocam_off", on_click=lambda: camera(False)).props("flat").mark(
                "hh-camera-stop"
            )
        ui.html(
            f'<video id="{VIDEO_ID}" autoplay playsinline muted'
            ' style="display:none;width:100%;max-width:480px;background:#222;border-radius:6px"></video>',
            sanitize=False,
        ).classes("w-full")
        card = ui.column().classes("w-full").mark("hh-card")
        ui.label(t(N_("Thẻ đã đọc"))).classes("text-base font-bold mt-2")
        recent = ui.column().classes("w-full gap-0 text-sm").mark("hh-recent")

    async def camera(on: bool) -> None:
        error.text = ""
        if not on:
            ui.run_javascript("window.ccesHandheld && window.ccesHandheld.stop()")
            return
        outcome = await ui.run_javascript("return await window.ccesHandheld.start()", timeout=30)
        if outcome != "ok":
            error.text = t(
                N_("Không mở được máy ảnh (cần trang https:// hoặc localhost và quyền dùng máy ảnh): ")
            ) + str(outcome)

    def pick_session(_: Any = None) -> None:
        state["session"] = int(session_box.value or 0)
        state["room"] = None
        rooms: dict[str, str] = {}
        if state["session"]:
            try:
                rooms = {r.code: r.path_name for r in inv.rooms(ctx.principal, state["session"])}
            except DomainError as exc:
                ui.notify(str(exc), type="negative", multi_line=True)
        room_box.set_options(rooms, value=next(iter(rooms)) if len(rooms) == 1 else None)
        room_box.set_visibility(bool(state["session"]))
        state["room"] = room_box.value
        state["shown"] = None
        show_counts()

    def pick_room(_: Any = None) -> None:
        state["room"] = room_box.value

    def show_counts() -> None:
        if not state["session"]:
            counts.clear()
            session_link.set_visibility(False)
            return
        try:
            result = inv.live(ctx.principal, state["session"])
        except DomainError as exc:
            counts.clear()
            with counts:
                ui.label(str(exc)).classes("text-negative")
            return
        key = (state["session"], tuple(result.totals.items()), result.reads)
        if key == state["shown"]:
            return
        state["shown"] = key
        counts.clear()
        with counts:
            ui.label(f"{t(EXPECTED)}: {result.totals['expected']}").mark("hh-count-expected")
            for k in ("found", "missing", "moved", "unknown"):
                ui.label(f"{_pair(STATE_LABELS, k, ctx.lang)}: {result.totals[k]}").classes("font-bold").mark(
                    f"hh-count-{k}"
                )
            ui.label(f"{t(READS)}: {result.reads}").mark("hh-count-reads")
        session_link.text = t(N_("Mở phiên kiểm kê"))
        session_link.props(f'href="/asset-inventory?session={state["session"]}"')
        session_link.set_visibility(True)

    def show_card(found: Scanned) -> None:
        card.clear()
        with card, ui.card().classes("w-full"):
            if found.hidden:
                ui.label(f"{found.code}: {t(NOT_YOURS)}").classes("text-negative").mark("hh-card-refused")
                return
            if found.asset is None:
                ui.label(found.code).classes("font-mono break-all")
                ui.label(t(N_("Thẻ lạ — không có tài sản nào mang mã này"))).classes("text-warning font-bold").mark(
                    "hh-card-unknown"
                )
                return
            a = found.asset
            ui.label(f"{a.asset_number} — {a.name}").classes("text-lg font-bold").mark("hh-card-title")
            remaining = ctx.services.assets.remaining_value(a, hanoi_today(ctx.services.now()))
            facts(
                [
                    (t(N_("Loại tài sản")), a.category_name),
                    (t(N_("Đơn vị quản lý")), a.unit_name),
                    (t(N_("Người sử dụng")), a.custodian_name or "—"),
                    (t(N_("Vị trí")), a.location_name or "—"),
                    (t(N_("Trạng thái")), _pair(STATUS_LABELS, a.status, ctx.lang)),
                    (t(N_("Nguyên giá (đồng)")), _money(a.cost)),
                    (t(N_("Giá trị còn lại")), _money(remaining)),
                    (t(N_("Mã EPC của thẻ")), a.epc_hex or "—"),
                ],
                marker="hh-card-facts",
            )
            ui.link(t(N_("Mở hồ sơ tài sản")), f"/assets?asset={a.asset_number}").mark("hh-card-link")

    def on_codes(e: Any) -> None:
        args = e.args[0] if isinstance(e.args, list) and e.args else e.args
        codes = [str(c).strip()[:200] for c in (args or {}).get("codes", []) if str(c).strip()][:MAX_BATCH]
        if not codes:
            return
        if state["session"]:
            try:
                inv.add_reads(ctx.principal, ctx.actor(), state["session"], state["room"], codes)
            except DomainError as exc:
                ui.notify(str(exc), type="negative", multi_line=True)
                return
        try:
            scanned = inv.scan(ctx.principal, codes)
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        lines = []
        for found in scanned:
            if found.hidden:
                name = t(N_("Tài sản của đơn vị khác"))
            elif found.asset is not None:
                name = f"{found.asset.asset_number} — {found.asset.name}"
            else:
                name = t(N_("Thẻ lạ — không có tài sản nào mang mã này"))
            lines.append((found.code, name))
        with recent:
            for code, name in lines:
                row = ui.row().classes("w-full gap-2 border-b py-1")
                row.move(recent, target_index=0)
                with row:
                    ui.label(name).classes("font-bold")
                    ui.label(code).classes("font-mono text-grey-7 break-all")
        for extra in list(recent.default_slot.children)[RECENT:]:
            recent.remove(extra)
        show_card(scanned[-1])
        if state["session"]:
            ui.notify(f"{t(SENT)}: {len(codes)}", type="positive", position="top")
            state["shown"] = None
            show_counts()

    session_box.on_value_change(pick_session)
    room_box.on_value_change(pick_room)
    ui.on(EVENT, on_codes)
    pick_session()
    ui.timer(REFRESH_S, show_counts)  # fixed readers and other handhelds add reads too
