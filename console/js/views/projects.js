// My projects, and the header and tabs every project screen shares.
import * as api from "../api.js";
import { h, table } from "../dom.js";

export function roleIn(me, projectId) {
  const membership = me.projects.find((p) => p.projectId === projectId);
  return membership ? membership.role : me.roles.includes("ITAdmin") ? "ITAdmin" : null;
}

export async function projectsView({ me }) {
  const projects = await api.all("/projects");
  return h("section", {},
    h("h1", {}, "My projects"),
    projects.length === 0 && h("p", { class: "notice" }, "You are not a member of any project yet. Ask a project admin to add you."),
    table("Projects", [
      { label: "Project", value: (p) => h("a", { href: `#/projects/${p.id}` }, p.name) },
      { label: "Description", value: (p) => p.description || "—" },
      { label: "My role", value: (p) => roleIn(me, p.id) || "—" },
      { label: "Open", value: (p) => h("span", { class: "actions" },
        h("a", { href: `#/projects/${p.id}` }, "Environments"), h("a", { href: `#/projects/${p.id}/datasets` }, "Datasets")) },
    ], projects));
}

/** The project's name, breadcrumbs and tabs (Members only for those who may manage them). */
export async function projectHeader(me, projectId, current, title) {
  const project = await api.get(`/projects/${projectId}`);
  const role = roleIn(me, projectId);
  const tabs = [["", "Environments"], ["/datasets", "Datasets"]];
  if (role === "ProjectAdmin" || role === "ITAdmin") tabs.push(["/members", "Members"]);
  return {
    project,
    role,
    node: h("div", {},
      h("p", { class: "crumbs" }, h("a", { href: "#/projects" }, "My projects"), " › ", project.name),
      h("h1", {}, title ? `${title} · ${project.name}` : project.name),
      project.description && h("p", { class: "help" }, project.description),
      h("nav", { class: "tabs", "aria-label": "Project" }, tabs.map(([suffix, label]) =>
        h("a", { href: `#/projects/${projectId}${suffix}`, "aria-current": suffix === current ? "page" : false }, label)))),
  };
}
