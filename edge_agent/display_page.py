# ruff: noqa: E501 (the page's JavaScript is kept readable on long lines)
"""The room display's full-screen page, served by the `display` capability on the device.

One self-contained HTML file (no framework, no network beyond the device itself): it reads
`/state.json` every second and draws the room. Vietnamese first; `?lang=en` or the button switches
to English. Times are shown in Asia/Ho_Chi_Minh. When the agent says the state cannot be trusted
(`notice`: offline, stale) the last state stays on screen under a notice; when the page cannot
reach the agent at all it keeps what it drew and says so.
"""

from __future__ import annotations

import json

TEXTS: dict[str, dict[str, str]] = {
    "room": {"vi": "Phòng họp", "en": "Meeting room"},
    "free": {"vi": "Phòng trống", "en": "Available"},
    "busy": {"vi": "Đang họp", "en": "In a meeting"},
    "starting_soon": {"vi": "Sắp họp", "en": "Starting soon"},
    "no_meeting": {"vi": "Hiện không có cuộc họp", "en": "No meeting now"},
    "next": {"vi": "Cuộc họp tiếp theo", "en": "Next meeting"},
    "next_none": {"vi": "Chưa có lịch họp tiếp theo", "en": "No further meeting scheduled"},
    "chair": {"vi": "Chủ trì", "en": "Chair"},
    "agenda": {"vi": "Nội dung đang thảo luận", "en": "Now discussing"},
    "presenter": {"vi": "Trình bày", "en": "Presented by"},
    "speaker": {"vi": "Đang phát biểu", "en": "Speaking"},
    "remaining": {"vi": "Còn lại", "en": "Remaining"},
    "overtime": {"vi": "Quá giờ", "en": "Over time"},
    "vote": {"vi": "Kết quả biểu quyết", "en": "Vote results"},
    "secret": {"vi": "bỏ phiếu kín", "en": "secret ballot"},
    "cast": {"vi": "Số phiếu", "en": "Votes cast"},
    "passed": {"vi": "Thông qua", "en": "Passed"},
    "rejected": {"vi": "Không thông qua", "en": "Not passed"},
    "no_quorum": {"vi": "Không đủ số lượng tối thiểu", "en": "No quorum"},
    "checkin": {"vi": "Quét mã để điểm danh", "en": "Scan to check in"},
    "offline": {
        "vi": "Mất kết nối máy chủ — đang hiển thị thông tin cập nhật lúc {t}",
        "en": "Hub unreachable — showing the information of {t}",
    },
    "stale": {
        "vi": "Chưa nhận được cập nhật từ máy chủ — thông tin lúc {t} có thể đã cũ",
        "en": "No update from the hub — the information of {t} may be out of date",
    },
    "waiting": {"vi": "Đang chờ thông tin phòng họp từ máy chủ…", "en": "Waiting for the room's information…"},
    "no_agent": {
        "vi": "Không kết nối được thiết bị hiển thị — đang giữ thông tin cuối cùng",
        "en": "Cannot reach the display agent — keeping the last information",
    },
    "switch": {"vi": "English", "en": "Tiếng Việt"},
}

