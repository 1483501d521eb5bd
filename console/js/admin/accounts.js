// Hosting accounts: the onboarding links (default network or bring-your-own VPC), registration, and
// the verify checklist with each check's detail and hint.
import * as api from "../api.js";
import { button, field, guarded, h, statusBadge, submitter, table, when } from "../dom.js";

function checklist(account, verification) {
  return h("section", { class: "card", "aria-label": `Checks of ${account.name}` },
    h("h2", {}, `Checks of ${account.name}: `, statusBadge(verification.status)),
    h("p", {}, verification.statusReason),
    h("ul", { class: "checks" }, verification.checks.map((c) => h("li", { "data-check": c.name },
      h("span", { class: c.passed ? "passed" : "failed" }, c.passed ? "✓ passed" : "✗ failed"), " ",
      h("strong", {}, c.name), h("div", {}, c.detail),
      c.hint && !c.passed && h("div", { class: "hint" }, h("span", { class: "hint-label" }, "Hint: "), c.hint)))));
}

function onboardingLinks() {
  const out = h("div", { class: "links" });
  const externalId = h("input", { name: "externalId", required: true, value: crypto.randomUUID() });
  const form = h("form", { "aria-label": "Onboarding links" },
    field("External ID", externalId, { name: "externalId",
      help: "A secret the hosting account's roles require; keep it for the registration below." }),
    h("button", { type: "submit" }, "Get onboarding links"));
  submitter(form, async (data) => {
    const urls = await api.post("/awsAccountTemplateUrls", { externalId: data.get("externalId") });
    const link = (label, href) => h("li", {}, h("a", { href, target: "_blank", rel: "noopener noreferrer" }, label));
    out.replaceChildren(h("ul", {},
      link("Create the stack (default network)", urls["onboard-account"].createUrl),
      link("Update the stack (default network)", urls["onboard-account"].updateUrl),
      link("Create the stack (bring your own VPC)", urls["onboard-account-byon"].createUrl),
      link("Update the stack (bring your own VPC)", urls["onboard-account-byon"].updateUrl)),
    h("p", { class: "help" }, "Open a link signed in to the hosting account, deploy, then register the account with the stack's outputs."));
  });
  return h("details", { class: "card" }, h("summary", {}, "Onboard a new hosting account"), form, out);
}

function registerForm(reload) {
  const input = (name, attrs = {}) => h("input", { name, required: true, ...attrs });
  const form = h("form", { "aria-label": "Register an account" },
    field("Name", input("name"), { name: "name" }),
    field("AWS account ID", input("awsAccountId", { inputmode: "numeric", pattern: "\\d{12}" }), { name: "awsAccountId", help: "12 digits" }),
    field("Environment management role ARN", input("envMgmtRoleArn"), { name: "envMgmtRoleArn" }),
    field("Hosting account handler role ARN", input("hostingAccountHandlerRoleArn"), { name: "hostingAccountHandlerRoleArn" }),
    field("External ID", input("externalId"), { name: "externalId" }),
    h("button", { type: "submit" }, "Register account"));
  submitter(form, async (data) => {
    await api.post("/awsAccounts", Object.fromEntries(data.entries()), api.idempotencyKey());
    form.reset();
    await reload();
  });
  return h("details", { class: "card" }, h("summary", {}, "Register a deployed account"), form);
}

export async function accountsView() {
  const list = h("div", {});
  const slot = h("div", {});
  const reload = async () => {
    const accounts = await api.all("/awsAccounts");
    list.replaceChildren(table("Hosting accounts", [
      { label: "Name", value: (a) => a.name },
      { label: "AWS account", value: (a) => a.awsAccountId },
      { label: "Status", value: (a) => statusBadge(a.status) },
      { label: "Details", value: (a) => h("span", { class: "reason" }, a.statusReason) },
      { label: "Last checked", value: (a) => when(a.lastCheckedAt) },
      { label: "Actions", value: (a) => button("Verify", guarded(slot, async () => {
        slot.replaceChildren(h("p", { class: "help" }, `Checking ${a.name}…`));
        const verification = await api.post(`/awsAccounts/${a.id}/verify`);
        slot.replaceChildren(checklist(a, verification));
        await reload();
      }), { "aria-label": `Verify ${a.name}` }) },
    ], accounts));
  };
  await reload();
  return h("section", {}, h("h1", {}, "Hosting accounts"), onboardingLinks(), registerForm(reload), list, slot);
}
