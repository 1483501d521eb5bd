// Environment types imported from the Service Catalog portfolio: approve or revoke, import new versions.
import * as api from "../api.js";
import { button, guarded, h, statusBadge, table } from "../dom.js";

export async function typesView() {
  const list = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const types = await api.all("/environmentTypes");
    list.replaceChildren(table("Environment types", [
      { label: "Name", value: (t) => h("span", {}, h("strong", {}, t.name), t.description && h("div", { class: "help" }, t.description)) },
      { label: "Product", value: (t) => t.productName },
      { label: "Status", value: (t) => statusBadge(t.status) },
      { label: "Actions", value: (t) => h("span", { class: "actions" },
        button(t.status === "APPROVED" ? "Revoke approval" : "Approve", guarded(slot, async () => {
          await api.patch(`/environmentTypes/${t.id}`, { status: t.status === "APPROVED" ? "NOT_APPROVED" : "APPROVED" }, t.etag);
          await reload();
        }), { class: t.status === "APPROVED" ? "secondary" : "", "aria-label": `${t.status === "APPROVED" ? "Revoke approval of" : "Approve"} ${t.name}` }),
        h("a", { href: `#/admin/types/${t.id}`, "aria-label": `Configurations of ${t.name}` }, "Configurations")) },
    ], types));
  };
  await reload();
  return h("section", {}, h("h1", {}, "Environment types"),
    h("div", { class: "toolbar" }, button("Import from the catalog now", guarded(slot, async () => {
      const result = await api.post("/environmentTypes/sync");
      slot.replaceChildren(h("p", { class: "notice" }, `Imported ${result.imported.length}; ${result.unchanged} unchanged.`));
      await reload();
    }), { class: "secondary" })),
    slot, list);
}
