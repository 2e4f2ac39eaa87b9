// The therapist's own page, for a phone between rooms: today's and this week's sessions with attendance in one tap,
// the score form for a session, and the caseload with each patient's last scores. api() and startSession() from session.js.
"use strict";

const me = { id: null, now: null, today: null, questionnaires: null };   // now and today: the service's clock
const patients = new Map();   // referral id → the patient's name and contact details (from referrals)
const outcomes = [["attended", "Attended"], ["dna", "Did not attend"], ["late-cancel", "Late cancel"]];
const isoDay = date => date.toISOString().slice(0, 10);
function trend(now, before) { return now === null ? "–" : before === null ? String(now) : `${now} (${now < before ? "down" : now > before ? "up" : "same"} from ${before})`; }

const nameOf = (referralId, initials) => { const p = patients.get(referralId); return p ? `${p.givenName} ${p.familyName}` : initials; };

// How to reach the patient: a phone number to tap, an email address, and what they agreed to be sent.
function contactOf(patient) {
  const p = document.createElement("p");
  p.append(`NHS number ${patient.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, "$1 $2 $3")}, born ${patient.dateOfBirth}.`);
  for (const [value, scheme, agreed, what] of [[patient.mobile, "tel:", patient.agreedToTexts, "texts"], [patient.email, "mailto:", patient.agreedToEmail, "email"]]) {
    if (!value) continue;
    p.append(" ", Object.assign(document.createElement("a"), { href: scheme + value, textContent: value }), agreed ? "" : ` (no ${what})`);
  }
  return p;
}

function sessionItem(s) {
  const li = document.createElement("li");
  const [date, time] = s.localStart.split("T");
  const text = Object.assign(document.createElement("p"), {
    textContent: `${time} ${date} – ${nameOf(s.referralId, s.patientInitials)}, session ${s.sessionNumber} of ${s.courseSessions}: ${s.status}${s.attendance ? ", " + s.attendance : ""}. Online video session.`,
  });
  li.append(text);
  if (s.joinUrl && !s.attendance) {
    const join = Object.assign(document.createElement("a"), { href: s.joinUrl, textContent: "Join the video session", className: "join", target: "_blank", rel: "noopener" });
    join.setAttribute("aria-label", `Join the video session: ${nameOf(s.referralId, s.patientInitials)}, session ${s.sessionNumber}`);
    li.append(join);
  }
  if (s.status === "booked" && new Date(s.startUtc) <= me.now) {
    const buttons = Object.assign(document.createElement("div"), { className: "controls" });
    for (const [outcome, label] of outcomes) {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: label });
      button.setAttribute("aria-label", `${label}: ${s.patientInitials}, session ${s.sessionNumber}`);
      button.setAttribute("aria-pressed", String(s.attendance === outcome));
      button.addEventListener("click", async () => {
        try { await api("POST", `/api/appointments/${s.appointmentId}/attendance`, { outcome }); say(`${label} recorded for ${s.patientInitials}, session ${s.sessionNumber}.`); }
        catch (error) { warn(error.message); }
        await load();
      });
      buttons.append(button);
    }
    const scores = Object.assign(document.createElement("button"), { type: "button", textContent: "Scores" });
    scores.setAttribute("aria-label", `Scores: ${s.patientInitials}, session ${s.sessionNumber}`);
    scores.addEventListener("click", () => openScores(s).catch(error => warn(error.message)));
    buttons.append(scores);
    li.append(buttons);
  }
  return li;
}

