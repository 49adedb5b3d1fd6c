// The journey recorder, offline first. A saved step goes to the phone (IndexedDB) at once and
// is shown as waiting to be sent; it is then sent to the API with the id the page made for
// it, so that a step sent twice (an answer lost on a bad connection) is saved once, and with
// the journey's version as this phone last saw it, so that a journey changed on the server
// meanwhile is shown to the officer instead of being added to unseen (412). Sent when the
// connection returns, every half minute while steps wait, and on "Send now".
// Without JavaScript the form posts to the page as it always did (services/views.py).
import { openDB } from "../idb.js";
import "./offline.js";

const form = document.querySelector("form[data-recorder]");
const setup = JSON.parse(document.getElementById("recorder-setup").textContent);
const T = setup.text;
const statusBox = document.getElementById("recorder-status");
const outbox = document.getElementById("recorder-outbox");
const waitingList = document.getElementById("waiting-steps");
const conflict = document.getElementById("recorder-conflict");
const heading = document.getElementById("step-heading");
const RETRY_MS = 30000;
let waitingNow = 0; // Steps not yet sent, as last drawn.

const db = openDB("innohub-recorder", 1, {
  upgrade(database) {
    const steps = database.createObjectStore("steps", { keyPath: "client_id" });
    steps.createIndex("journey", ["user", "journey", "seq"]);
    database.createObjectStore("journeys", { keyPath: ["user", "journey"] });
  },
});
const mine = IDBKeyRange.bound([setup.user, setup.journey, 0], [setup.user, setup.journey, Infinity]);

// Numbers as the page's language writes them (Bangla digits on a Bangla page), as the
// server's `figure` does.
const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "en");

// Django's named placeholders, `%(number)s` and `%(number)d`, filled in; numbers localised.
function fill(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, (whole, key) => {
    if (!(key in values)) return whole;
    return typeof values[key] === "number" ? numberFormat.format(values[key]) : String(values[key]);
  });
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// --- The phone's copy ---------------------------------------------------------------------

async function stored() {
  return (await db).getAllFromIndex("steps", "journey", mine);
}

async function knownVersion() {
  const row = await (await db).get("journeys", [setup.user, setup.journey]);
  // Versions grow with every change: the newer of the page's and the last answer's.
  return row && Number(row.version) > Number(setup.version) ? row.version : setup.version;
}

async function rememberVersion(etag) {
  const version = (etag || "").replace(/^W\//, "").replaceAll('"', "");
  if (!version || Number(version) < Number(await knownVersion())) return;
  await (await db).put("journeys", { user: setup.user, journey: setup.journey, version });
}

function onServer() {
  return new Set([...document.querySelectorAll("#recorded-steps [data-client-id]")].map((li) => li.dataset.clientId));
}

// --- What the officer sees ----------------------------------------------------------------

function say(text) {
  statusBox.textContent = text;
  statusBox.hidden = !text;
}

// A step's action (Change, Remove), drawn as the server's list draws its links; its
// accessible name says which step.
function button(label, onClick, title) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "innohub-link-button govuk-!-margin-left-2";
  b.textContent = label;
  b.setAttribute("aria-label", `${label}: ${title}`);
  b.addEventListener("click", onClick);
  return b;
}

const TAGS = {
  waiting: ["govuk-tag--yellow", "waiting"],
  sending: ["govuk-tag--blue", "sending"],
  sent: ["govuk-tag--green", "sent"],
  refused: ["govuk-tag--red", "refused"],
};

// One step kept on the phone, as listed under "Steps on this phone".
function itemFor(record) {
  const li = document.createElement("li");
  li.dataset.clientId = record.client_id;
  li.dataset.state = record.state;
  const [colour, word] = TAGS[record.state] || TAGS.waiting;
  const tag = document.createElement("strong");
  tag.className = `govuk-tag ${colour} govuk-!-margin-left-2`;
  tag.textContent = T[word];
  li.append(record.payload.title, tag);
  if (record.state === "refused") {
    const why = document.createElement("p");
    why.className = "govuk-error-message";
    why.textContent = fill(T.refused_reason, { reason: record.reason || "" });
    li.append(why, button(T.change, () => change(record), record.payload.title));
  }
  if (record.state !== "sent") li.append(button(T.remove, () => remove(record), record.payload.title));
  return li;
}

function serverCount() {
  return document.querySelectorAll("#recorded-steps > li").length;
}

function showCounts(kept, waiting) {
  outbox.hidden = kept === 0;
  heading.textContent = fill(T.step, { number: serverCount() + kept + 1 });
  document.getElementById("recorder-send").hidden = waiting === 0;
  waitingNow = waiting;
}

