// The account's overview: who is logged in, and how they did it in this session.

import * as api from "../api.js";
import { offers, state } from "../auth.js";
import { formatTime, h, link, screen } from "../ui.js";
import { showLogin } from "./login.js";

const METHODS = {
  password: "password",
  code: "code by mail",
  mfa: "second factor",
  socialaccount: "provider",
  passkey: "passkey",
};

export async function showAccount() {
  if (!state.user) {
    return showLogin();
  }
  const session = await api.get("/auth/session");
  const { user, methods } = session.data;
  screen(
    `Hello, ${user.display}`,
    h("dl", {},
      h("dt", {}, "Email"), h("dd", {}, user.email ?? "none"),
      offers.username() && [h("dt", {}, "Username"), h("dd", {}, user.username)],
    ),
    h("section", { "aria-labelledby": "methods-title" },
      h("h2", { id: "methods-title" }, "This session"),
      h("ul", {}, methods.map((method) => h("li", {}, `${METHODS[method.method] ?? method.method}${method.type ? ` (${method.type})` : ""}, ${formatTime(method.at)}`))),
    ),
    h("section", { "aria-labelledby": "manage-title" },
      h("h2", { id: "manage-title" }, "Manage"),
      h("ul", {},
        h("li", {}, link("/account/email", "Email addresses")),
        h("li", {}, link("/account/password/change", "Password")),
        h("li", {}, link("/account/sessions", "Sessions")),
        state.config.mfa && h("li", {}, link("/account/security", "Two-factor authentication and passkeys")),
      ),
    ),
  );
}
