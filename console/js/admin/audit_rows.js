// The audit table: one row per event (time, actor, action, resource, decision, status), each with a
// disclosure button that shows the event's details below it: method, ids, source and the masked changes.
import { h, uid, when } from "../dom.js";

const COLUMNS = ["Time", "Actor", "Action", "Resource", "Decision", "Status", "More"];
const TONES = { ALLOWED: "good", DENIED: "bad", FAILED: "bad", SYSTEM: "neutral" };

export function decisionBadge(decision) {
  return h("span", { class: `badge ${TONES[decision] || "neutral"}` }, decision);
}

/** An empty table whose body grows page by page (rows are appended, so open details stay open). */
export function auditTable() {
  const tbody = h("tbody", {});
  const node = h("table", { class: "audit" },
    h("caption", {}, "Audit events, newest first"),
    h("thead", {}, h("tr", {}, COLUMNS.map((label) => h("th", { scope: "col" }, label)))),
    tbody);
  return { node, tbody };
}

function details(event, names) {
  const facts = [
    ["Event", event.id],
    ["Time (UTC)", event.time],
    ["Actor id", event.actor],
    ["Method", event.method],
    ["Project", event.projectId && (names.project(event.projectId) || event.projectId)],
    ["Problem code", event.code],
    ["Request id", event.requestId],
    ["Source IP", event.sourceIp],
  ].filter(([, value]) => value);
  return h("div", { class: "audit-facts" },
    h("dl", { class: "params" }, facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, String(value))])),
    h("p", { class: "changes-label" }, "Changes", h("span", { class: "help" }, " (as recorded; credentials are masked as ***)")),
    event.changes
      ? h("pre", { class: "changes", tabindex: "0", "aria-label": `Changes of ${event.action}` },
        JSON.stringify(event.changes, null, 2))
      : h("p", { class: "help" }, "None recorded: the request had no body."));
}

/** The event's row and its (hidden) details row; `names.actor(id)` and `names.project(id)` give names. */
export function eventRows(event, names) {
  const detailId = uid("audit-detail");
  const detail = h("tr", { class: "audit-detail", id: detailId, hidden: true },
    h("td", { colspan: COLUMNS.length, "data-label": "Details" }, details(event, names)));
  const toggle = h("button", { type: "button", class: "secondary disclosure", "aria-expanded": "false",
    "aria-controls": detailId, "aria-label": `Details of ${event.action} at ${when(event.time)}` }, "Details");
  toggle.addEventListener("click", () => {
    const open = detail.hidden;
    detail.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  });
  const actor = event.actor === "system" ? "system" : names.actor(event.actor) || event.actor;
  const cells = [
    h("time", { datetime: event.time }, when(event.time)),
    actor,
    h("code", {}, event.action),
    h("span", { class: "resource" }, event.resource),
    decisionBadge(event.decision),
    event.status ? String(event.status) : "—",
    toggle,
  ];
  const row = h("tr", { dataset: { auditEvent: event.id } },
    cells.map((cell, i) => h("td", { "data-label": COLUMNS[i] }, cell)));
  return [row, detail];
}
