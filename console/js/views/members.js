// A project's members (project admins and IT admins): add by e-mail with a role, remove.
import * as api from "../api.js";
import { button, field, guarded, h, submitter, table } from "../dom.js";
import { projectHeader } from "./projects.js";

export async function membersView({ me, params }) {
  const { projectId } = params;
  const header = await projectHeader(me, projectId, "/members", "Members");
  const list = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const members = await api.all(`/projects/${projectId}/users`);
    list.replaceChildren(table("Members", [
      { label: "Name", value: (m) => `${m.firstName} ${m.lastName}` },
      { label: "E-mail", value: (m) => m.email },
      { label: "Role", value: (m) => m.role },
      { label: "Status", value: (m) => m.status },
      { label: "Actions", value: (m) => button("Remove", guarded(slot, async () => {
        await api.del(`/projects/${projectId}/users/${m.id}/relationships`);
        await reload();
      }), { class: "danger", "aria-label": `Remove ${m.email}` }) },
    ], members));
  };
  const form = h("form", { "aria-label": "Add a member" },
    field("E-mail", h("input", { type: "email", name: "email", required: true }), { name: "email" }),
    field("Role", h("select", { name: "role" }, h("option", { value: "Researcher" }, "Researcher"),
      h("option", { value: "ProjectAdmin" }, "Project admin")), { name: "role" }),
    h("button", { type: "submit" }, "Add member"));
  submitter(form, async (data) => {
    const found = await api.get("/users", { email: data.get("email") }).catch(() => null)
      || { data: (await api.all("/users")).filter((u) => u.email === data.get("email")) };
    const user = found.data && found.data[0];
    if (!user) {
      throw Object.assign(new Error("no such user"), { title: "No user with that e-mail",
        errors: [{ field: "email", message: "no workbench user has this e-mail" }], hint: "An IT admin invites new users first." });
    }
    await api.post(`/projects/${projectId}/users/${user.id}/relationships`, { role: data.get("role") });
    form.reset();
    await reload();
  });
  await reload();
  return h("section", {}, header.node, h("details", { class: "card" }, h("summary", {}, "Add a member"), form), slot, list);
}
