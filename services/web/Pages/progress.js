// The course's progress on the coordinator page: a chart of PHQ-9 and GAD-7 across the sessions with the caseness
// lines and the phases, each session's scores, a form to record a session's scores, ending or extending the course,
// and the courses waiting for clinical review. Uses api(), say() and warn() from session.js, act() and state from app.js, svgElement() from svg.js.
"use strict";

let questionnaires = null;

/** The chart: x the session number, y the score (0–27); a line per measure, dashed caseness lines, shaded phases. */
function progressChart(progress) {
  const width = 640, height = 270, left = 36, right = 12, top = 24, bottom = 44, max = 27;
  const x = n => left + (n - 1) * (width - left - right) / Math.max(progress.lastSession - 1, 1);
  const y = v => top + (max - v) * (height - top - bottom) / max;
  const scored = progress.sessions.filter(s => s.scores);
  const chart = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "chart-title", id: "progress-chart" });
  chart.append(svgElement("title", { id: "chart-title" },
    `PHQ-9 and GAD-7 across ${progress.lastSession} sessions: ` +
    (scored.length ? scored.map(s => `session ${s.number} PHQ-9 ${s.scores.phq9}, GAD-7 ${s.scores.gad7}`).join("; ") : "no scores yet")));
  const shades = { initial: "#eef4fb", middle: "#ffffff", ending: "#f4f0fa" };
  for (const phase of progress.phases) {
    const from = x(phase.from) - (phase.from > 1 ? (x(2) - x(1)) / 2 : 0);
    const to = Math.min(x(phase.to) + (phase.to < progress.lastSession ? (x(2) - x(1)) / 2 : 0), width - right);
    chart.append(svgElement("rect", { x: from, y: top, width: Math.max(to - from, 0), height: height - top - bottom, fill: shades[phase.name], class: `phase ${phase.name}` }));
    chart.append(svgElement("text", { x: (from + to) / 2, y: top - 8, "text-anchor": "middle", "font-size": 12, fill: "#505a5f" }, `${phase.name} (${phase.from}–${phase.to})`));
  }
  for (const v of [0, 5, 10, 15, 20, 25]) {
    chart.append(svgElement("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: "#e0e0e0" }));
    chart.append(svgElement("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11 }, String(v)));
  }
  for (let n = 1; n <= progress.lastSession; n++)
    chart.append(svgElement("text", { x: x(n), y: height - bottom + 16, "text-anchor": "middle", "font-size": 11 }, String(n)));
  chart.append(svgElement("text", { x: (left + width) / 2, y: height - bottom + 30, "text-anchor": "middle", "font-size": 11 }, "session"));
  const lines = [
    { key: "phq9", name: "PHQ-9", colour: "#005eb8", caseness: progress.caseness.phq9, dash: "6 4" },
    { key: "gad7", name: "GAD-7", colour: "#d5281b", caseness: progress.caseness.gad7, dash: "2 4" },
  ];
  for (const line of lines) {
    chart.append(svgElement("line", { x1: left, x2: width - right, y1: y(line.caseness), y2: y(line.caseness), stroke: line.colour, "stroke-dasharray": line.dash, class: `caseness ${line.key}` }));
    chart.append(svgElement("text", { x: width - right - 2, y: y(line.caseness) - 4, "text-anchor": "end", "font-size": 11, fill: line.colour }, `${line.name} caseness ${line.caseness}`));
    if (scored.length > 1)
      chart.append(svgElement("polyline", { points: scored.map(s => `${x(s.number)},${y(s.scores[line.key])}`).join(" "), fill: "none", stroke: line.colour, "stroke-width": 2.5, class: `series ${line.key}` }));
    for (const s of scored)
      chart.append(svgElement("circle", { cx: x(s.number), cy: y(s.scores[line.key]), r: 4, fill: line.colour, class: `point ${line.key}` }));
  }
  const legend = svgElement("g", { "font-size": 12 });
  lines.forEach((line, i) => {
    legend.append(svgElement("rect", { x: left + i * 90, y: height - 12, width: 12, height: 12, fill: line.colour }));
    legend.append(svgElement("text", { x: left + 16 + i * 90, y: height - 2 }, line.name));
  });
  chart.append(legend);
  return chart;
}

function outcomeText(progress) {
  if (!progress.outcome) return "Outcome: fewer than two sessions scored yet.";
  const o = progress.outcome;
  return `${progress.outcomeFinal ? "Outcome" : "Outcome so far"} (sessions ${o.firstSession} to ${o.lastSession}, ${o.scoredSessions} scored): ${o.summary}.`;
}

async function loadProgress(courseId) {
  questionnaires ??= await api("GET", "/api/questionnaires/");
  const progress = await api("GET", `/api/courses/${courseId}/progress`);
  const panel = $("progress-details");
  const outcome = Object.assign(document.createElement("p"), { id: "outcome", textContent: outcomeText(progress) });
  const review = document.createElement("p");
  if (progress.clinicalReview && !progress.clinicalReview.reviewedBy) {
    review.className = "risk";
    review.textContent = `Clinical review needed: PHQ-9 item 9 answered above 0 at session ${progress.clinicalReview.session}.`;
  }
  const table = document.createElement("table");
  table.id = "scores";
  table.createCaption().textContent = "Scores by session";
  const head = table.createTHead().insertRow();
  for (const h of ["Session", "Phase", "Date", "PHQ-9", "GAD-7", "WSAS", "By"]) head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: h }));
  const body = table.createTBody();
  for (const s of progress.sessions) {
    const row = body.insertRow();
    row.append(Object.assign(document.createElement("th"), { scope: "row", textContent: String(s.number) }));
    for (const text of [s.phase, `${describe(s.localStart)}${s.status === "cancelled" ? " (cancelled)" : ""}`,
      s.scores ? String(s.scores.phq9) + (s.scores.risk ? " ⚠ item 9" : "") : "–", s.scores ? String(s.scores.gad7) : "–",
      s.scores?.wsas ?? (s.measures.includes("wsas") ? "–" : ""), s.scores?.recordedBy ?? ""])
      row.insertCell().textContent = text;
  }
  panel.replaceChildren(review, progressChart(progress), outcome, table);
  renderScoreForm(progress);
}

