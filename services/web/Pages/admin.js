// The administrator's page: therapists (add one, with their weekly hours and who signs in as them), referring services'
// keys and closed days.
// No patient data. api() and startSession() from session.js.
"use strict";

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

async function loadTherapists() {
  const therapists = await api("GET", "/api/therapists/");
  $("therapists").replaceChildren(...therapists.map(t => {
    const li = document.createElement("li");
    const hours = t.workingHours.map(h => `${h.day.slice(0, 3)} ${h.from}–${h.to}`).join(", ") || "no hours";
    li.append(Object.assign(document.createElement("p"), { textContent: `${t.name}: up to ${t.maxSessionsPerWeek} a week; ${hours}. ${t.userId ? `Signs in as ${t.userId}.` : "Not linked to a sign-in."}` }));
    return li;
  }));
}

async function loadReferrers() {
  const referrers = await api("GET", "/api/referrer-keys/");
  $("referrers").replaceChildren(...referrers.map(r => {
    const li = document.createElement("li");
    const bars = r.odsCode ? `; BaRS as ${r.odsCode}, ${r.newsEndpoint ? `news to ${r.newsEndpoint}` : "polls for news"}` : "";
    li.append(`${r.name}: ${r.revokedAt ? "key revoked" : "key in use"}${bars} `);
    if (!r.revokedAt) {
      const revoke = Object.assign(document.createElement("button"), { type: "button", textContent: "Revoke key" });
      revoke.setAttribute("aria-label", `Revoke key: ${r.name}`);
      revoke.addEventListener("click", async () => {
        try { await api("POST", `/api/referrer-keys/${r.id}/revoke`); say(`${r.name}'s key revoked.`); } catch (error) { warn(error); }
        await loadReferrers();
      });
      li.append(revoke);
    }
    return li;
  }));
}

$("new-referrer").addEventListener("submit", async event => {
  event.preventDefault();
  try {
    const made = await api("POST", "/api/referrer-keys/", {
      name: $("referrer-name").value, odsCode: $("referrer-ods").value || null, newsEndpoint: $("referrer-news").value || null,
    });
    $("referrer-key").textContent = made.key;
    $("referrer-key-made").hidden = false;
    for (const field of ["referrer-name", "referrer-ods", "referrer-news"]) $(field).value = "";
    say(`${made.name} added.`);
  } catch (error) { warn(error); }
  await loadReferrers();
});

async function loadClosedDays() {
  const days = await api("GET", "/api/closed-days/");
  $("closed-days").replaceChildren(...days.map(d => Object.assign(document.createElement("li"), { textContent: `${d.date}: ${d.name}` })));
}

$("therapist-days").replaceChildren(...weekdays.map(day => {
  const label = Object.assign(document.createElement("label"), { className: "inline" });
  const box = Object.assign(document.createElement("input"), { type: "checkbox", value: day, checked: !day.startsWith("S") });
  label.append(box, ` ${day}`);
  return label;
}));

$("new-therapist").addEventListener("submit", async event => {
  event.preventDefault();
  const name = $("therapist-name").value;
  try {
    const from = $("therapist-from").value, to = $("therapist-to").value;
    const created = await api("POST", "/api/therapists/", {
      name, maxSessionsPerWeek: Number($("therapist-cap").value),
      workingHours: [...$("therapist-days").querySelectorAll("input:checked")].map(box => ({ day: box.value, from, to })),
    });
    if ($("therapist-user").value.trim()) await api("PUT", `/api/therapists/${created.id}/user`, { userId: $("therapist-user").value.trim() });
    say(`${created.name} added.`);
    $("therapist-name").value = ""; $("therapist-user").value = "";
  } catch (error) { warn(error); }
  await loadTherapists();
});

$("new-closed-day").addEventListener("submit", async event => {
  event.preventDefault();
  try { await api("POST", "/api/closed-days/", { date: $("closed-date").value, name: $("closed-name").value }); say(`Closed on ${$("closed-date").value}.`); }
  catch (error) { warn(error); }
  await loadClosedDays();
});

(async () => { if (await startSession()) await Promise.all([loadTherapists(), loadReferrers(), loadClosedDays()]); })().catch(warn);
