// Hash routes (#/projects/…): a static host serves index.html for every screen with no rewrite rules.
import { h, problemBox } from "./dom.js";

const routes = [];
let cleanups = [];
let renderId = 0;

/** pattern like "/projects/:projectId"; options.admin: only IT admins get the screen; options.allow(me) decides
 * instead when others may have it too (options.audience names them in the refusal). */
export function route(pattern, view, options = {}) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return "([^/]+)"; })}$`);
  routes.push({ regex, names, view, ...options });
}

export function navigate(path) { window.location.hash = `#${path}`; }

function match(path) {
  for (const r of routes) {
    const found = r.regex.exec(path);
    if (found) return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(found[i + 1])])) };
  }
  return null;
}

export function refusal(what, audience = "IT admins") {
  return h("section", { class: "refusal", role: "alert" },
    h("h1", {}, "Not available to you"),
    h("p", {}, `${what} is for ${audience}. You are signed in without that role, so nothing of it is shown.`),
    h("p", {}, h("a", { href: "#/projects" }, "Back to my projects")));
}

const allowed = (r, me) => (r.allow ? r.allow(me) : !r.admin || me.roles.includes("ITAdmin"));

/** Renders the current hash into `main`; a view registers what to stop (polling) on leaving. */
export async function render(main, me) {
  cleanups.forEach((stop) => stop());
  cleanups = [];
  const id = ++renderId;
  const path = window.location.hash.replace(/^#/, "") || "/projects";
  const found = match(path);
  let content;
  if (!found) {
    content = h("section", {}, h("h1", {}, "Page not found"), h("p", {}, h("a", { href: "#/projects" }, "Back to my projects")));
  } else if (!allowed(found.route, me)) {
    content = refusal(found.route.title || "This page", found.route.audience);  // decided before any request: no admin data is fetched
  } else {
    main.setAttribute("aria-busy", "true");
    try {
      content = await found.route.view({ params: found.params, me, onLeave: (stop) => cleanups.push(stop), navigate });
    } catch (error) {
      content = h("section", {}, h("h1", {}, found.route.title || "Error"), problemBox(error));
    }
    main.removeAttribute("aria-busy");
  }
  if (id !== renderId) return;  // the user moved on while this screen loaded
  main.replaceChildren(content);
  const heading = main.querySelector("h1");
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }  // screen readers hear the new screen
  document.title = `${heading ? heading.textContent : "Console"} · Research Service Workbench`;
  document.querySelectorAll("nav[aria-label=Main] a").forEach((a) => {
    if (path.startsWith(a.getAttribute("href").slice(1))) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}