async function openScores(s) {
  me.questionnaires ??= await api("GET", "/api/questionnaires/");
  const progress = await api("GET", `/api/courses/${s.courseId}/progress`);
  const session = progress.sessions.find(p => p.number === s.sessionNumber);
  const form = $("therapist-scores");
  form.replaceChildren(Object.assign(document.createElement("p"), { textContent: `${s.patientInitials}, session ${s.sessionNumber}` }));
  for (const q of me.questionnaires.filter(q => session.measures.includes(q.id))) {
    const fieldset = document.createElement("fieldset");
    fieldset.append(Object.assign(document.createElement("legend"), { textContent: q.title }));
    const items = session.scores?.[`${q.id}Items`];
    q.items.forEach((item, i) => {
      const select = Object.assign(document.createElement("select"), { id: `t-${q.id}-${i + 1}` });
      select.dataset.measure = q.id;
      select.append(new Option("–", ""), ...q.options.map(o => new Option(o.label, o.value)));
      if (items) select.value = String(items[i]);
      fieldset.append(Object.assign(document.createElement("label"), { htmlFor: select.id, textContent: `${i + 1}. ${item}` }), select);
    });
    form.append(fieldset);
  }
  const save = Object.assign(document.createElement("button"), { type: "submit", textContent: `Save scores for session ${s.sessionNumber}` });
  form.append(save);
  form.onsubmit = async event => {
    event.preventDefault();
    const answers = {};
    for (const select of form.querySelectorAll("select")) (answers[select.dataset.measure] ??= []).push(select.value === "" ? null : Number(select.value));
    try {
      await api("PUT", `/api/courses/${s.courseId}/sessions/${s.sessionNumber}/scores`, answers);
      say(`Scores saved for ${s.patientInitials}, session ${s.sessionNumber}.`);
      $("scores-panel").hidden = true;
    } catch (error) {
      warn(error);
    }
    await load();
  };
  $("scores-panel").hidden = false;
  $("scores-title").scrollIntoView();
}

async function load() {
  const self = await api("GET", "/api/me");
  Object.assign(me, { id: self.therapistId, now: new Date(self.now), today: self.today });
  const today = me.today;
  const day = new Date(`${today}T00:00:00Z`);
  const monday = new Date(day); monday.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  const sunday = new Date(monday); sunday.setUTCDate(monday.getUTCDate() + 6);
  const [diary, caseload, contacts] = await Promise.all([
    api("GET", `/api/therapists/${me.id}/diary?from=${isoDay(monday)}&to=${isoDay(sunday)}`),
    api("GET", "/api/me/caseload"),
    api("GET", "/api/me/patients"),
  ]);
  patients.clear();
  for (const p of contacts) patients.set(p.referralId, p);
  const none = text => [Object.assign(document.createElement("li"), { textContent: text })];
  const todays = diary.sessions.filter(s => s.localStart.startsWith(today));
  $("today").replaceChildren(...(todays.length ? todays.map(sessionItem) : none("No sessions today.")));
  const later = diary.sessions.filter(s => !s.localStart.startsWith(today));
  $("week").replaceChildren(...(later.length ? later.map(sessionItem) : none("No other sessions this week.")));
  $("caseload").replaceChildren(...(caseload.length ? caseload.map(c => {
    const li = document.createElement("li");
    const next = c.nextSession ? `next: session ${c.nextSession} of ${c.sessions} (${c.phase}), ${c.nextLocalStart.replace("T", " ")}` : `all ${c.sessions} sessions held`;
    li.append(Object.assign(document.createElement("p"), { textContent: `${nameOf(c.referralId, c.patientInitials)} – ${next}. PHQ-9 ${trend(c.phq9, c.previousPhq9)}, GAD-7 ${trend(c.gad7, c.previousGad7)}.` }));
    if (patients.has(c.referralId)) li.append(contactOf(patients.get(c.referralId)));
    if (c.clinicalReview) {
      const review = Object.assign(document.createElement("p"), { className: "risk", textContent: "PHQ-9 item 9 answered above 0: clinical review waiting. " });
      const done = Object.assign(document.createElement("button"), { type: "button", textContent: "Mark reviewed" });
      done.setAttribute("aria-label", `Mark reviewed: ${c.patientInitials}'s course`);
      done.addEventListener("click", async () => {
        try { await api("POST", `/api/courses/${c.courseId}/clinical-review/reviewed`); say(`${c.patientInitials}'s course marked reviewed.`); } catch (error) { warn(error); }
        await load();
      });
      review.append(done);
      li.append(review);
    }
    if (c.messageProblem) li.append(Object.assign(document.createElement("p"), { className: "risk", textContent: `Messages are not reaching this patient – ${c.messageProblem}` }));
    if (c.questionnaireMissing) li.append(Object.assign(document.createElement("p"), { textContent: "Questionnaire not done for the last session held." }));
    return li;
  }) : none("No booked courses.")));
}

(async () => { if (await startSession()) await load(); })()
  .catch(error => warn(error.status === 404 ? "No therapist is linked to you yet: ask an administrator." : error.message));