async function render() {
  const server = onServer();
  const records = (await stored()).filter((r) => !(r.state === "sent" && server.has(r.client_id)));
  waitingList.start = serverCount() + 1;
  waitingList.replaceChildren(...records.map(itemFor));
  const waiting = records.filter((r) => r.state !== "sent").length;
  showCounts(records.length, waiting);
  return waiting;
}

// A step just saved: added to the list as it is, without reading the phone's store again
// (the save stays quick while steps are being sent).
function showSaved(record) {
  const item = itemFor(record);
  const old = [...waitingList.children].find((li) => li.dataset.clientId === record.client_id);
  if (old) old.replaceWith(item);
  else waitingList.append(item);
  waitingList.start = serverCount() + 1;
  const items = [...waitingList.children];
  showCounts(items.length, items.filter((li) => li.dataset.state !== "sent").length);
  return waitingList.start + items.indexOf(item);
}

async function remove(record) {
  await (await db).delete("steps", record.client_id);
  await render();
}

// --- The form -----------------------------------------------------------------------------

const BANGLA_DIGITS = /[০-৯]/g;

function value(name) {
  const field = form.elements.namedItem(name);
  return field ? field.value.trim() : "";
}

// The checks a step passes before it waits on the phone: the form's own (services/forms.py),
// so that what the server would refuse at once is said now; the server still decides.
function read() {
  const errors = [];
  const payload = { title: value("title"), office: value("office"), actor: value("actor") };
  for (const [name, check] of Object.entries(setup.checks)) {
    let raw = value(name).replace(BANGLA_DIGITS, (d) => String(d.charCodeAt(0) - 0x09e6));
    if (check.kind === "text") {
      if (!raw) errors.push([name, check.label, check.required]);
      continue;
    }
    raw = raw.replace(/\s/g, "");
    const pattern = check.kind === "integer" ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/;
    if (!raw) errors.push([name, check.label, check.required]);
    else if (!pattern.test(raw)) errors.push([name, check.label, check.invalid]);
    else if (Number(raw) < 0) errors.push([name, check.label, check.min_value]);
    else if (Number(raw) > Number(check.max)) errors.push([name, check.label, check.max_value]);
    else payload[name] = check.kind === "integer" ? Number(raw) : raw;
  }
  for (const [category, description] of setup.pain_slots) {
    if (value(description) && !value(category)) errors.push([category, labelOf(category), setup.pain_kind_needed]);
  }
  if (!errors.length && !confirmed()) errors.push(...unusual(payload));
  payload.pain_points = setup.pain_slots
    .map(([category, description]) => ({ category: value(category), description: value(description) }))
    .filter((pain) => pain.category);
  try {
    payload.pain_points.push(...JSON.parse(value("more_pain_points") || "[]").map(([category, description]) => ({ category, description })));
  } catch {
    // Nothing beyond the form's pain points.
  }
  return { payload, errors };
}

function labelOf(name) {
  const input = form.elements.namedItem(name);
  return input?.labels?.[0]?.textContent.trim() || name;
}

// Values allowed but unusual (services/second_look.py): asked about once, saved when the box
// "I have checked: these values are right" is ticked, as the page does without JavaScript.
function unusual(payload) {
  const look = setup.second_look;
  const found = [];
  const add = (name, values) => found.push([name, setup.checks[name].label, fill(look.messages[name], values)]);
  const days = Number(payload.elapsed_days);
  const hours = Number(payload.citizen_hours);
  if (days > Number(look.days)) add("elapsed_days", { days: payload.elapsed_days });
  if (hours > Math.max(days, 1) * Number(look.hours_a_day)) add("citizen_hours", { hours: payload.citizen_hours });
  for (const name of ["fees", "travel_cost", "other_cost"]) {
    if (Number(payload[name]) > Number(look.amount)) add(name, { amount: payload[name] });
  }
  if (payload.visits > look.visits) add("visits", { visits: payload.visits });
  if (payload.documents > look.documents) add("documents", { documents: payload.documents });
  if (found.length) askToConfirm();
  return found;
}

function confirmed() {
  return document.getElementById("recorder-confirm")?.checked === true;
}

function askToConfirm() {
  if (document.getElementById("recorder-confirm")) return;
  const group = document.createElement("div");
  group.className = "govuk-form-group";
  group.dataset.recorderConfirm = "";
  group.innerHTML =
    '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">' +
    '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="recorder-confirm" type="checkbox">' +
    '<label class="govuk-label govuk-checkboxes__label" for="recorder-confirm"></label></div></div>';
  group.querySelector("label").textContent = setup.second_look.confirm;
  form.querySelector("button[type=submit]").before(group);
}

function clearErrors() {
  document.querySelector("[data-recorder-errors]")?.remove();
  for (const message of form.querySelectorAll("[data-recorder-error]")) message.remove();
  for (const group of form.querySelectorAll(".govuk-form-group--error")) group.classList.remove("govuk-form-group--error");
  for (const input of form.querySelectorAll(".govuk-input--error, .govuk-select--error")) {
    input.classList.remove("govuk-input--error", "govuk-select--error");
  }
}

