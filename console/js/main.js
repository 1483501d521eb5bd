// Boot: read config.json, restore the tab's session, then show sign-in or the signed-in shell.
import { canReadAudit } from "./admin/audit.js";
import * as api from "./api.js";
import * as auth from "./auth.js";
import { h, problemBox } from "./dom.js";
import { render } from "./router.js";
import { signInView } from "./views/signin.js";
import "./routes.js";

const app = document.getElementById("app");

function shell(me) {
  const admin = me.roles.includes("ITAdmin");
  const links = [["/projects", "My projects"]];
  if (admin) {
    links.push(["/admin/accounts", "Accounts"], ["/admin/users", "Users"], ["/admin/cost-centers", "Cost centers"],
      ["/admin/projects", "Projects"], ["/admin/types", "Environment types"], ["/admin/links", "Links"]);
  }
  if (canReadAudit(me)) links.push(["/admin/audit", "Audit"]);  // project admins too: their projects' trail
  const main = h("main", { id: "main" });
  const header = h("header", { class: "top" },
    h("a", { class: "skip", href: "#main", onclick: (e) => { e.preventDefault(); main.querySelector("h1")?.focus(); } }, "Skip to content"),
    h("span", { class: "brand" }, "Research Service Workbench"),
    h("nav", { "aria-label": "Main" }, h("ul", {}, links.map(([href, label]) => h("li", {}, h("a", { href: `#${href}` }, label))))),
    h("div", { class: "who" },
      h("span", {}, `${me.firstName} ${me.lastName}`, admin ? " · IT admin" : ""),
      h("button", { type: "button", onclick: async () => { await auth.signOut(); } }, "Sign out")));
  app.replaceChildren(header, main);
  return main;
}

async function start() {
  if (!auth.current()) {
    app.replaceChildren(signInView());
    return;
  }
  let me;
  try {
    me = await api.get("/me");
  } catch (error) {
    app.replaceChildren(h("main", { id: "main" }, h("h1", {}, "Could not load your profile"), problemBox(error)));
    return;
  }
  const main = shell(me);
  const show = () => render(main, me);
  window.onhashchange = show;
  await show();
}

async function boot() {
  let config;
  try {
    const response = await fetch("config.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    config = await response.json();
  } catch (error) {
    app.replaceChildren(h("main", { id: "main" }, h("h1", {}, "The console is not configured"),
      problemBox({ title: "No configuration", detail: String(error.message || error),
        hint: "The deploy step (or `make local`) writes config.json beside index.html." })));
    return;
  }
  api.configure(config);
  auth.configure(config);
  let signedIn = Boolean(auth.current());
  auth.onChange((session) => {
    // A refresh keeps the screen; signing in or out rebuilds it.
    if (Boolean(session) !== signedIn) { signedIn = Boolean(session); window.onhashchange = null; start(); }
  });
  await start();
}

boot();
