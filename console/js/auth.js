// Sign-in against Cognito's JSON API (the same USER_PASSWORD_AUTH flow the API's tokens come from).
// Tokens live in sessionStorage: per tab and per origin, so no other site (and no other tab) reads them,
// and closing the tab signs out. The access token is refreshed silently a minute before it expires.
import { ApiError } from "./problem.js";

const KEY = "rsw.session";
const REFRESH_MARGIN_MS = 60_000;
let config = null;
let session = null;
let refreshTimer = null;
const listeners = new Set();

const HINTS = {
  NotAuthorizedException: "Check the username and password. After several failed attempts, wait a few minutes.",
  UserNotFoundException: "Check the username. An IT admin can invite you if you have no account.",
  InvalidPasswordException: "Choose a longer password with upper and lower case letters, digits and a symbol.",
  PasswordResetRequiredException: "Ask an IT admin to reset your password.",
  UserNotConfirmedException: "Ask an IT admin to confirm your account.",
  TooManyRequestsException: "Wait a moment, then try again.",
};

export function configure(cfg) {
  config = cfg;
  session = JSON.parse(sessionStorage.getItem(KEY) || "null");
  if (session) schedule();
}

export function onChange(listener) { listeners.add(listener); }
export function current() { return session; }
export function accessToken() { return session && session.accessToken; }

async function idp(target, body) {
  let response;
  try {
    response = await fetch(config.cognitoEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError({ title: "Sign-in service unreachable", detail: String(error.message || error),
      hint: "Check your network connection and the console's configured Cognito endpoint." });
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const type = String(data.__type || "Error").split("#").pop();
    throw new ApiError({ title: "Sign-in failed", status: response.status, code: type,
      detail: data.message || data.Message || type, hint: HINTS[type] });
  }
  return data;
}

function store(result, username) {
  const payload = JSON.parse(atob(result.AccessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  session = {
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken || (session && session.refreshToken),
    expiresAt: Date.now() + (result.ExpiresIn || 3600) * 1000,
    username: payload.username || username,
    sub: payload.sub,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  schedule();
  listeners.forEach((listener) => listener(session));
}

/** Returns null when signed in, or the challenge to answer (NEW_PASSWORD_REQUIRED on first sign-in). */
export async function signIn(username, password) {
  const answer = await idp("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId: config.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password } });
  if (answer.ChallengeName) return { name: answer.ChallengeName, session: answer.Session, username };
  store(answer.AuthenticationResult, username);
  return null;
}

export async function answerNewPassword(challenge, newPassword) {
  const answer = await idp("RespondToAuthChallenge", { ChallengeName: "NEW_PASSWORD_REQUIRED",
    ClientId: config.clientId, Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword } });
  if (answer.ChallengeName) throw new ApiError({ title: "Sign-in needs another step",
    detail: `Cognito asks for ${answer.ChallengeName}, which this console does not handle.` });
  store(answer.AuthenticationResult, challenge.username);
}

/** A new access token from the refresh token; false (and signed out) when the session cannot go on. */
export async function refresh() {
  if (!session || !session.refreshToken) return false;
  try {
    const answer = await idp("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: config.clientId,
      AuthParameters: { REFRESH_TOKEN: session.refreshToken } });
    store(answer.AuthenticationResult, session.username);
    return true;
  } catch {
    clear();
    return false;
  }
}

function schedule() {
  clearTimeout(refreshTimer);
  const wait = Math.max(session.expiresAt - Date.now() - REFRESH_MARGIN_MS, 1000);
  refreshTimer = setTimeout(refresh, wait);
}

function clear() {
  clearTimeout(refreshTimer);
  session = null;
  sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(null));
}

export async function signOut() {
  const token = accessToken();
  clear();
  // Ends the refresh token everywhere too; the local session is gone whatever Cognito answers.
  if (token) await idp("GlobalSignOut", { AccessToken: token }).catch(() => {});
}