// GOV.UK's error summary and messages, as the page draws them without JavaScript.
function showErrors(errors) {
  const summary = document.createElement("div");
  summary.className = "govuk-error-summary";
  summary.dataset.recorderErrors = "";
  summary.tabIndex = -1;
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const title = document.createElement("h2");
  title.className = "govuk-error-summary__title";
  title.textContent = T.problem;
  const list = document.createElement("ul");
  list.className = "govuk-list govuk-error-summary__list";
  for (const [name, label, message] of errors) {
    const input = form.elements.namedItem(name);
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `#${input.id}`;
    a.textContent = fill(T.label_error, { label, error: message });
    li.append(a);
    list.append(li);
    const group = input.closest(".govuk-form-group");
    group?.classList.add("govuk-form-group--error");
    input.classList.add(input.tagName === "SELECT" ? "govuk-select--error" : "govuk-input--error");
    const p = document.createElement("p");
    p.className = "govuk-error-message";
    p.dataset.recorderError = "";
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = `${T.error_prefix} `;
    p.append(hidden, message);
    input.before(p);
  }
  const body = document.createElement("div");
  body.className = "govuk-error-summary__body";
  body.append(list);
  alert.append(title, body);
  summary.append(alert);
  heading.after(summary);
  summary.focus();
}

let editing = null; // A refused step brought back into the form keeps its place.
let lastKept = null; // The step saved last, named again once it is sent ("Step 4 saved.").

function change(record) {
  editing = record;
  for (const [name, field] of Object.entries({ ...record.payload })) {
    const input = form.elements.namedItem(name);
    if (input && name !== "pain_points") input.value = field;
  }
  setup.pain_slots.forEach(([category, description], index) => {
    const pain = record.payload.pain_points[index];
    form.elements.namedItem(category).value = pain ? pain.category : "";
    form.elements.namedItem(description).value = pain ? pain.description : "";
  });
  form.elements.namedItem("client_id").value = record.client_id;
  say(T.changing);
  form.elements.namedItem("title").focus();
}

function reset() {
  // Office and who acts usually stay the same from one step to the next: kept.
  for (const element of form.elements) {
    if (!element.name || ["office", "actor", "csrfmiddlewaretoken"].includes(element.name)) continue;
    if (element.type === "hidden") continue;
    element.value = setup.numbers.includes(element.name) ? "0" : "";
  }
  form.elements.namedItem("client_id").value = newId();
  form.elements.namedItem("more_pain_points").value = "";
  document.querySelector("[data-recorder-confirm]")?.remove();
  editing = null;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  performance.mark("recorder-save-start");
  clearErrors();
  // The message of the page's last action ("Journey started") is old news now.
  for (const banner of document.querySelectorAll(".govuk-notification-banner--success")) banner.remove();
  const { payload, errors } = read();
  if (errors.length) {
    showErrors(errors);
    return;
  }
  const clientId = value("client_id") || newId();
  const record = {
    client_id: clientId,
    user: setup.user,
    journey: setup.journey,
    seq: editing ? editing.seq : Date.now(),
    payload,
    state: "waiting",
    force: editing ? editing.force : false,
  };
  await (await db).put("steps", record);
  if (redrawTimer) redrawSoon(); // Still typing: the page is drawn again after the pause.
  reset();
  lastKept = { clientId, number: showSaved(record) };
  say(fill(T.kept, lastKept));
  performance.measure("recorder-save", "recorder-save-start");
  form.elements.namedItem("title").focus();
  if (navigator.onLine) sync();
});

// --- Sending ------------------------------------------------------------------------------

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : value("csrfmiddlewaretoken");
}

async function send(record) {
  const headers = {
    "Content-Type": "application/json",
    "X-CSRFToken": csrfToken(),
    Prefer: "return=minimal",
  };
  if (!record.force) headers["If-Match"] = `"${await knownVersion()}"`;
  return fetch(setup.api, {
    method: "POST",
    credentials: "same-origin",
    headers,
    body: JSON.stringify({ ...record.payload, client_id: record.client_id }),
  });
}

async function setState(record, state, extra = {}) {
  Object.assign(record, { state }, extra);
  await (await db).put("steps", record);
}