_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CCES — phòng họp</title>
<style>
 html,body{margin:0;height:100%;background:#0f172a;color:#fff;font-family:"DejaVu Sans",Roboto,Arial,sans-serif;
   overflow:hidden;cursor:none}
 #page{display:flex;flex-direction:column;height:100vh;box-sizing:border-box;padding:2vh 3vw;gap:2vh}
 #top{display:flex;justify-content:space-between;align-items:center}
 #room-name{font-size:5vh;font-weight:bold} #clock{font-size:5vh;font-family:monospace}
 #switch{background:none;border:1px solid #64748b;color:#cbd5e1;font-size:2vh;padding:.5vh 1vw;cursor:pointer}
 #alert{font-size:4vh;font-weight:bold;color:#fff;background:#dc2626;padding:1.5vh 1.5vw;border-radius:1vh}
 #alert .sub{color:#fee2e2}
 #notice{font-size:2.8vh;color:#0f172a;background:#fbbf24;padding:1vh 1.5vw;border-radius:1vh}
 #colour{font-size:7vh;font-weight:bold;padding:2vh 2vw;border-radius:1.5vh;text-align:center}
 .free{background:#15803d} .busy{background:#b91c1c} .starting_soon{background:#b45309} .none{background:#334155}
 #main{display:flex;gap:3vw;flex:1;min-height:0}
 #left{flex:1;display:flex;flex-direction:column;gap:2vh;min-width:0}
 #now-title{font-size:5vh;font-weight:bold} .sub{font-size:3vh;color:#cbd5e1}
 .box{background:#1e293b;border-radius:1.5vh;padding:1.5vh 1.5vw} .label{font-size:2.4vh;color:#94a3b8}
 .big{font-size:3.6vh} #speaker-timer{font-family:monospace} .over{color:#f87171}
 #vote-options{display:flex;gap:2vw;font-size:3.4vh;flex-wrap:wrap} #vote-result{font-size:3.6vh;font-weight:bold}
 #right{width:28vw;display:flex;flex-direction:column;gap:2vh;align-items:center}
 #qr{background:#fff;padding:1vh;border-radius:1vh;width:24vw;height:24vw} #qr img{width:100%;height:100%}
 .hidden{display:none !important}
</style></head>
<body><div id="page">
 <div id="top"><div><div class="label" id="room-label"></div><div id="room-name"></div></div>
  <div><span id="clock"></span> <button id="switch" onclick="toggleLang()"></button></div></div>
 <div id="alert" class="hidden"><div id="alert-title"></div><div class="sub" id="alert-text"></div></div>
 <div id="notice" class="hidden"></div>
 <div id="colour" class="none"></div>
 <div id="main"><div id="left">
   <div id="now" class="hidden"><div id="now-title"></div><div class="sub" id="now-time"></div>
     <div class="sub" id="now-chair"></div></div>
   <div id="agenda" class="box hidden"><div class="label" id="agenda-label"></div><div class="big" id="agenda-title">
     </div><div class="sub" id="agenda-presenter"></div></div>
   <div id="speaker" class="box hidden"><div class="label" id="speaker-label"></div>
     <div class="big"><span id="speaker-name"></span> <span id="speaker-timer"></span></div></div>
   <div id="vote" class="box hidden"><div class="label" id="vote-label"></div><div class="big" id="vote-title"></div>
     <div id="vote-options"></div><div id="vote-result"></div></div>
   <div id="next" class="box"><div class="label" id="next-label"></div><div class="big" id="next-text"></div></div>
  </div>
  <div id="right"><div id="qr" class="hidden"><img id="qr-img" alt="QR"></div>
   <div class="sub" id="qr-label"></div></div></div>
</div>
<script>
const TEXTS = __TEXTS__;
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "vi";
let last = null, agentDown = false, qrPayload = null;
const TZ = "Asia/Ho_Chi_Minh";
const $ = id => document.getElementById(id);
function t(key, vars) { let s = (TEXTS[key] || {})[lang] || key; for (const k in vars || {}) s = s.replace("{" + k + "}", vars[k]); return s; }
function fmt(iso, opts) { return iso ? new Intl.DateTimeFormat("vi-VN", Object.assign({timeZone: TZ, hour12: false}, opts)).format(new Date(iso)) : ""; }
function hm(iso) { return fmt(iso, {hour: "2-digit", minute: "2-digit"}); }
function day(iso) { return fmt(iso, {day: "2-digit", month: "2-digit"}); }
function when(m) { return hm(m.start) + "–" + hm(m.end) + (day(m.start) !== day(new Date().toISOString()) ? "  " + day(m.start) : ""); }
function show(id, on) { $(id).classList.toggle("hidden", !on); }
function text(id, value) { $(id).textContent = value || ""; }
function toggleLang() { lang = lang === "vi" ? "en" : "vi"; document.documentElement.lang = lang; draw(); }
function draw() {
  text("switch", t("switch")); text("room-label", t("room"));
  text("clock", fmt(new Date().toISOString(), {hour: "2-digit", minute: "2-digit", second: "2-digit"}));
  const view = last, s = view && view.state;
  text("room-name", s ? s.room_name : (view && view.room_id) || "");
  let notice = null;
  if (agentDown) notice = t("no_agent");
  else if (view && view.notice === "waiting") notice = t("waiting");
  else if (view && view.notice) notice = t(view.notice, {t: s ? hm(s.updated_at) + " " + day(s.updated_at) : "—"});
  text("notice", notice); show("notice", !!notice);
  const alert = view && view.alert && new Date(view.alert.until) > new Date() ? view.alert : null;
  show("alert", !!alert);
  if (alert) { text("alert-title", lang === "en" && alert.title_en ? alert.title_en : alert.title_vi);
    text("alert-text", lang === "en" && alert.text_en ? alert.text_en : alert.text_vi); }
  $("colour").className = s ? s.colour : "none"; $("colour").dataset.colour = s ? s.colour : "";
  text("colour", s ? t(s.colour) : "");
  const now = s && s.now;
  show("now", !!now);
  if (now) { text("now-title", now.title); text("now-time", when(now)); text("now-chair", now.chair ? t("chair") + ": " + now.chair : ""); }
  const item = s && s.agenda_item;
  show("agenda", !!item);
  if (item) { text("agenda-label", t("agenda")); text("agenda-title", (item.number ? item.number + ". " : "") + item.title);
    text("agenda-presenter", item.presenter ? t("presenter") + ": " + item.presenter : ""); }
  const sp = s && s.speaker;
  show("speaker", !!sp);
  if (sp) { text("speaker-label", t("speaker")); text("speaker-name", sp.name);
    let timer = "";
    if (sp.until) { const left = Math.round((new Date(sp.until) - new Date()) / 1000), a = Math.abs(left);
      timer = (left < 0 ? t("overtime") : t("remaining")) + " " + Math.floor(a / 60) + ":" + String(a % 60).padStart(2, "0");
      $("speaker-timer").classList.toggle("over", left < 0); }
    text("speaker-timer", timer); }
  const v = s && s.vote;
  show("vote", !!v);
  if (v) { text("vote-label", t("vote") + (v.secret ? " (" + t("secret") + ")" : ""));
    text("vote-title", v.title);
    const box = $("vote-options"); box.replaceChildren();
    for (const o of v.options) { const e = document.createElement("div"); e.textContent = o.label + ": " + o.count; box.appendChild(e); }
    const cast = v.options.reduce((n, o) => n + o.count, 0);
    let result = t("cast") + " " + cast + "/" + v.voters;
    if (v.quorum_met === false) result += " — " + t("no_quorum");
    else if (v.passed !== null && v.passed !== undefined) result += " — " + t(v.passed ? "passed" : "rejected");
    text("vote-result", result); }
  text("next-label", t("next"));
  text("next-text", s && s.next ? when(s.next) + "  " + s.next.title + (s.next.chair ? " — " + s.next.chair : "") : t("next_none"));
  const code = s && s.checkin ? s.checkin.payload : null;
  show("qr", !!code); text("qr-label", code ? t("checkin") : "");
  if (code && code !== qrPayload) { qrPayload = code; $("qr-img").src = "/qr.svg?c=" + encodeURIComponent(code).slice(0, 64) + "&n=" + Date.now(); }
  if (!code) qrPayload = null;
}
async function poll() {
  try { const r = await fetch("/state.json", {cache: "no-store"}); if (!r.ok) throw new Error(r.status);
    last = await r.json(); agentDown = false; } catch (e) { agentDown = true; }
  draw();
}
draw(); poll(); setInterval(poll, 1000);
</script></body></html>
"""

PAGE_HTML = _PAGE.replace("__TEXTS__", json.dumps(TEXTS, ensure_ascii=False))