/** Selects per item for the open session's measures, filled with its scores if it has some. */
function renderScoreForm(progress) {
  const session = progress.sessions.find(s => s.number === state.session.sessionNumber);
  const form = $("score-form");
  form.replaceChildren();
  if (!session || session.status === "cancelled") return;
  form.append(Object.assign(document.createElement("h3"), { textContent: `Record scores for session ${session.number}` }));
  for (const q of questionnaires.filter(q => session.measures.includes(q.id))) {
    const fieldset = document.createElement("fieldset");
    fieldset.append(Object.assign(document.createElement("legend"), { textContent: q.title }));
    const items = session.scores?.[`${q.id}Items`];
    q.items.forEach((item, i) => {
      const select = document.createElement("select");
      select.id = `score-${q.id}-${i + 1}`;
      select.dataset.measure = q.id;
      select.append(new Option("–", ""), ...q.options.map(o => new Option(o.label, o.value)));
      if (items) select.value = String(items[i]);
      const label = Object.assign(document.createElement("label"), { htmlFor: select.id, textContent: `${i + 1}. ${item}` });
      const row = Object.assign(document.createElement("div"), { className: "item" });
      row.append(label, select);
      fieldset.append(row);
    });
    form.append(fieldset);
  }
  const save = Object.assign(document.createElement("button"), { type: "submit", textContent: `Save scores for session ${session.number}` });
  form.append(save);
}

$("score-form").addEventListener("submit", async event => {
  event.preventDefault();
  const answers = {};
  for (const select of $("score-form").querySelectorAll("select"))
    (answers[select.dataset.measure] ??= []).push(select.value === "" ? null : Number(select.value));
  try {
    await api("PUT", `/api/courses/${state.session.courseId}/sessions/${state.session.sessionNumber}/scores`, answers);
    say(`Scores saved for session ${state.session.sessionNumber}.`);
  } catch (error) {
    warn(error);
  }
  await refresh();
});

