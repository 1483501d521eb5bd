// A type's configurations: one input per template parameter (a choice where the template lists
// allowed values); the API validates them as the template does and its field errors show beside each input.
import * as api from "../api.js";
import { button, field, guarded, h, submitter, table } from "../dom.js";

function paramControl(param) {
  if (param.allowedValues && param.allowedValues.length) {
    return h("select", { name: `param:${param.key}` }, param.allowedValues.map((v) =>
      h("option", { value: v, selected: v === param.default }, v)));
  }
  return h("input", { name: `param:${param.key}`, value: param.default || "",
    type: param.noEcho ? "password" : "text", required: param.default === undefined || param.default === null });
}

function rules(param) {
  const parts = [param.description];
  if (param.allowedPattern) parts.push(`pattern ${param.allowedPattern}`);
  if (param.minValue !== undefined && param.minValue !== null) parts.push(`min ${param.minValue}`);
  if (param.maxValue !== undefined && param.maxValue !== null) parts.push(`max ${param.maxValue}`);
  return parts.filter(Boolean).join(" · ");
}

function createForm(type, reload) {
  const params = type.params.filter((p) => !p.suppliedByWorkbench);
  const inputs = params.map((p, i) => field(p.key, paramControl(p), { name: `params.${i}.value`, help: rules(p) }));
  const paramsBox = h("fieldset", { id: "config-params", "data-field": "params" }, h("legend", {}, "Parameters"), inputs,
    h("span", { id: "config-params-error", class: "field-error" }));
  const form = h("form", { "aria-label": "Create a configuration" },
    field("Name", h("input", { name: "name", required: true, maxlength: 112 }), { name: "name" }),
    field("Description", h("input", { name: "description", maxlength: 400 }), { name: "description" }),
    field("Estimated cost", h("input", { name: "estimatedCost", maxlength: 100, placeholder: "e.g. $0.05 per hour" }), { name: "estimatedCost" }),
    paramsBox,
    h("button", { type: "submit" }, "Create configuration"));
  submitter(form, async (data) => {
    // The params are sent in the form's order, so the API's params.N.value errors land on input N.
    const body = { name: data.get("name"), description: data.get("description") || "",
      params: params.map((p) => ({ key: p.key, value: data.get(`param:${p.key}`) })) };
    if (data.get("estimatedCost")) body.estimatedCost = data.get("estimatedCost");
    await api.post(`/environmentTypes/${type.id}/configurations`, body, api.idempotencyKey());
    form.reset();
    await reload();
  });
  return h("details", { class: "card", open: true }, h("summary", {}, "Create a configuration"), form);
}

export async function configurationsView({ params }) {
  const { envTypeId } = params;
  const type = await api.get(`/environmentTypes/${envTypeId}`);
  const list = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const configurations = await api.all(`/environmentTypes/${envTypeId}/configurations`);
    list.replaceChildren(table("Configurations", [
      { label: "Name", value: (c) => c.name },
      { label: "Estimated cost", value: (c) => c.estimatedCost || "—" },
      { label: "Parameters", value: (c) => h("dl", { class: "params" }, c.params.flatMap((p) => [h("dt", {}, p.key), h("dd", {}, p.value)])) },
      { label: "Actions", value: (c) => button("Delete", guarded(slot, async () => {
        await api.del(`/environmentTypes/${envTypeId}/configurations/${c.id}`);
        await reload();
      }), { class: "danger", "aria-label": `Delete ${c.name}` }) },
    ], configurations));
  };
  await reload();
  return h("section", {},
    h("p", { class: "crumbs" }, h("a", { href: "#/admin/types" }, "Environment types"), " › ", type.name),
    h("h1", {}, `Configurations of ${type.name}`),
    type.status !== "APPROVED" && h("p", { class: "notice" }, "This type is not approved: researchers cannot launch it yet."),
    createForm(type, reload), slot, list);
}
