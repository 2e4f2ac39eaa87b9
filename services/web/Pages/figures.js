// The service figures page: /api/figures drawn as plain SVG (svgElement() from svg.js), as the signed-in person (session.js).
"use strict";

const percent = v => v === null ? "–" : `${v} %`;

/** Vertical bars, each a stack of parts; the title lists every value for screen readers. */
function bars(id, title, categories, parts, yLabel) {
  const width = 720, height = 240, left = 40, bottom = 40, top = 28;
  const max = Math.max(2, ...categories.map(c => parts.reduce((sum, p) => sum + c[p.key], 0)));
  const step = (width - left - 10) / categories.length;
  const y = v => top + (height - top - bottom) * (1 - v / max);
  const chart = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title`, class: "figure" });
  chart.append(svgElement("title", { id: `${id}-title` }, `${title}: ` + categories.map(c => `${c.label} ${parts.map(p => `${p.name} ${c[p.key]}`).join(", ")}`).join("; ")));
  for (const v of [0, Math.floor(max / 2), max]) {
    chart.append(svgElement("line", { x1: left, x2: width - 10, y1: y(v), y2: y(v), stroke: "#e0e0e0" }));
    chart.append(svgElement("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11 }, String(Math.round(v))));
  }
  categories.forEach((c, i) => {
    let base = 0;
    for (const p of parts) {
      const value = c[p.key];
      if (value > 0) chart.append(svgElement("rect", { x: left + i * step + step * 0.15, width: step * 0.7, y: y(base + value), height: y(base) - y(base + value), fill: p.colour, class: `bar ${p.key}` }));
      base += value;
    }
    chart.append(svgElement("text", { x: left + i * step + step / 2, y: height - bottom + 16, "text-anchor": "middle", "font-size": 11 }, c.label));
  });
  parts.forEach((p, i) => {
    chart.append(svgElement("rect", { x: left + i * 150, y: 4, width: 12, height: 12, fill: p.colour }));
    chart.append(svgElement("text", { x: left + 16 + i * 150, y: 14, "font-size": 12 }, p.name));
  });
  chart.append(svgElement("text", { x: 12, y: top + (height - top - bottom) / 2, "font-size": 11, transform: `rotate(-90 12 ${top + (height - top - bottom) / 2})`, "text-anchor": "middle" }, yLabel));
  $(id).replaceChildren(chart);
}

/** Weekdays down, time bands across: each cell coloured by its queue load and, where short, saying by how many sessions a week. */
function demandGrid(id, figures) {
  const d = figures.demandAndCapacity, left = 90, top = 30, cellWidth = 124, cellHeight = 36;
  const days = [...new Set(d.cells.map(c => c.weekday))];
  const width = left + cellWidth * d.bands.length + 10, height = top + cellHeight * days.length + 10;
  const chart = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title`, class: "figure" });
  const shortCells = d.cells.filter(c => c.shortPerWeek >= 0.5);
  chart.append(svgElement("title", { id: `${id}-title` }, "Demand against capacity: " + (shortCells.length === 0 ? "no weekday and time is short"
    : shortCells.map(c => `${c.weekday} ${c.band} short by ${Math.round(c.shortPerWeek)} sessions a week`).join("; "))));
  d.bands.forEach((band, i) => chart.append(svgElement("text", { x: left + i * cellWidth + cellWidth / 2, y: top - 10, "text-anchor": "middle", "font-size": 12 }, band)));
  days.forEach((day, row) => {
    chart.append(svgElement("text", { x: left - 8, y: top + row * cellHeight + cellHeight / 2 + 4, "text-anchor": "end", "font-size": 12 }, day));
    d.bands.forEach((band, column) => {
      const c = d.cells.find(x => x.weekday === day && x.band === band);
      const empty = c.weeklyCapacity === 0 && c.weeklyDemand === 0;
      const short = c.shortPerWeek >= 0.5;
      const colour = empty ? "#f0f4f5" : short ? "#d5281b" : c.queueLoad !== null && c.queueLoad >= 0.85 ? "#ffb81c" : "#007f3b";
      const x = left + column * cellWidth, y = top + row * cellHeight;
      const cell = svgElement("g", { class: `cell${short ? " short" : ""}`, "data-cell": `${day} ${band}` });
      cell.append(svgElement("title", {}, `${day} ${band}: demand ${c.weeklyDemand} a week against ${c.weeklyCapacity} therapist hours a week` +
        ` (queue load ${c.queueLoad ?? "–"}); ${c.committed} sessions committed, ${c.free} hours free over ${d.weeks} weeks; ` +
        `${c.waitingOnlyHere} waiting who can only come then; did not attend ${c.dnaPercent === null ? "–" : c.dnaPercent + " %"}`));
      cell.append(svgElement("rect", { x: x + 2, y: y + 2, width: cellWidth - 4, height: cellHeight - 4, fill: colour, rx: 3 }));
      const label = empty ? "" : short ? `short ${Math.round(c.shortPerWeek)}/wk` : c.weeklyDemand === 0 ? "spare" : `load ${c.queueLoad ?? "–"}`;
      cell.append(svgElement("text", { x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, "text-anchor": "middle", "font-size": 12,
        fill: empty || (!short && colour === "#ffb81c") ? "#212b32" : "#ffffff" }, label));
      chart.append(cell);
    });
  });
  $(id).replaceChildren(chart);
}

