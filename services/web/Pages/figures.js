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

function headline(figures) {
  const items = [
    ["Waiting for a course", `${figures.waiting.waiting} (longest ${figures.waiting.longestWeeks} weeks)`],
    ["Waiting for review", String(figures.waiting.inReview)],
    ["First session within 6 weeks", `${percent(figures.firstSessions.withinSixWeeksPercent)} of ${figures.firstSessions.firstSessions}`],
    ["First session within 18 weeks", percent(figures.firstSessions.withinEighteenWeeksPercent)],
    ["Did not attend", `${percent(figures.attendance.dnaPercent)} of ${figures.attendance.recorded} sessions`],
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
  bars("utilisation-chart", "Utilisation", figures.therapists.map(t => ({ label: t.therapist, booked: t.booked, free: Math.max(t.capacity - t.booked, 0) })),
    [{ key: "booked", name: "sessions booked", colour: "#005eb8" }, { key: "free", name: "free within the cap", colour: "#d8dde0" }], "sessions");
}

load().catch(error => { $("alert").hidden = false; $("alert").textContent = error.message; });
