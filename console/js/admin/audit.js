// Audit events: who did what, when, on which resource, and what the workbench decided; newest first,
// a page at a time. IT admins read the whole trail; a project admin reads the trail of a project they
// administer (the API insists on ?projectId= for them, so their project picker has no "all projects").
import * as api from "../api.js";
import { button, field, guarded, h, problemBox, submitter, uid } from "../dom.js";
import { auditTable, eventRows } from "./audit_rows.js";

const PAGE_SIZE = 25;
const isItAdmin = (me) => me.roles.includes("ITAdmin");
const administered = (me) => me.projects.filter((p) => p.role === "ProjectAdmin").map((p) => p.projectId);

/** Who gets the screen: IT admins, and project admins (for their own projects). */
export function canReadAudit(me) {
  return isItAdmin(me) || administered(me).length > 0;
}

/** The people whose names the table shows: every user for IT admins, the members of their projects otherwise. */
async function people(me, projectIds) {
  if (isItAdmin(me)) return api.all("/users");
  const lists = await Promise.all(projectIds.map((id) => api.all(`/projects/${id}/users`)));
  return [...new Map(lists.flat().map((u) => [u.id, u])).values()];
}

/** The form's filters as the API's query: trimmed text, and local date-times as UTC ISO 8601 with Z. */
function filters(data) {
  const query = {};
  for (const name of ["actor", "projectId", "action"]) {
    const value = String(data.get(name) || "").trim();
    if (value) query[name] = value;
  }
  const errors = [];
  for (const name of ["since", "until"]) {
    const value = data.get(name);
    if (!value) continue;
    const instant = new Date(value);
    if (Number.isNaN(instant.getTime())) errors.push({ field: name, message: "not a date and time" });
    else query[name] = instant.toISOString();
  }
  if (query.since && query.until && query.since > query.until) {
    errors.push({ field: "until", message: "is before Since" });
  }
  if (errors.length) {
    throw Object.assign(new Error("bad filters"), { title: "These filters cannot be applied", errors,
      detail: "Since and Until are dates and times in your time zone; Since comes first.",
      hint: "Correct the fields marked below, or clear them to see every time." });
  }
  return query;
}

export async function auditView({ me }) {
  const itAdmin = isItAdmin(me);
  const mine = administered(me);
  const allProjects = await api.all("/projects");
  const projects = itAdmin ? allProjects
    : mine.map((id) => allProjects.find((p) => p.id === id) || { id, name: id });
  const users = await people(me, projects.map((p) => p.id));
  const names = {
    actor: (id) => { const u = users.find((x) => x.id === id); return u && `${u.firstName} ${u.lastName}`; },
    project: (id) => (projects.find((p) => p.id === id) || {}).name,
  };

  const actorsId = uid("actors");
  const actionsId = uid("actions");
  const actions = h("datalist", { id: actionsId });
  const seenActions = new Set();
  const projectSelect = h("select", { name: "projectId" },
    itAdmin && h("option", { value: "" }, "All projects"),
    projects.map((p) => h("option", { value: p.id }, p.name)));
  const form = h("form", { class: "filters", "aria-label": "Filter audit events" },
    field("Actor", h("input", { name: "actor", list: actorsId, autocomplete: "off", spellcheck: "false" }),
      { name: "actor", help: "A user (their id), or system" }),
    field("Project", projectSelect, { name: "projectId",
      help: itAdmin ? "Events about one project, or all" : "A project you administer" }),
    field("Action", h("input", { name: "action", list: actionsId, autocomplete: "off", spellcheck: "false" }),
      { name: "action", help: "Exact, e.g. project:update" }),
    field("Since", h("input", { type: "datetime-local", name: "since", step: "1" }), { name: "since", help: "Your local time" }),
    field("Until", h("input", { type: "datetime-local", name: "until", step: "1" }), { name: "until", help: "Your local time" }),
    h("div", { class: "actions" },
      h("button", { type: "submit" }, "Apply filters"),
      h("button", { type: "reset", class: "secondary" }, "Clear filters")),
    h("datalist", { id: actorsId }, h("option", { value: "system" }, "system"),
      users.map((u) => h("option", { value: u.id }, `${u.firstName} ${u.lastName} · ${u.email}`))),
    actions);

  const summary = h("p", { class: "help", role: "status" });
  const slot = h("div", {});
  const results = h("div", {});
  const moreSlot = h("div", { class: "toolbar" });
  let query = {};
  let token = null;
  let shown = 0;

  const LABELS = { actor: "actor", projectId: "project", action: "action", since: "since", until: "until" };
  const described = () => {
    const parts = Object.entries(query).map(([key, value]) => `${LABELS[key]} ${key === "projectId"
      ? names.project(value) || value : key === "actor" ? names.actor(value) || value : value}`);
    return parts.length ? ` with ${parts.join(", ")}` : "";
  };
  const show = (page, append) => {
    let table = results.querySelector("table");
    if (!append || !table) {
      const fresh = auditTable();
      results.replaceChildren(page.data.length ? fresh.node : h("p", { class: "empty" }, "No audit events match these filters."));
      table = fresh.node;
      shown = 0;
    }
    const tbody = table.querySelector("tbody");
    const added = page.data.map((event) => eventRows(event, names));
    added.forEach((rows) => tbody.append(...rows));
    page.data.forEach((event) => {
      if (!seenActions.has(event.action)) { seenActions.add(event.action); actions.append(h("option", { value: event.action })); }
    });
    shown += page.data.length;
    token = page.paginationToken || null;
    summary.textContent = shown ? `Showing ${shown} event${shown === 1 ? "" : "s"}${described()}${token ? "; more are available" : ""}.` : "";
    moreSlot.replaceChildren(token ? more : "");
    return added;
  };
  const load = async (append) => show(await api.get("/auditEvents", { ...query, pageSize: PAGE_SIZE,
    paginationToken: append ? token : undefined }), append);
  const more = button("More events", guarded(slot, async () => {
    const added = await load(true);
    if (!token && added.length) added[0][0].querySelector("button").focus();  // the button left: keep the place
  }), { class: "secondary" });

  submitter(form, async (data) => {
    slot.replaceChildren();
    query = filters(data);
    await load(false);
  });
  form.addEventListener("reset", () => {
    // Once the reset has put the defaults back (a project admin keeps a project: the API needs one), show them.
    setTimeout(() => { if (!itAdmin) projectSelect.value = projects[0].id; form.requestSubmit(); }, 0);
  });

  query = itAdmin ? {} : { projectId: projects[0].id };
  try { await load(false); } catch (error) { slot.replaceChildren(problemBox(error)); }

  return h("section", {}, h("h1", {}, "Audit events"),
    h("p", { class: "help" }, itAdmin
      ? "Every change made through the API, every refusal and every system change, newest first."
      : "Changes, refusals and system changes in the projects you administer, newest first."),
    h("details", { class: "card", open: true }, h("summary", {}, "Filters"), form),
    slot, summary, results, moreSlot);
}
