// Every project (IT admins): create against a cost center; members are managed on each project's page.
import * as api from "../api.js";
import { field, h, submitter, table } from "../dom.js";

export async function adminProjectsView() {
  const list = h("div", {});
  const centers = await api.all("/costCenters");
  const reload = async () => {
    const projects = await api.all("/projects");
    list.replaceChildren(table("Projects", [
      { label: "Name", value: (p) => h("a", { href: `#/projects/${p.id}` }, p.name) },
      { label: "Description", value: (p) => p.description || "—" },
      { label: "Cost center", value: (p) => (centers.find((c) => c.id === p.costCenterId) || {}).name || p.costCenterId },
      { label: "Members", value: (p) => h("a", { href: `#/projects/${p.id}/members`, "aria-label": `Members of ${p.name}` }, "Members") },
    ], projects));
  };
  const form = h("form", { "aria-label": "Create a project" },
    field("Name", h("input", { name: "name", required: true, maxlength: 112 }), { name: "name" }),
    field("Description", h("input", { name: "description", maxlength: 400 }), { name: "description" }),
    field("Cost center", h("select", { name: "costCenterId", required: true },
      centers.map((c) => h("option", { value: c.id }, c.name))), { name: "costCenterId" }),
    h("button", { type: "submit" }, "Create project"));
  submitter(form, async (data) => {
    await api.post("/projects", Object.fromEntries(data.entries()), api.idempotencyKey());
    form.reset();
    await reload();
  });
  await reload();
  return h("section", {}, h("h1", {}, "Projects"), h("details", { class: "card" }, h("summary", {}, "Create a project"), form), list);
}
