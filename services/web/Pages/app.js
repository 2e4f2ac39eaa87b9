// The coordinator page: plain JavaScript over the scheduling API, as the signed-in person (api() from session.js).
"use strict";

const state = { therapists: [], monday: null, session: null, diary: null };
const days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const hours = Array.from({ length: 16 }, (_, i) => 7 + i);   // 07:00 to 22:00 starts


function isoDate(date) { return date.toISOString().slice(0, 10); }
function mondayOf(date) { const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())); d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); return d; }
/** How long something has waited: hours for the first two days, then days. */
function waited(minutes) { return minutes < 48 * 60 ? `${Math.floor(minutes / 60)} hours` : `${Math.floor(minutes / 1440)} days`; }
function addDays(date, n) { const d = new Date(date); d.setUTCDate(d.getUTCDate() + n); return d; }
function describe(localStart) {
  const [date, time] = localStart.split("T");
  const d = new Date(`${date}T00:00:00Z`);
  return `${days[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()} ${d.toLocaleString("en-GB", { month: "long", timeZone: "UTC" })} ${d.getUTCFullYear()}, ${time}`;
}

async function loadTherapists() {
  state.therapists = await api("GET", "/api/therapists/");
  $("therapist").replaceChildren(...state.therapists.map(t => new Option(t.name, t.id)));
}

let diaryRequests = 0;

async function loadDiary() {
  const therapist = $("therapist").value;
  if (!therapist) return;
  $("week-of").value = isoDate(state.monday);
  // A week asked for while an earlier one is still loading wins, whichever answer comes back last.
  const request = ++diaryRequests;
  const diary = await api("GET", `/api/therapists/${therapist}/diary?from=${isoDate(state.monday)}&to=${isoDate(addDays(state.monday, 6))}`);
  if (request !== diaryRequests) return;
  state.diary = diary;
  renderDiary();
}

function renderDiary() {
  const table = $("diary");
  const head = document.createElement("thead");
  const headRow = head.insertRow();
  const corner = document.createElement("th"); corner.scope = "col"; corner.textContent = "Time"; headRow.append(corner);
  for (let i = 0; i < 7; i++) {
    const th = document.createElement("th"); th.scope = "col";
    const date = addDays(state.monday, i);
    th.textContent = `${days[i].slice(0, 3)} ${date.getUTCDate()}/${date.getUTCMonth() + 1}`;
    const closed = state.diary.closedDays.find(c => c.date === isoDate(date));
    if (closed) th.title = closed.name, th.textContent += " (closed)";
    headRow.append(th);
  }
  const body = document.createElement("tbody");
  for (const hour of hours) {
    const row = body.insertRow();
    const th = document.createElement("th"); th.scope = "row"; th.textContent = `${String(hour).padStart(2, "0")}:00`; row.append(th);
    for (let i = 0; i < 7; i++) {
      const cell = row.insertCell();
      const prefix = `${isoDate(addDays(state.monday, i))}T${String(hour).padStart(2, "0")}`;
      for (const s of state.diary.sessions.filter(s => s.localStart.startsWith(prefix))) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = `booking ${s.status}` + (state.session?.appointmentId === s.appointmentId ? " selected" : "");
        button.dataset.appointment = s.appointmentId;
        // The visible short form starts the accessible name (WCAG 2.5.3); the rest is for screen readers.
        const spoken = Object.assign(document.createElement("span"), { className: "visually-hidden",
          textContent: ` — ${s.patientInitials}, session ${s.sessionNumber} of ${s.courseSessions}, ${describe(s.localStart)}, ${s.status}${s.attendance ? ", " + s.attendance : ""}` });
        button.append(`${s.patientInitials} · ${s.sessionNumber}/${s.courseSessions}` + (s.attendance ? ` · ${s.attendance}` : "") + (s.status === "cancelled" ? " · cancelled" : ""), spoken);
        button.addEventListener("click", () => openSession(s));
        cell.append(button);
      }
    }
  }
  table.replaceChildren(head, body);
}

