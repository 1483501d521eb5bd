// The API client: bearer token, JSON in and out, problems as ApiError; one silent refresh on a 401.
import * as auth from "./auth.js";
import { ApiError } from "./problem.js";

let baseUrl = "";

export function configure(config) { baseUrl = config.apiUrl.replace(/\/$/, ""); }

function url(path, query) {
  const params = new URLSearchParams();
  Object.entries(query || {}).forEach(([key, value]) => { if (value !== undefined && value !== "") params.set(key, value); });
  const text = params.toString();
  return `${baseUrl}${path}${text ? `?${text}` : ""}`;
}

async function send(method, path, options) {
  const headers = { Authorization: `Bearer ${auth.accessToken()}`, ...(options.headers || {}) };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(url(path, options.query), { method, headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined });
  } catch (error) {
    throw new ApiError({ title: "The API could not be reached", detail: String(error.message || error),
      hint: "Check your network connection. If it persists, the API may be down or may not allow this console's origin." });
  }
}

/** Calls the API; resolves to the parsed body (null for 204) or rejects with an ApiError. */
export async function call(method, path, options = {}) {
  let response = await send(method, path, options);
  if (response.status === 401 && (await auth.refresh())) response = await send(method, path, options);
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { title: response.statusText, detail: text.slice(0, 300) }; }
  if (!response.ok) {
    if (response.status === 401) auth.signOut();
    throw new ApiError({ status: response.status, title: response.statusText || "Request failed", ...(body || {}) });
  }
  return body;
}

export const get = (path, query) => call("GET", path, { query });
export const post = (path, body, headers) => call("POST", path, { body, headers });
export const put = (path, body) => call("PUT", path, body === undefined ? {} : { body });
export const patch = (path, body, etag) => call("PATCH", path, { body, headers: etag ? { "If-Match": etag } : {} });
export const del = (path) => call("DELETE", path);

/** Every page of a list (the console's lists are short: projects, types, users of one workbench). */
export async function all(path, query = {}) {
  const items = [];
  let token;
  do {
    const page = await get(path, { ...query, pageSize: 100, paginationToken: token });
    items.push(...page.data);
    token = page.paginationToken;
  } while (token && items.length < 1000);
  return items;
}

/** A new Idempotency-Key per submitted form, so a double click or a retried request creates one thing. */
export function idempotencyKey() { return { "Idempotency-Key": crypto.randomUUID() }; }
