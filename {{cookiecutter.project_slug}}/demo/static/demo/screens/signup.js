// Signing up: the address must be verified from the link in the mail before the first login.

import * as api from "../api.js";
import { follow, offers, state } from "../auth.js";
import { navigate } from "../router.js";
import { form, h, link, screen } from "../ui.js";
import { providerButtons } from "./provider.js";

export function showSignup() {
  if (state.user) {
    return navigate("/account", { replace: true });
  }
  if (!offers.signup()) {
    return screen("Sign up", h("p", {}, "Signing up is closed."));
  }
  const fields = [
    { name: "email", label: "Email", type: "email", autocomplete: "email" },
    offers.username() && { name: "username", label: "Username", autocomplete: "username" },
    { name: "password", label: "Password", type: "password", autocomplete: "new-password" },
  ].filter(Boolean);
  screen(
    "Sign up",
    form({
      fields,
      submit: "Sign up",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/signup", values);
        return follow(answer) ? null : answer;
      },
    }),
    providerButtons(),
    h("p", {}, "Already have an account? ", link("/account/login", "Log in")),
  );
}
