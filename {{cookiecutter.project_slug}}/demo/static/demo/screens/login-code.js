// Logging in with a code from the mail instead of a password, where the site offers it.

import * as api from "../api.js";
import { follow, offers, pendingFlow, state } from "../auth.js";
import { codeForm } from "../code-form.js";
import { navigate } from "../router.js";
import { form, h, link, say, screen } from "../ui.js";

export function showRequestLoginCode() {
  if (state.user) {
    return navigate("/account", { replace: true });
  }
  if (!offers.loginByCode()) {
    return screen("Log in with a code", h("p", {}, "This site does not mail login codes. ", link("/account/login", "Log in with your password")));
  }
  screen(
    "Log in with a code",
    h("p", {}, "We will mail you a code to log in with, instead of your password."),
    form({
      fields: [{ name: "email", label: "Email", type: "email", autocomplete: "email" }],
      submit: "Mail me a code",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/code/request", values);
        if (!follow(answer)) {
          return answer;
        }
        say(`If an account uses ${values.email}, a code to log in is on its way there.`);
      },
    }),
    h("p", {}, link("/account/login", "Log in with your password")),
  );
}

export function showConfirmLoginCode() {
  if (pendingFlow()?.id !== "login_by_code") {
    return navigate("/account/login/code", { replace: true });
  }
  screen(
    "Enter the code",
    h("p", {}, "Enter the code from the mail we sent you to log in."),
    codeForm({
      param: "code",
      flow: "login_by_code",
      send: (code) => api.post("/auth/code/confirm", { code }),
      onAnswer: (answer) => (follow(answer) ? null : answer),
      resend: () => api.post("/auth/code/resend"),
      restart: ["/account/login/code", "Start over with a new code"],
    }),
  );
}