/** The projected waiting list as a line, week by week. */
function projection(id, weeks) {
  const width = 720, height = 200, left = 40, bottom = 36, top = 14;
  const max = Math.max(2, ...weeks.map(w => w.waiting));
  const x = i => left + (width - left - 20) * i / Math.max(1, weeks.length - 1);
  const y = v => top + (height - top - bottom) * (1 - v / max);
  const chart = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title`, class: "figure" });
  chart.append(svgElement("title", { id: `${id}-title` }, "Waiting list projected: " + weeks.map(w => `${w.weekFrom} ${w.waiting}`).join(", ")));
  for (const v of [0, Math.floor(max / 2), max]) {
    chart.append(svgElement("line", { x1: left, x2: width - 20, y1: y(v), y2: y(v), stroke: "#e0e0e0" }));
    chart.append(svgElement("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11 }, String(v)));
  }
  chart.append(svgElement("polyline", { points: weeks.map((w, i) => `${x(i)},${y(w.waiting)}`).join(" "), fill: "none", stroke: "#005eb8", "stroke-width": 2, class: "projection" }));
  weeks.forEach((w, i) => { if (i % 4 === 0) chart.append(svgElement("text", { x: x(i), y: height - bottom + 16, "text-anchor": "middle", "font-size": 11 }, w.weekFrom.slice(5))); });
  $(id).replaceChildren(chart);
}

function demandTable(figures) {
  const rows = figures.demandAndCapacity.cells.filter(c => c.weeklyCapacity > 0 || c.weeklyDemand > 0 || c.wantedByWaiting > 0).map(c => {
    const row = document.createElement("tr");
    for (const value of [c.weekday, c.band, c.therapistHours, c.committed, c.free, c.wantedByWaiting, c.waitingOnlyHere, c.weeklyDemand, c.weeklyCapacity,
      c.queueLoad ?? "–", c.targetQueue, c.shortPerWeek, c.dnaPercent === null ? "–" : `${c.dnaPercent} % of ${c.dnaRecorded}`]) {
      row.append(Object.assign(document.createElement("td"), { textContent: String(value) }));
    }
    return row;
  });
  document.querySelector("#demand-table tbody").replaceChildren(...rows);
}

function headline(figures) {
  const items = [
    ["Waiting for a course", `${figures.waiting.waiting} (longest ${figures.waiting.longestWeeks} weeks)`],
    ["Waiting for review", String(figures.waiting.inReview)],
    ["First session within 6 weeks", `${percent(figures.firstSessions.withinSixWeeksPercent)} of ${figures.firstSessions.firstSessions}`],
    ["First session within 18 weeks", percent(figures.firstSessions.withinEighteenWeeksPercent)],
    ["Did not attend", `${percent(figures.attendance.dnaPercent)} of ${figures.attendance.recorded} sessions`],
    ["Sessions a week short", `${figures.demandAndCapacity.shortPerWeek} (referrals ${figures.demandAndCapacity.referralsPerWeek} a week)`],
    ["Courses ended", `${figures.outcomes.ended} (${figures.outcomes.withOutcome} with an outcome)`],
    ["Recovery", `${percent(figures.outcomes.recoveryPercent)} of ${figures.outcomes.casesAtStart} cases`],
    ["Reliable improvement", percent(figures.outcomes.reliableImprovementPercent)],
    ["Reliable recovery", percent(figures.outcomes.reliableRecoveryPercent)],
    ["Reliable deterioration", percent(figures.outcomes.reliableDeteriorationPercent)],
  ];
  $("headline").replaceChildren(...items.flatMap(([term, value]) => [
    Object.assign(document.createElement("dt"), { textContent: term }), Object.assign(document.createElement("dd"), { textContent: value })]));
}

async function load() {
  if (!await startSession()) return;
  const figures = await api("GET", "/api/figures/");
  $("as-of").textContent = `As at ${new Date(figures.at).toLocaleString("en-GB", { timeZone: "Europe/London" })} (UK time).`;
  headline(figures);
  const w = figures.waiting;
  bars("waiting-chart", "Referrals waiting, by weeks waited", [
    { label: "under 2 weeks", n: w.underTwoWeeks }, { label: "2–6 weeks", n: w.twoToSixWeeks },
    { label: "6–18 weeks", n: w.sixToEighteenWeeks }, { label: "over 18 weeks", n: w.overEighteenWeeks },
  ], [{ key: "n", name: "referrals", colour: "#005eb8" }], "referrals");
  bars("first-chart", "First sessions by week", figures.firstSessions.byWeek.map(week => ({
    label: week.weekFrom.slice(5), within6: week.withinSixWeeks, within18: week.withinEighteenWeeks - week.withinSixWeeks,
    over18: week.firstSessions - week.withinEighteenWeeks,
  })), [
    { key: "within6", name: "within 6 weeks", colour: "#007f3b" }, { key: "within18", name: "6 to 18 weeks", colour: "#ffb81c" },
    { key: "over18", name: "over 18 weeks", colour: "#d5281b" },
  ], "first sessions");
  demandGrid("demand-chart", figures);
  projection("projection-chart", figures.demandAndCapacity.projection);
  demandTable(figures);
  bars("utilisation-chart", "Utilisation", figures.therapists.map(t => ({ label: t.therapist, booked: t.booked, free: Math.max(t.capacity - t.booked, 0) })),
    [{ key: "booked", name: "sessions booked", colour: "#005eb8" }, { key: "free", name: "free within the cap", colour: "#d8dde0" }], "sessions");
}

load().catch(error => { $("alert").hidden = false; $("alert").textContent = error.message; });