async function openSession(session) {
  state.session = session;
  $("session").hidden = false;
  if (state.diary) renderDiary();
  const course = await api("GET", `/api/courses/${session.courseId}`);
  state.course = course;
  const details = $("session-details");
  details.replaceChildren();
  const summary = document.createElement("p");
  summary.textContent = `${course.patientInitials}: session ${session.sessionNumber} of ${course.sessions.length}, ${describe(session.localStart)} (UK time). ` +
    `Course with ${course.therapist}, ${course.weekday}s ${course.time} (${course.timeZone}), ${course.status}.` + (course.flaggedForReview ? " Flagged for review: two DNAs." : "");
  const reminders = can("coordinator") ? await api("GET", `/api/messages/reminders?referralId=${course.referralId}`) : [];
  const list = document.createElement("ol");
  for (const s of course.sessions) {
    const li = document.createElement("li");
    const sent = reminders.filter(r => r.sessionNumber === s.sessionNumber && r.status !== "pending")
      .map(r => `${r.channel === "sms" ? "text" : "email"} ${(r.delivery || r.status).replace("-", " ")}`);
    li.textContent = `${describe(s.localStart)} – ${s.status}${s.attendance ? ", " + s.attendance : ""}${s.scoresRecorded ? ", questionnaire done" : ""}` +
      (sent.length ? `; reminders: ${sent.join(", ")}` : "");
    if (sent.some(r => /failure|undeliverable/.test(r))) li.classList.add("failing");
    list.append(li);
  }
  if (course.skippedWeeks.length) {
    const skipped = document.createElement("p");
    skipped.textContent = `Skipped weeks (closed): ${course.skippedWeeks.join(", ")}.`;
    details.append(summary, skipped, list);
  } else details.append(summary, list);
  $("reassign-to").replaceChildren(new Option("Whoever keeps most times", ""),
    ...state.therapists.filter(t => t.id !== course.therapistId).map(t => new Option(t.name, t.id)));
  $("session").querySelectorAll("[data-role=coordinator] button").forEach(b => b.disabled = session.status !== "booked");
  if (can("clinical-lead")) { await loadProgress(session.courseId); await loadTrail(course.referralId); }
  if (can("coordinator")) await loadAlternatives();
  $("session-title").focus?.();
}

let alternativesRequests = 0;

async function loadAlternatives() {
  const list = $("alternatives");
  list.replaceChildren();
  const request = ++alternativesRequests;
  if (!state.session || state.session.status !== "booked") return;
  const override = $("override-windows").checked;
  const alternatives = await api("GET", `/api/appointments/${state.session.appointmentId}/alternatives${override ? "?overrideWindows=true" : ""}`);
  if (request !== alternativesRequests) return;   // another session (or the override) was chosen meanwhile
  for (const alternative of alternatives) {
    const li = document.createElement("li");
    const move = document.createElement("button");
    move.type = "button";
    move.textContent = `Move to ${describe(alternative.localStart)}`;
    move.addEventListener("click", () => move_(alternative.localStart, false));
    const following = document.createElement("button");
    following.type = "button";
    following.textContent = "Move this and following";
    following.setAttribute("aria-label", `Move this and following sessions to ${describe(alternative.localStart)} weekly`);
    following.addEventListener("click", () => move_(alternative.localStart, true));
    li.append(move, " ", following, alternative.sameWeek ? " (same week)" : "");
    list.append(li);
  }
  if (alternatives.length === 0) list.append(Object.assign(document.createElement("li"), { textContent: "No free time nearby." }));
}

async function move_(localStart, following) {
  const session = state.session;
  const override = $("override-windows").checked;
  try {
    if (following)
      await api("POST", `/api/courses/${session.courseId}/reschedule-following`, { fromSession: session.sessionNumber, start: localStart, overrideWindows: override });
    else
      await api("POST", `/api/appointments/${session.appointmentId}/reschedule`, { start: localStart, overrideWindows: override });
    say(`Session ${session.sessionNumber}${following ? " and the following sessions" : ""} moved to ${describe(localStart)}. The patient is sent an update.`);
    state.session = { ...session, localStart };
  } catch (error) {
    if (error.status === 409) warn(`That time was taken meanwhile: ${error.message} The diary and alternatives have been refreshed.`);
    else warn(error.message);
  }
  await refresh();
}

async function act(path, body, done) {
  try { await api("POST", path, body); say(done); } catch (error) { warn(error.message); }
  await refresh();
}

