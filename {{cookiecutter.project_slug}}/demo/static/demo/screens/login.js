// Logging in: with a password, with a passkey, or through a provider (a code by mail: login-code.js).

import * as api from "../api.js";
import { follow, offers, openNext, rememberNext, serverPageFrom, state } from "../auth.js";
import { form, h, link, screen } from "../ui.js";
import { getPasskey } from "../webauthn.js";
import { providerButtons } from "./provider.js";

export function showLogin(params, query = new URLSearchParams(location.search)) {
  const serverPage = serverPageFrom(query);
  if (serverPage) {
    rememberNext(serverPage);
  }
  if (state.user) {
    // prompt=login: the site asks for the password again before it answers the sign-in request.
    return serverPage && query.get("prompt") === "login" ? confirmPassword() : openNext();
  }
  screen(
    "Log in",
    form({
      fields: [loginField(), { name: "password", label: "Password", type: "password", autocomplete: "current-password" }],
      submit: "Log in",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/login", credentials(values));
        if (answer.status === 401 && !answer.data.flows.some((flow) => flow.is_pending)) {
          // allauth's answer to the right password of an inactive account: nobody logged in, and nothing to do.
          return { errors: [{ message: "This account is closed. If you asked to delete it, the link in the mail we sent keeps it." }] };
        }
        return follow(answer) ? null : answer;
      },
    }),
    offers.loginByCode() && h("p", {}, link("/account/login/code", "Mail me a code to log in instead")),
    offers.passkeyLogin() && passkeyLogin(),
    providerButtons(),
    h("p", {}, link("/account/password/reset", "Forgot your password?")),
    offers.signup() && h("p", {}, "New here? ", link("/account/signup", "Sign up")),
  );
}

// With usernames, one field takes either; the API wants it as email or as username.
function loginField() {
  if (offers.username()) {
    return { name: "login", label: "Email or username", autocomplete: "username", params: ["email", "username"] };
  }
  return { name: "email", label: "Email", type: "email", autocomplete: "email" };
}

function credentials({ login, email, password }) {
  if (login === undefined) {
    return { email, password };
  }
  return login.includes("@") ? { email: login, password } : { username: login, password };
}

function passkeyLogin() {
  const error = h("p", { class: "error", role: "alert" });
  const start = async () => {
    const options = await api.get("/auth/webauthn/login");
    const passkey = options.status === 200 ? await getPasskey(options.data.request_options) : options;
    const answer = passkey.credential ? await api.post("/auth/webauthn/login", passkey) : passkey;
    if (!follow(answer)) {
      error.textContent = answer.errors.map((item) => item.message).join(" ");
    }
  };
  return h("div", { class: "panel" }, h("button", { type: "button", class: "secondary", onclick: start }, "Log in with a passkey"), error);
}

function confirmPassword() {
  screen(
    "Confirm it is you",
    h("p", {}, `You are logged in as ${state.user.display}. Enter your password to go on.`),
    form({
      fields: [{ name: "password", label: "Password", type: "password", autocomplete: "current-password" }],
      submit: "Confirm",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/reauthenticate", values);
        return follow(answer) ? null : answer;
      },
    }),
  );
}
