// The personal keys page: make, list and revoke the signed-in person's own API keys (api() from session.js).
"use strict";

const when = iso => iso ? new Date(iso).toLocaleString("en-GB", { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "short" }) : "never";

async function loadKeys() {
  const keys = await api("GET", "/api/keys/");
  $("keys").replaceChildren(...(keys.length ? keys.map(k => {
    const li = document.createElement("li");
    const state = k.revokedAt ? `revoked ${when(k.revokedAt)}` : `works until ${when(k.expiresAt)}`;
    li.textContent = `${k.label} (${k.roles.join(", ")}) – made ${when(k.createdAt)}, ${state} `;
    if (!k.revokedAt) {
      const revoke = Object.assign(document.createElement("button"), { type: "button", textContent: "Revoke" });
      revoke.setAttribute("aria-label", `Revoke ${k.label}`);
      revoke.addEventListener("click", async () => {
        try { await api("POST", `/api/keys/${k.id}/revoke`); say(`${k.label} revoked.`); } catch (error) { warn(error.message); }
        await loadKeys();
      });
      li.append(revoke);
    }
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: "None yet." })]));
}

$("new-key").addEventListener("submit", async event => {
  event.preventDefault();
  try {
    const made = await api("POST", "/api/keys/", { label: $("label").value, days: Number($("days").value) });
    $("made-key").textContent = made.key;
    $("made").hidden = false;
    $("label").value = "";
    say(`Key "${made.label}" made.`);
  } catch (error) {
    warn(error);
  }
  await loadKeys();
});

(async () => { if (await startSession()) await loadKeys(); })().catch(error => warn(error.message));
