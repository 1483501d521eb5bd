// Building the page without innerHTML: every value from the API becomes a text node, never markup.
import { asApiError } from "./problem.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let ids = 0;
export const uid = (prefix) => `${prefix}-${++ids}`;

/** The API's problem as the user reads it: title, detail, hint, and field errors no field showed. */
export function problemBox(error, unplaced = null) {
  const e = asApiError(error);
  const fields = unplaced || e.errors;
  return h("div", { class: "problem", role: "alert" },
    h("p", { class: "problem-title" }, e.title, e.status ? ` (${e.status})` : ""),
    e.detail && h("p", {}, e.detail),
    e.hint && h("p", { class: "hint" }, h("span", { class: "hint-label" }, "Hint: "), e.hint),
    fields.length > 0 && h("ul", {}, fields.map((f) => h("li", {}, `${f.field}: ${f.message}`))),
    e.requestId && h("p", { class: "request-id" }, `Request ${e.requestId}`));
}

/** A labelled control with a slot for its field error, announced through aria-describedby. */
export function field(label, control, { name, help } = {}) {
  control.id = control.id || uid("f");
  const errorId = `${control.id}-error`;
  const helpId = help ? `${control.id}-help` : null;
  if (name) control.dataset.field = name;
  control.setAttribute("aria-describedby", [helpId, errorId].filter(Boolean).join(" "));
  return h("div", { class: "field" },
    h("label", { for: control.id }, label), control,
    help && h("small", { id: helpId, class: "help" }, help),
    h("span", { id: errorId, class: "field-error", "aria-live": "polite" }));
}

/** Puts each field error beside its control; returns the errors that matched no control. */
export function showFieldErrors(form, errors) {
  form.querySelectorAll(".field-error").forEach((slot) => { slot.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((c) => c.removeAttribute("aria-invalid"));
  const unplaced = [];
  for (const error of errors) {
    const control = [...form.querySelectorAll("[data-field]")].find((c) => c.dataset.field === error.field);
    const slot = control && document.getElementById(`${control.id}-error`);
    if (!slot) { unplaced.push(error); continue; }
    control.setAttribute("aria-invalid", "true");
    slot.textContent = slot.textContent ? `${slot.textContent}; ${error.message}` : error.message;
  }
  return unplaced;
}

/** Runs a form's action: disables it while busy, shows field errors beside fields and the problem above. */
export function submitter(form, action) {
  const status = h("div", { class: "form-status" });
  form.prepend(status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    status.replaceChildren();
    showFieldErrors(form, []);
    if (button) button.disabled = true;
    try {
      await action(new FormData(form));
    } catch (error) {
      const e = asApiError(error);
      status.replaceChildren(problemBox(e, showFieldErrors(form, e.errors)));
      (form.querySelector("[aria-invalid]") || status).focus?.();
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

/** A table that becomes a list of cards on a narrow screen (each cell labelled by its column). */
export function table(caption, columns, rows) {
  if (rows.length === 0) return h("p", { class: "empty" }, `No ${caption.toLowerCase()} yet.`);
  return h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c) => h("td", { "data-label": c.label }, c.value(row)))))));
}

export function button(label, onclick, attrs = {}) {
  return h("button", { type: "button", onclick, ...attrs }, label);
}

export function statusBadge(status) {
  const tone = /FAILED|ERRORED/.test(status) ? "bad" : /ING$|PENDING|NEEDS_UPDATE/.test(status) ? "busy"
    : /COMPLETED|CURRENT|APPROVED|ACTIVE|AVAILABLE/.test(status) ? "good" : "neutral";
  return h("span", { class: `badge ${tone}` }, status);
}

/** An action button's handler that shows its problem in `slot` instead of failing silently. */
export function guarded(slot, action) {
  return async (event) => {
    const target = event && event.currentTarget;
    if (target) target.disabled = true;
    slot.replaceChildren();
    try { await action(event); } catch (error) { slot.replaceChildren(problemBox(error)); } finally {
      if (target && target.isConnected) target.disabled = false;
    }
  };
}

export function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = Number(n || 0);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
