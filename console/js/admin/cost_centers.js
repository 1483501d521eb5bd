// Cost centers: each bills one CURRENT hosting account; projects are created against them.
import * as api from "../api.js";
import { field, h, submitter, table } from "../dom.js";

export async function costCentersView() {
  const list = h("div", {});
  const accounts = await api.all("/awsAccounts");
  const reload = async () => {
    const centers = await api.all("/costCenters");
    list.replaceChildren(table("Cost centers", [
      { label: "Name", value: (c) => c.name },
      { label: "Description", value: (c) => c.description || "—" },
      { label: "Hosting account", value: (c) => (accounts.find((a) => a.id === c.accountId) || {}).name || c.awsAccountId },
    ], centers));
  };
  const form = h("form", { "aria-label": "Create a cost center" },
    field("Name", h("input", { name: "name", required: true, maxlength: 112 }), { name: "name" }),
    field("Description", h("input", { name: "description", maxlength: 400 }), { name: "description" }),
    field("Hosting account", h("select", { name: "accountId", required: true },
      accounts.map((a) => h("option", { value: a.id }, `${a.name} (${a.status})`))), { name: "accountId",
      help: "Only a CURRENT account can carry a cost center." }),
    h("button", { type: "submit" }, "Create cost center"));
  submitter(form, async (data) => {
    await api.post("/costCenters", Object.fromEntries(data.entries()), api.idempotencyKey());
    form.reset();
    await reload();
  });
  await reload();
  return h("section", {}, h("h1", {}, "Cost centers"), h("details", { class: "card" }, h("summary", {}, "Create a cost center"), form), list);
}
