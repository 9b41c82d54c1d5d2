// The second step of a login: a code from the authenticator app, a recovery code, or a passkey;
// then, where the site allows it, whether to trust this browser.

import * as api from "../api.js";
import { follow, pendingFlow } from "../auth.js";
import { navigate } from "../router.js";
import { form, h, screen } from "../ui.js";
import { getPasskey } from "../webauthn.js";

export function showTwoFactor() {
  const flow = pendingFlow();
  if (flow?.id !== "mfa_authenticate") {
    return navigate("/account/login", { replace: true });
  }
  const codes = flow.types.filter((type) => type === "totp" || type === "recovery_codes");
  const codeLabel = codes.includes("totp") ? "Code from your authenticator app" : "Recovery code";
  screen(
    "Second step",
    codes.length > 0 && form({
      fields: [{
        name: "code",
        label: codeLabel,
        autocomplete: "one-time-code",
        hint: codes.includes("recovery_codes") && codes.includes("totp") ? "Lost your phone? Enter a recovery code instead." : null,
      }],
      submit: "Continue",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/2fa/authenticate", values);
        return follow(answer) ? null : answer;
      },
    }),
    flow.types.includes("webauthn") && passkeyStep(),
  );
}

function passkeyStep() {
  const error = h("p", { class: "error", role: "alert" });
  const start = async () => {
    const options = await api.get("/auth/webauthn/authenticate");
    const passkey = options.status === 200 ? await getPasskey(options.data.request_options) : options;
    const answer = passkey.credential ? await api.post("/auth/webauthn/authenticate", passkey) : passkey;
    if (!follow(answer)) {
      error.textContent = answer.errors.map((item) => item.message).join(" ");
    }
  };
  return h("div", { class: "panel" }, h("button", { type: "button", class: "secondary", onclick: start }, "Use a passkey"), error);
}

export function showTrust() {
  if (pendingFlow()?.id !== "mfa_trust") {
    return navigate("/account/login", { replace: true });
  }
  const answer = (trust) => async () => follow(await api.post("/auth/2fa/trust", { trust }));
  screen(
    "Trust this browser?",
    h("p", {}, "A trusted browser skips the second step for a while. Only trust a browser that is yours alone."),
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: answer(true) }, "Trust this browser"),
      h("button", { type: "button", class: "secondary", onclick: answer(false) }, "Not this time"),
    ),
  );
}