async function refresh() {
  if (can("coordinator")) {
    await loadDiary();
    const current = state.session && state.diary.sessions.find(s => s.appointmentId === state.session.appointmentId);
    if (current) await openSession(current); else { $("session").hidden = true; state.session = null; }
  } else if (state.session) await openSession(state.session);
  await Promise.all([
    ...(can("coordinator") ? [loadWaitlist(), loadLateStarts(), loadReviews(), loadUndeliverable()] : []),
    ...(can("clinical-lead") ? [loadClinicalReview()] : []),
  ]);
}

async function loadWaitlist() {
  const entries = await api("GET", "/api/waitlist/");
  $("waitlist").replaceChildren(...(entries.length ? entries.map(e => {
    const li = document.createElement("li");
    const name = `Referral ${e.referralId.slice(0, 8)}`;
    li.append(`${name} – waiting ${Math.floor(e.waitingMinutes / 1440)} days ${Math.floor(e.waitingMinutes % 1440 / 60)} hours: ${e.reason} (last tried ${new Date(e.lastTried).toLocaleString("en-GB", { timeZone: "Europe/London" })}) `,
      ...offerTimes("Other times that would work", e.referralId, name));
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "Nobody is waiting." })]));
}

async function loadLateStarts() {
  const courses = await api("GET", "/api/waitlist/late-starts");
  $("late-starts").replaceChildren(...(courses.length ? courses.map(c => {
    const li = document.createElement("li");
    const name = `${c.patientInitials || "Referral"} (${c.referralId.slice(0, 8)})`;
    li.append(`${name} – first session ${describe(c.firstSession)} with ${c.therapist}, ${c.weeksAfterCouldStart} weeks after the patient could start `,
      ...offerTimes("Sooner times that would work", c.referralId, name));
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "Every booked course starts within 6 weeks." })]));
}

/** A button that lists the times that would work for the referral, and the list it fills. */
function offerTimes(label, referralId, name) {
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: label });
  button.setAttribute("aria-label", `${label} for ${name}`);
  const list = document.createElement("ul");
  button.addEventListener("click", () => showSuggestions(referralId, name, list));
  return [button, list];
}

// For a patient who waits, or is booked to start late: the nearest weekly hours outside theirs at which a course would
// start within 6 weeks (sooner than booked). One the patient agrees to is added to their times, with the reason, and the
// course is booked, or brought forward as a whole, at once.
async function showSuggestions(referralId, name, list) {
  let suggestions;
  try { suggestions = await api("GET", `/api/waitlist/${referralId}/suggestions`); } catch (error) { warn(error); return; }
  list.replaceChildren(...(suggestions.length ? suggestions.map(s => {
    const li = document.createElement("li");
    const when = `${s.day} ${s.from}–${s.to}${s.timeZone === "Europe/London" ? "" : ` (${s.timeZone})`}`;
    li.append(`${when}: first session ${describe(s.firstSession)}. `);
    const reason = Object.assign(document.createElement("input"), { type: "text", id: `window-reason-${referralId}-${s.day}-${s.from}` });
    const label = Object.assign(document.createElement("label"), { htmlFor: reason.id, textContent: "Patient agreed (reason) " });
    const add = Object.assign(document.createElement("button"), { type: "button", textContent: "Add this time and book" });
    add.setAttribute("aria-label", `Add ${when} for ${name} and book`);
    add.addEventListener("click", async () => {
      try {
        const result = await api("POST", `/api/waitlist/${referralId}/windows`, { day: s.day, from: s.from, to: s.to, reason: reason.value });
        say(result.booked ? `${name} booked: first session ${describe(result.firstSession)}. The patient is told.` : `${when} added for ${name}; still waiting: ${result.stillWaiting}`);
      } catch (error) { warn(error); return; }
      await refresh();
    });
    li.append(label, reason, " ", add);
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "No other hour would start a course within 6 weeks." })]));
}

