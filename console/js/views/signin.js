// Sign-in, and the new password Cognito asks for on a user's first sign-in.
import * as auth from "../auth.js";
import { field, h, submitter } from "../dom.js";

function page(...children) {
  return h("main", { id: "main", class: "signin" }, h("section", { class: "card" }, ...children));
}

function newPasswordForm(challenge) {
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const again = h("input", { type: "password", name: "again", autocomplete: "new-password", required: true });
  const form = h("form", { "aria-labelledby": "np-title" },
    field("New password", password, { name: "password", help: "At least 8 characters with upper and lower case, a digit and a symbol." }),
    field("New password again", again, { name: "again" }),
    h("button", { type: "submit" }, "Set password and sign in"));
  submitter(form, async (data) => {
    if (data.get("password") !== data.get("again")) {
      const mismatch = { title: "The passwords differ", errors: [{ field: "again", message: "does not match the new password" }] };
      throw Object.assign(new Error(mismatch.title), mismatch);
    }
    await auth.answerNewPassword(challenge, data.get("password"));
  });
  return page(h("h1", { id: "np-title" }, "Choose a new password"),
    h("p", {}, `Welcome, ${challenge.username}. Your temporary password worked; choose your own to continue.`), form);
}

export function signInView() {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const form = h("form", { "aria-labelledby": "signin-title" },
    field("Username or e-mail", username, { name: "username" }),
    field("Password", password, { name: "password" }),
    h("button", { type: "submit" }, "Sign in"));
  const view = page(h("h1", { id: "signin-title" }, "Sign in to the Research Service Workbench"), form);
  submitter(form, async (data) => {
    const challenge = await auth.signIn(data.get("username").trim(), data.get("password"));
    if (challenge && challenge.name === "NEW_PASSWORD_REQUIRED") {
      view.replaceWith(newPasswordForm(challenge));
      document.querySelector("input[name=password]").focus();
    } else if (challenge) {
      throw Object.assign(new Error("unsupported"), { title: "Sign-in needs another step",
        detail: `Cognito asks for ${challenge.name}, which this console does not handle.` });
    }
  });
  setTimeout(() => username.focus(), 0);
  return view;
}
