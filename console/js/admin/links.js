// Links: which configurations a project may launch. Pick a project to see and change its links.
import * as api from "../api.js";
import { button, field, guarded, h, submitter, table } from "../dom.js";

export async function linksView() {
  const [projects, types] = await Promise.all([api.all("/projects"), api.all("/environmentTypes", { status: "APPROVED" })]);
  const configs = Object.fromEntries(await Promise.all(types.map(async (t) =>
    [t.id, await api.all(`/environmentTypes/${t.id}/configurations`)])));
  const options = types.flatMap((t) => configs[t.id].map((c) => ({ type: t, config: c })));
  const projectSelect = h("select", { name: "projectId" }, projects.map((p) => h("option", { value: p.id }, p.name)));
  const list = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const projectId = projectSelect.value;
    if (!projectId) return;
    const linked = (await Promise.all(types.map(async (t) =>
      (await api.all(`/projects/${projectId}/environmentTypes/${t.id}/configurations`)).map((c) => ({ type: t, config: c }))))).flat();
    list.replaceChildren(table("Linked configurations", [
      { label: "Type", value: (l) => l.type.name },
      { label: "Configuration", value: (l) => l.config.name },
      { label: "Actions", value: (l) => button("Unlink", guarded(slot, async () => {
        await api.del(`/projects/${projectId}/environmentTypes/${l.type.id}/configurations/${l.config.id}/relationships`);
        await reload();
      }), { class: "danger", "aria-label": `Unlink ${l.config.name}` }) },
    ], linked));
  };
  projectSelect.addEventListener("change", guarded(slot, reload));
  const form = h("form", { "aria-label": "Link a configuration" },
    field("Configuration", h("select", { name: "link", required: true }, options.map((o, i) =>
      h("option", { value: String(i) }, `${o.type.name} · ${o.config.name}`))), { name: "link" }),
    h("button", { type: "submit" }, "Link to the project"));
  submitter(form, async (data) => {
    const chosen = options[Number(data.get("link"))];
    await api.put(`/projects/${projectSelect.value}/environmentTypes/${chosen.type.id}/configurations/${chosen.config.id}/relationships`);
    await reload();
  });
  await reload();
  return h("section", {}, h("h1", {}, "Links"),
    h("p", { class: "help" }, "Researchers of a project can launch only the configurations linked to it, of approved types."),
    field("Project", projectSelect), form, slot, list);
}