const services = ["referrals", "scheduling", "notifications"];

/** The referral's audit trail from all three services, oldest first, with each service's CSV for an information-governance request. */
async function loadTrail(referralId) {
  const trails = await Promise.all(services.map(service => api("GET", `/api/audit/${service}?referralId=${referralId}`)
    .then(rows => rows.map(r => ({ ...r, service })))));
  const rows = trails.flat().sort((a, b) => a.at.localeCompare(b.at));
  const table = document.createElement("table");
  table.id = "trail-table";
  table.createCaption().textContent = `${rows.length} entries`;
  const head = table.createTHead().insertRow();
  for (const h of ["When (UK)", "Service", "Who", "What", "Changed"]) head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: h }));
  const body = table.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    const changed = r.changes ? JSON.parse(r.changes).map(c => c.before === null && c.after === null ? c.field : `${c.field}: ${c.before ?? "–"} → ${c.after ?? "–"}`).join("; ") : "";
    for (const text of [new Date(r.at).toLocaleString("en-GB", { timeZone: "Europe/London" }), r.service,
      `${r.actorName ?? r.actorId} (${r.actorRole.replaceAll("-", " ")})`, r.action, changed])
      row.insertCell().textContent = text;
  }
  // The table may be wider than a phone: its own scrolling region, reachable from the keyboard.
  const region = Object.assign(document.createElement("div"), { className: "scroll-region", tabIndex: 0 });
  region.setAttribute("role", "region");
  region.setAttribute("aria-label", "Audit trail entries");
  region.append(table);
  $("trail").replaceChildren(region);
  $("trail-downloads").replaceChildren("Download as CSV: ", ...services.flatMap((service, i) => [
    ...(i ? [", "] : []),
    Object.assign(document.createElement("a"), { href: `/api/audit/${service}?referralId=${referralId}&format=csv`, textContent: service, download: `${service}-trail-${referralId}.csv` }),
  ]));
}

/** Opens the course at the session whose answers need review (the clinical lead's way in, without the diary). */
async function openFlaggedSession(entry) {
  const course = await api("GET", `/api/courses/${entry.courseId}`);
  const s = course.sessions.find(s => s.number === entry.session);
  await openSession({ appointmentId: s.id, courseId: entry.courseId, sessionNumber: s.number, localStart: s.localStart, status: s.status });
}

async function loadClinicalReview() {
  const courses = await api("GET", "/api/courses/clinical-review");
  $("clinical-review").replaceChildren(...(courses.length ? courses.map(c => {
    const li = document.createElement("li");
    li.append(`${c.patientInitials} with ${c.therapist}: PHQ-9 item 9 above 0 at session ${c.session}, ${new Date(c.since).toLocaleString("en-GB", { timeZone: "Europe/London" })} `);
    const open = Object.assign(document.createElement("button"), { type: "button", textContent: "Open course" });
    open.setAttribute("aria-label", `Open course: ${c.patientInitials}`);
    open.addEventListener("click", () => openFlaggedSession(c).catch(error => warn(error.message)));
    li.append(open, " ");
    const done = Object.assign(document.createElement("button"), { type: "button", textContent: "Mark reviewed" });
    done.setAttribute("aria-label", `Mark reviewed: ${c.patientInitials}'s course`);
    done.addEventListener("click", () => act(`/api/courses/${c.courseId}/clinical-review/reviewed`, null, `${c.patientInitials}'s course marked reviewed.`));
    li.append(done);
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "No course waiting for clinical review." })]));
}

$("end-course").addEventListener("click", () =>
  act(`/api/courses/${state.session.courseId}/end`, { reason: $("course-reason").value }, "Course ended early. The patient is told; the outcome is worked out from the scores so far."));
$("extend-course").addEventListener("click", () =>
  act(`/api/courses/${state.session.courseId}/extend`, { sessions: Number($("extend-to").value) }, `Course extended to ${$("extend-to").value} sessions. The patient is sent one update.`));
