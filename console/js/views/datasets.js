// Datasets of a project (owned and shared in), a dataset's files and totals, and uploads.
// Built against API.md's contract; while the API has no datasets routes (404) the screen says so.
import * as api from "../api.js";
import { bytes, field, h, problemBox, submitter, table, when } from "../dom.js";
import { projectHeader } from "./projects.js";
import { uploader } from "./uploads.js";

function unavailable(error) {
  if (error.status !== 404 || error.code === "DATASET_NOT_FOUND") throw error;
  return h("p", { class: "notice", "data-datasets-unavailable": "" },
    "Datasets are not available on this workbench yet (the API has no datasets routes).");
}

function createForm(projectId, reload) {
  const form = h("form", { "aria-label": "Create a dataset" },
    field("Name", h("input", { name: "name", required: true, maxlength: 112 }), { name: "name" }),
    field("Description", h("input", { name: "description", maxlength: 400 }), { name: "description" }),
    h("button", { type: "submit" }, "Create dataset"));
  submitter(form, async (data) => {
    await api.post(`/projects/${projectId}/datasets`, { name: data.get("name"), description: data.get("description") || "" },
      api.idempotencyKey());
    form.reset();
    await reload();
  });
  return h("details", { class: "card" }, h("summary", {}, "Create a dataset"), form);
}

export async function datasetsView({ me, params }) {
  const { projectId } = params;
  const header = await projectHeader(me, projectId, "/datasets", "Datasets");
  const list = h("div", {});
  const reload = async () => {
    try {
      const datasets = await api.all(`/projects/${projectId}/datasets`);
      list.replaceChildren(table("Datasets", [
        { label: "Name", value: (d) => h("a", { href: `#/projects/${projectId}/datasets/${d.id}` }, d.name) },
        { label: "Access", value: (d) => d.accessLevel || "owner" },
        { label: "Files", value: (d) => String(d.objectCount ?? 0) },
        { label: "Size", value: (d) => bytes(d.totalBytes) },
        { label: "Updated", value: (d) => when(d.lastUpdatedAt || d.updatedAt) },
      ], datasets));
      return true;
    } catch (error) {
      list.replaceChildren(unavailable(error));
      return false;
    }
  };
  const available = await reload();
  const canCreate = available && (header.role === "ProjectAdmin" || header.role === "ITAdmin");
  return h("section", {}, header.node, canCreate && createForm(projectId, reload), list);
}

export async function datasetView({ me, params }) {
  const { projectId, datasetId } = params;
  const header = await projectHeader(me, projectId, "/datasets", "Dataset");
  let dataset;
  try {
    dataset = await api.get(`/projects/${projectId}/datasets/${datasetId}`);
  } catch (error) {
    return h("section", {}, header.node, unavailable(error));
  }
  const totals = h("p", {});
  const files = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const [current, listed] = await Promise.all([api.get(`/projects/${projectId}/datasets/${datasetId}`),
      api.all(`/projects/${projectId}/datasets/${datasetId}/files`)]);
    totals.textContent = `${current.objectCount ?? listed.length} files, ${bytes(current.totalBytes)} in total`;
    files.replaceChildren(table("Files", [
      { label: "Path", value: (f) => f.path },
      { label: "Size", value: (f) => bytes(f.size) },
      { label: "Modified", value: (f) => when(f.lastModified) },
    ], listed));
    return listed;
  };
  try { await reload(); } catch (error) { slot.replaceChildren(problemBox(error)); }
  const writable = dataset.accessLevel === "read-write" || dataset.accessLevel === "owner" || !dataset.accessLevel;
  return h("section", {}, header.node,
    h("h2", {}, dataset.name), dataset.description && h("p", {}, dataset.description), totals,
    writable ? uploader(projectId, datasetId, reload) : h("p", { class: "help" }, "This dataset is shared read-only with the project."),
    slot, files);
}
