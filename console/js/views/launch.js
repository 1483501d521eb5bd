// Launch form: type → configuration (its parameters and estimated cost) → datasets → name.
// Only approved types with a configuration linked to this project are offered.
import * as api from "../api.js";
import { field, h, submitter } from "../dom.js";
import { projectHeader } from "./projects.js";

async function launchable(projectId) {
  const types = await api.all("/environmentTypes", { status: "APPROVED" });
  const withConfigs = await Promise.all(types.map(async (type) => ({
    type, configurations: await api.all(`/projects/${projectId}/environmentTypes/${type.id}/configurations`) })));
  return withConfigs.filter((t) => t.configurations.length > 0);
}

/** The project's readable datasets, or null while the API has no datasets routes yet (404). */
async function readableDatasets(projectId) {
  try {
    return await api.all(`/projects/${projectId}/datasets`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

function configurationDetails(configuration) {
  if (!configuration) return h("p", { class: "help" }, "Choose a configuration to see what it provides.");
  return h("div", { class: "card" },
    h("p", {}, h("strong", {}, "Estimated cost: "), configuration.estimatedCost || "not stated"),
    configuration.description && h("p", {}, configuration.description),
    h("dl", { class: "params" }, configuration.params.flatMap((p) => [h("dt", {}, p.key), h("dd", {}, p.value)])));
}

export async function launchView({ me, params, navigate }) {
  const { projectId } = params;
  const [header, choices, datasets] = await Promise.all([
    projectHeader(me, projectId, "/launch", "Launch"), launchable(projectId), readableDatasets(projectId)]);
  if (choices.length === 0) {
    return h("section", {}, header.node, h("p", { class: "notice" },
      "No approved environment type has a configuration linked to this project. Ask an IT admin to link one."));
  }
  const typeSelect = h("select", { name: "envTypeId", required: true },
    choices.map(({ type }) => h("option", { value: type.id }, type.name)));
  const configSelect = h("select", { name: "envTypeConfigId", required: true });
  const details = h("div", {});
  const chosen = () => choices.find((c) => c.type.id === typeSelect.value);
  const showConfig = () => details.replaceChildren(configurationDetails(chosen().configurations.find((c) => c.id === configSelect.value)));
  const fillConfigs = () => {
    configSelect.replaceChildren(...chosen().configurations.map((c) => h("option", { value: c.id }, `${c.name}${c.estimatedCost ? ` (${c.estimatedCost})` : ""}`)));
    showConfig();
  };
  typeSelect.addEventListener("change", fillConfigs);
  configSelect.addEventListener("change", showConfig);
  fillConfigs();

  const datasetPart = datasets === null
    ? h("p", { class: "help" }, "Datasets are not available on this workbench yet.")
    : h("fieldset", { "data-field": "datasetIds", id: "launch-datasets" }, h("legend", {}, "Datasets to mount (optional)"),
      datasets.length === 0 ? h("p", { class: "help" }, "This project has no datasets.")
        : datasets.map((d) => h("label", { class: "check" },
          h("input", { type: "checkbox", name: "datasetIds", value: d.id }),
          `${d.name} (${d.accessLevel || "owner"})`)),
      h("span", { id: "launch-datasets-error", class: "field-error" }));
  const form = h("form", { "aria-label": "Launch an environment" },
    field("Environment type", typeSelect, { name: "envTypeId" }),
    field("Configuration", configSelect, { name: "envTypeConfigId" }),
    details,
    datasetPart,
    field("Name", h("input", { name: "name", required: true, maxlength: 112, pattern: "[A-Za-z0-9\\-_. ]+" }),
      { name: "name", help: "Letters, digits, spaces and - _ . (up to 112)." }),
    field("Description", h("textarea", { name: "description", maxlength: 400, rows: 2 }), { name: "description" }),
    h("button", { type: "submit" }, "Launch"));
  submitter(form, async (data) => {
    await api.post(`/projects/${projectId}/environments`, {
      name: data.get("name"), description: data.get("description") || "", envTypeId: data.get("envTypeId"),
      envTypeConfigId: data.get("envTypeConfigId"), datasetIds: data.getAll("datasetIds") }, api.idempotencyKey());
    navigate(`/projects/${projectId}`);
  });
  return h("section", {}, header.node, form);
}
