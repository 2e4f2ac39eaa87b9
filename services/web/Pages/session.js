// The signed-in session the staff pages share: who is signed in, the api() every page calls (a change carries the
// page's antiforgery token), and sign-out. The session itself is an HttpOnly cookie that no script can read.
"use strict";

const $ = id => document.getElementById(id);
const session = { name: "", roles: [], token: "", header: "" };

/** To the provider's sign-in and back to this page (it returns at once while the provider still knows the person). */
function signIn() { location.assign(`/account/sign-in?returnUrl=${encodeURIComponent(location.pathname + location.search)}`); }

async function api(method, path, body) {
  const headers = body ? { "Content-Type": "application/json" } : {};
  if (method !== "GET") headers[session.header] = session.token;
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined, credentials: "same-origin" });
  if (response.status === 401) { signIn(); throw new Error("Signing in again."); }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(data?.detail || data?.title || `Request failed (${response.status})`);
    error.status = response.status;
    error.problem = data;
    throw error;
  }
  return data;
}

/** Says what was done, in the page's status line. */
function say(message) { $("status").textContent = message; $("alert").hidden = true; }

/** Shows what went wrong — a message, or an error from api() with each field's problem — in the page's alert. */
function warn(error) {
  const fields = error?.problem?.errors ? " " + Object.values(error.problem.errors).flat().join(" ") : "";
  $("alert").textContent = `${error?.message ?? error}${fields}`;
  $("alert").hidden = false;
}

/** Whether the signed-in person holds <role>. */
const can = role => session.roles.includes(role);

/** Shows each element marked data-role="role …" only to a person holding one of those roles. */
function showForRoles() {
  for (const element of document.querySelectorAll("[data-role]")) element.hidden = !element.dataset.role.split(" ").some(can);
}

/** The header's "who is signed in" and its sign-out form, a post with the page's antiforgery token. */
function signOutForm() {
  const form = Object.assign(document.createElement("form"), { id: "sign-out", method: "post", action: "/account/sign-out" });
  form.append(
    Object.assign(document.createElement("span"), { id: "signed-in-as", textContent: `${session.name} (${session.roles.join(", ").replaceAll("-", " ")})` }),
    Object.assign(document.createElement("input"), { type: "hidden", name: "__RequestVerificationToken", value: session.token }),
    Object.assign(document.createElement("button"), { type: "submit", textContent: "Sign out" }));
  return form;
}

/** Reads who is signed in and adds the header's sign-out form; false (and off to sign in) when nobody is. */
async function startSession() {
  const response = await fetch("/account/session", { credentials: "same-origin" });
  if (response.status === 401) { signIn(); return false; }
  const data = await response.json();
  Object.assign(session, { name: data.name, roles: data.roles, token: data.antiforgeryToken, header: data.antiforgeryHeader });
  $("staff-nav").append(signOutForm());
  showForRoles();
  return true;
}
