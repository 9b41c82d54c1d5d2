// The account's overview: who is logged in, and how they did it in this session.

import * as api from "../api.js";
import { dataOf, offers, state } from "../auth.js";
import { formatTime, h, link, screen } from "../ui.js";
import { showLogin } from "./login.js";

// How each login step of the session is recorded (meta of GET auth/session), in words.
const METHODS = {
  password: "password",
  code: "code by mail",
  socialaccount: "provider",
};
const SECOND_FACTORS = {
  totp: "code from the authenticator app",
  recovery_codes: "recovery code",
  webauthn: "passkey",
};

function describe(method) {
  const name = method.method === "mfa" ? SECOND_FACTORS[method.type] ?? method.type : METHODS[method.method] ?? method.method;
  return `${name}, ${formatTime(method.at)}`;
}

export async function showAccount() {
  if (!state.user) {
    return showLogin();
  }
  const session = dataOf(await api.get("/auth/session"));
  if (!session) {
    return;
  }
  const { user, methods } = session;
  screen(
    `Hello, ${user.display}`,
    h("dl", {},
      h("dt", {}, "Email"), h("dd", {}, user.email ?? "none"),
      offers.username() && [h("dt", {}, "Username"), h("dd", {}, user.username)],
    ),
    h("section", { "aria-labelledby": "methods-title" },
      h("h2", { id: "methods-title" }, "This session"),
      h("p", {}, "You logged in with:"),
      h("ul", {}, methods.map((method) => h("li", {}, describe(method)))),
    ),
    h("section", { "aria-labelledby": "manage-title" },
      h("h2", { id: "manage-title" }, "Manage"),
      h("ul", {},
        h("li", {}, link("/account/email", "Email addresses")),
        h("li", {}, link("/account/password/change", "Password")),
        h("li", {}, link("/account/sessions", "Sessions")),
        h("li", {}, link("/account/events", "Security events")),
        h("li", {}, link("/account/data", "Your data: export it, or delete the account")),
        state.config.mfa && h("li", {}, link("/account/security", "Two-factor authentication and passkeys")),
      ),
    ),
  );
}
