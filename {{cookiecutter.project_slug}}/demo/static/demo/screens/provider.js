// Social login: a button per provider that the site's config lists, where the provider sends people
// back to, and the signup step when the provider did not tell us enough.

import * as api from "../api.js";
import { follow, offers, pendingFlow } from "../auth.js";
import { navigate } from "../router.js";
import { form, h, link, screen } from "../ui.js";

export const CALLBACK_ROUTE = "/account/provider/callback";

// A real form POST, not fetch: the answer is a redirect to the provider's own login page.
export function providerButtons() {
  const providers = offers.providers().filter((provider) => provider.flows.includes("provider_redirect"));
  if (providers.length === 0) {
    return null;
  }
  return h(
    "section",
    { "aria-labelledby": "providers-title" },
    h("h2", { id: "providers-title" }, "Or continue with"),
    h("div", { class: "actions" }, providers.map((provider) =>
      h(
        "form",
        { method: "post", action: api.PROVIDER_REDIRECT_URL },
        hidden("provider", provider.id),
        hidden("process", "login"),
        hidden("callback_url", CALLBACK_ROUTE),
        hidden("csrfmiddlewaretoken", api.csrfToken()),
        h("button", { type: "submit", class: "secondary" }, provider.name),
      ),
    )),
  );
}

function hidden(name, value) {
  return h("input", { type: "hidden", name, value });
}

// The provider sends people back here: with ?error=... when the login failed, else logged in or
// with a pending step (e.g. signup).
export async function showProviderCallback(_params, query) {
  const error = query.get("error");
  if (error) {
    return screen(
      "Login with the provider failed",
      h("p", {}, error === "cancelled" ? "You cancelled the login." : `The provider's login did not work (${error}).`),
      h("p", {}, link("/account/login", "Back to log in")),
    );
  }
  return follow(await api.get("/auth/session"));
}

export function showProviderSignup() {
  if (pendingFlow()?.id !== "provider_signup") {
    return navigate("/account/login", { replace: true });
  }
  screen(
    "Finish signing up",
    h("p", {}, "The provider did not give us an email address we can use. Which one should your account have?"),
    form({
      fields: [{ name: "email", label: "Email", type: "email", autocomplete: "email" }],
      submit: "Sign up",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/provider/signup", values);
        return follow(answer) ? null : answer;
      },
    }),
  );
}