// Each waiting step in turn, in the order recorded; stops at the first that cannot go (its
// place in the journey matters), saying why.
async function run() {
  let sent = 0;
  conflict.hidden = true;
  for (const record of await stored()) {
    if (record.state === "sent") continue;
    if (record.state === "refused") break;
    await setState(record, "sending");
    await render();
    let response;
    try {
      response = await send(record);
    } catch {
      await setState(record, "waiting");
      say(T.offline);
      break;
    }
    if (response.ok) {
      await rememberVersion(response.headers.get("ETag"));
      await setState(record, "sent");
      await render();
      sent += 1;
      continue;
    }
    await setState(record, "waiting");
    if (response.status === 412) {
      conflict.hidden = false;
      say("");
      conflict.scrollIntoView?.({ block: "nearest" });
    } else if (response.status === 422) {
      const body = await response.json().catch(() => ({ errors: [] }));
      const reason = (body.errors || []).map((e) => e.message).join(" ") || body.detail || "";
      await setState(record, "refused", { reason });
    } else if (response.status === 401 || response.status === 403) {
      say(T.signed_out);
    } else if (response.status === 404) {
      say(T.gone);
    } else {
      say(T.trouble);
    }
    break;
  }
  if (sent) redrawSoon();
  const waiting = await render();
  const sentLast = lastKept && !(await (await db).get("steps", lastKept.clientId))?.state?.match(/waiting|refused/);
  if (!waiting && sent && sentLast) say(fill(T.saved, lastKept));
  else if (!waiting && sent) say(T.all_sent);
  else if (waiting && !navigator.onLine) say(`${T.offline} ${fill(T.waiting_count, { count: waiting })}`);
}

// One sending at a time; a step saved meanwhile is sent right after.
let running = null;
let again = false;
function sync() {
  if (running) {
    again = true;
    return running;
  }
  running = run().finally(() => {
    running = null;
    if (again) {
      again = false;
      sync();
    }
  });
  return running;
}

// Drawn again once the officer pauses: while steps are typed one after another, each save
// stays quick and the page is fetched once, not once a step.
const REDRAW_AFTER_MS = 2500;
let redrawTimer = null;
function redrawSoon() {
  clearTimeout(redrawTimer);
  redrawTimer = setTimeout(async () => {
    if (running) return redrawSoon();
    await redraw();
    await render();
  }, REDRAW_AFTER_MS);
}

// The journey as the server now has it (the steps so far, their TCV, whether it may be
// finished): this page drawn again, its journey part put in place of the old one. Through
// the worker, which keeps the fresh page for the next time the phone is offline.
async function redraw() {
  try {
    const response = await fetch(location.href, { credentials: "same-origin" });
    if (!response.ok || response.redirected) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("recorder-journey");
    const freshSetup = page.getElementById("recorder-setup");
    if (!fresh || !freshSetup) return;
    document.getElementById("recorder-journey").replaceWith(document.adoptNode(fresh));
    await rememberVersion(JSON.parse(freshSetup.textContent).version);
    // Steps now drawn from the server are no longer the phone's to keep.
    const server = onServer();
    const database = await db;
    for (const record of await stored()) {
      if (record.state === "sent" && server.has(record.client_id)) await database.delete("steps", record.client_id);
    }
  } catch {
    // Offline again: the steps stay marked as sent until the page is drawn afresh.
  }
}

// Finishing waits for the steps on the phone: a journey finished without them would count
// in the figures without its last steps.
document.addEventListener("submit", async (event) => {
  const finish = event.target.closest("form[data-finish]");
  // Nothing waiting: the form goes as it is (the browser's own submit, no detour).
  if (!finish || finish.dataset.checked || waitingNow === 0) return;
  event.preventDefault();
  await sync();
  const waiting = await render();
  if (waiting) {
    say(`${T.finish_waiting} ${fill(T.waiting_count, { count: waiting })}`);
    return;
  }
  finish.dataset.checked = "yes";
  finish.requestSubmit();
});

document.getElementById("recorder-send").addEventListener("click", () => sync());
document.getElementById("recorder-add-anyway").addEventListener("click", async () => {
  // The officer has seen the change and adds the waiting steps after the server's.
  for (const record of await stored()) {
    if (record.state === "waiting") await setState(record, "waiting", { force: true });
  }
  conflict.hidden = true;
  sync();
});
window.addEventListener("online", () => sync());
window.addEventListener("offline", async () => {
  const waiting = await render();
  say(waiting ? `${T.offline} ${fill(T.waiting_count, { count: waiting })}` : T.offline);
});
setInterval(async () => {
  if (navigator.onLine && (await render())) sync();
}, RETRY_MS);

form.elements.namedItem("client_id").value ||= newId();
document.body.dataset.recorder = "ready";
(async () => {
  // Steps left "sending" by a page closed mid-way wait again: sent again, they are saved once.
  for (const record of await stored()) {
    if (record.state === "sending") await setState(record, "waiting");
  }
  const waiting = await render();
  if (waiting && navigator.onLine) sync();
  else if (waiting) say(`${T.offline} ${fill(T.waiting_count, { count: waiting })}`);
  else if (!navigator.onLine) say(T.offline);
  document.body.dataset.recorder = "started";
})();
