// A project's environments with live status: polled every few seconds while something is changing,
// less often when all is settled; only the actions the API lists in allowedActions are offered.
import * as api from "../api.js";
import { button, guarded, h, statusBadge, table, when } from "../dom.js";
import { projectHeader } from "./projects.js";

const BUSY_POLL_MS = 3000;
const IDLE_POLL_MS = 15000;
const TRANSITIONAL = new Set(["PENDING", "STARTING", "STOPPING", "TERMINATING"]);
const LABELS = { start: "Start", stop: "Stop", terminate: "Terminate", connect: "Connect" };

async function connect(projectId, env, slot) {
  // Opened now, while the click still counts as the user's gesture, so no popup blocker stops it.
  const tab = window.open("", "_blank");
  try {
    const connection = await api.get(`/projects/${projectId}/environments/${env.id}/connections`);
    if (tab) {
      tab.opener = null;
      tab.location.href = connection.url;
    }
    slot.replaceChildren(h("p", { class: "notice" }, `Opened ${env.name} in a new tab. `,
      h("a", { href: connection.url, target: "_blank", rel: "noopener noreferrer" }, "Open it again"),
      ` (the link works until ${when(connection.expiresAt)}). ${connection.instructions || ""}`));
  } catch (error) {
    if (tab) tab.close();
    throw error;
  }
}

function actions(projectId, env, slot, reload) {
  return h("span", { class: "actions" }, env.allowedActions.map((action) => button(LABELS[action] || action,
    guarded(slot, async () => {
      if (action === "connect") return connect(projectId, env, slot);
      if (action === "terminate" && !window.confirm(`Terminate ${env.name}? Its notebook and local disk are deleted.`)) return;
      await api.put(`/projects/${projectId}/environments/${env.id}/${action}`);
      await reload();
    }), { class: action === "terminate" ? "danger" : action === "connect" ? "" : "secondary",
      "aria-label": `${LABELS[action] || action} ${env.name}` })));
}

export async function environmentsView({ me, params, onLeave }) {
  const { projectId } = params;
  const header = await projectHeader(me, projectId, "");
  const slot = h("div", {});
  const list = h("div", {});
  const announcer = h("p", { class: "visually-hidden", "aria-live": "polite", style: "position:absolute;left:-9999px" });
  const seen = new Map();
  let timer = null;
  let stopped = false;

  async function reload() {
    clearTimeout(timer);
    try {
      const environments = await api.all(`/projects/${projectId}/environments`);
      for (const env of environments) {
        if (seen.has(env.id) && seen.get(env.id) !== env.status) announcer.textContent = `${env.name} is now ${env.status}`;
        seen.set(env.id, env.status);
      }
      list.replaceChildren(table("Environments", [
        { label: "Name", value: (e) => h("span", {}, h("strong", {}, e.name), e.description && h("div", { class: "help" }, e.description)) },
        { label: "Status", value: (e) => h("span", { "data-env-status": e.id }, statusBadge(e.status)) },
        { label: "Details", value: (e) => h("span", { class: "reason" }, e.statusReason || "—") },
        { label: "Owner", value: (e) => (e.owner === me.id ? "you" : e.owner) },
        { label: "Launched", value: (e) => when(e.createdAt) },
        { label: "Actions", value: (e) => actions(projectId, e, slot, reload) },
      ], environments));
      if (!stopped) timer = setTimeout(reload, environments.some((e) => TRANSITIONAL.has(e.status)) ? BUSY_POLL_MS : IDLE_POLL_MS);
    } catch (error) {
      list.replaceChildren(h("p", { class: "help" }, "Could not refresh the list; retrying."));
      if (!stopped) timer = setTimeout(reload, IDLE_POLL_MS);
      throw error;
    }
  }
  onLeave(() => { stopped = true; clearTimeout(timer); });
  await reload();
  return h("section", {}, header.node,
    h("div", { class: "toolbar" },
      h("a", { class: "button", href: `#/projects/${projectId}/launch` }, "Launch an environment"),
      button("Refresh", guarded(slot, reload), { class: "secondary" })),
    slot, list, announcer);
}
