// Users: invite (Cognito e-mails a temporary password), disable or enable, grant or revoke IT admin.
import * as api from "../api.js";
import { button, field, guarded, h, statusBadge, submitter, table } from "../dom.js";

export async function usersView({ me }) {
  const list = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const users = await api.all("/users");
    list.replaceChildren(table("Users", [
      { label: "Name", value: (u) => `${u.firstName} ${u.lastName}` },
      { label: "E-mail", value: (u) => u.email },
      { label: "Status", value: (u) => statusBadge(u.status) },
      { label: "Roles", value: (u) => (u.roles.length ? u.roles.join(", ") : "—") },
      { label: "Actions", value: (u) => (u.id === me.id ? h("span", { class: "help" }, "you") : h("span", { class: "actions" },
        button(u.status === "ACTIVE" ? "Disable" : "Enable", guarded(slot, async () => {
          await api.patch(`/users/${u.id}`, { status: u.status === "ACTIVE" ? "INACTIVE" : "ACTIVE" }, u.etag);
          await reload();
        }), { class: u.status === "ACTIVE" ? "danger" : "secondary", "aria-label": `${u.status === "ACTIVE" ? "Disable" : "Enable"} ${u.email}` }),
        button(u.roles.includes("ITAdmin") ? "Revoke IT admin" : "Make IT admin", guarded(slot, async () => {
          await api.patch(`/users/${u.id}`, { roles: u.roles.includes("ITAdmin") ? [] : ["ITAdmin"] }, u.etag);
          await reload();
        }), { class: "secondary", "aria-label": `${u.roles.includes("ITAdmin") ? "Revoke IT admin from" : "Make IT admin:"} ${u.email}` }))) },
    ], users));
  };
  const form = h("form", { "aria-label": "Invite a user" },
    field("First name", h("input", { name: "firstName", required: true }), { name: "firstName" }),
    field("Last name", h("input", { name: "lastName", required: true }), { name: "lastName" }),
    field("E-mail", h("input", { type: "email", name: "email", required: true }), { name: "email" }),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "itAdmin", "data-field": "roles" }), "IT admin"),
    h("button", { type: "submit" }, "Invite"));
  submitter(form, async (data) => {
    await api.post("/users", { firstName: data.get("firstName"), lastName: data.get("lastName"), email: data.get("email"),
      roles: data.get("itAdmin") ? ["ITAdmin"] : [] }, api.idempotencyKey());
    form.reset();
    await reload();
  });
  await reload();
  return h("section", {}, h("h1", {}, "Users"),
    h("details", { class: "card" }, h("summary", {}, "Invite a user"), form), slot, list);
}