async function loadUndeliverable() {
  const mails = await api("GET", "/api/mail/undeliverable/");
  $("undeliverable").replaceChildren(...(mails.length ? mails.map(m => Object.assign(document.createElement("li"), {
    textContent: `${m.patientInitials || "Referral " + m.referralId.slice(0, 8)} – ${m.kind === "stopped" ? "" : m.kind + " "}${m.channel === "sms" ? "text" : "email"}, ${new Date(m.at).toLocaleString("en-GB", { timeZone: "Europe/London" })}: ${m.reason}`,
  })) : [Object.assign(document.createElement("li"), { textContent: "Every message delivered." })]));
}

async function loadReviews() {
  const reviews = await api("GET", "/api/reviews/");
  const items = reviews.map(r => {
    const li = document.createElement("li");
    const what = r.attention ? `needs attention – ${r.attention}` : (r.riskNotes || "no notes");
    li.append(`${r.referrerReference || "Referral " + r.referralId.slice(0, 8)}: ${what} (waiting ${waited(r.waitingMinutes)}) `);
    const accept = Object.assign(document.createElement("button"), { type: "button", textContent: "Accept for booking" });
    accept.setAttribute("aria-label", `Accept for booking: ${r.referrerReference}`);
    accept.addEventListener("click", () => act(`/api/reviews/${r.referralId}/accept`, null, `${r.referrerReference} accepted for booking.`));
    const reason = Object.assign(document.createElement("input"), { type: "text", id: `close-reason-${r.referralId}` });
    const label = Object.assign(document.createElement("label"), { htmlFor: reason.id, textContent: " Reason " });
    const close = Object.assign(document.createElement("button"), { type: "button", textContent: "Close" });
    close.setAttribute("aria-label", `Close ${r.referrerReference}`);
    close.addEventListener("click", () => act(`/api/reviews/${r.referralId}/close`, { reason: reason.value }, `${r.referrerReference} closed.`));
    li.append(accept, label, reason, " ", close);
    return li;
  });
  $("reviews").replaceChildren(...(items.length ? items : [Object.assign(document.createElement("li"), { textContent: "None waiting." })]));
}

async function start() {
  if (!await startSession()) return;
  // Therapists and administrators have pages of their own; this one is for booking and clinical review.
  if (!can("coordinator") && !can("clinical-lead")) {
    if (can("therapist")) { location.replace("therapist.html"); return; }
    if (can("administrator")) { location.replace("admin.html"); return; }
  }
  $("app").hidden = false;
  $("no-work").hidden = can("coordinator") || can("clinical-lead");
  state.monday = mondayOf(new Date());
  if (can("coordinator")) await loadTherapists();
  await refresh();
}

$("therapist").addEventListener("change", () => { state.session = null; $("session").hidden = true; loadDiary(); });
$("previous-week").addEventListener("click", () => { state.monday = addDays(state.monday, -7); loadDiary(); });
$("next-week").addEventListener("click", () => { state.monday = addDays(state.monday, 7); loadDiary(); });
$("week-of").addEventListener("change", () => { if ($("week-of").value) { state.monday = mondayOf(new Date(`${$("week-of").value}T00:00:00Z`)); loadDiary(); } });
$("override-windows").addEventListener("change", loadAlternatives);
$("record-attendance").addEventListener("click", () =>
  act(`/api/appointments/${state.session.appointmentId}/attendance`, { outcome: $("attendance").value }, `Attendance recorded for session ${state.session.sessionNumber}.`));
$("cancel-by-patient").addEventListener("click", () =>
  act(`/api/appointments/${state.session.appointmentId}/cancel`, { by: "patient" }, `Session ${state.session.sessionNumber} cancelled (patient).`));
$("cancel-by-clinic").addEventListener("click", () =>
  act(`/api/appointments/${state.session.appointmentId}/cancel`, { by: "clinic" }, `Session ${state.session.sessionNumber} cancelled (clinic).`));
$("cancel-course").addEventListener("click", () =>
  act(`/api/courses/${state.session.courseId}/cancel`, { reason: $("course-reason").value }, "Course cancelled. The patient is told."));
$("reassign").addEventListener("click", () =>
  act(`/api/courses/${state.session.courseId}/reassign`, { fromSession: state.session.sessionNumber, therapistId: $("reassign-to").value || null },
    `Sessions from ${state.session.sessionNumber} reassigned. The patient is told.`));

start().catch(error => warn(error.message));
