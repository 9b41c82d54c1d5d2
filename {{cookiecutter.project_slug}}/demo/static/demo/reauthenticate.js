// Sensitive changes need a recent login. When the API answers 401 with a reauthenticate flow, ask for
// the password (or a second factor) in place, then make the same call again; cancelled, the first
// answer stands.

import * as api from "./api.js";
import { offers } from "./auth.js";
import { form, h } from "./ui.js";
import { getPasskey } from "./webauthn.js";

// ``action`` makes the API call; ``where`` is the element after which the question appears.
export async function withReauthentication(action, where) {
  const answer = await action();
  const flows = answer.status === 401 && answer.meta?.is_authenticated ? answer.data.flows.map((flow) => flow.id) : [];
  if (!flows.some((id) => REAUTHENTICATE[id])) {
    return answer;
  }
  return (await ask(flows, where)) ? action() : answer;
}

const REAUTHENTICATE = {
  reauthenticate: () => ({
    fields: [{ name: "password", label: "Password", type: "password", autocomplete: "current-password" }],
    submit: "Confirm",
    send: (values) => api.post("/auth/reauthenticate", values),
  }),
  mfa_reauthenticate: () => ({
    fields: [{ name: "code", label: "Code from your authenticator app, or a recovery code", autocomplete: "one-time-code", inputmode: "numeric" }],
    submit: "Confirm",
    send: (values) => api.post("/auth/2fa/reauthenticate", values),
  }),
};

function ask(flows, where) {
  return new Promise((resolve) => {
    const panel = h("div", { class: "reauthenticate", role: "group", "aria-labelledby": "reauthenticate-title" });
    const done = (answer) => {
      if (answer.status === 200) {
        panel.remove();
        resolve(true);
      }
      return answer;
    };
    const cancel = h("button", {
      type: "button",
      class: "secondary",
      onclick: () => {
        panel.remove();
        resolve(false);
      },
    }, "Cancel");
    const forms = flows
      .filter((id) => REAUTHENTICATE[id])
      .map((id) => {
        const { fields, submit, send } = REAUTHENTICATE[id]();
        return form({ fields, submit, onSubmit: async (values) => done(await send(values)) });
      });
    const passkeyError = h("p", { class: "error", role: "alert" });
    const passkey = flows.includes("mfa_reauthenticate") && offers.mfa("webauthn") && h("div", {},
      h("button", {
        type: "button",
        class: "secondary",
        onclick: async () => {
          const answer = done(await reauthenticateWithPasskey());
          passkeyError.textContent = answer.errors?.map((error) => error.message).join(" ") ?? "";
        },
      }, "Confirm with a passkey"),
      passkeyError,
    );
    panel.append(
      h("h2", { id: "reauthenticate-title" }, "Confirm it is you"),
      h("p", {}, "This change needs a recent login."),
      ...forms,
      passkey,
      h("p", {}, cancel),
    );
    where.after(panel);
    panel.querySelector("input, button").focus();
  });
}

async function reauthenticateWithPasskey() {
  const options = await api.get("/auth/webauthn/reauthenticate");
  if (options.status !== 200) {
    return options;
  }
  const passkey = await getPasskey(options.data.request_options);
  return passkey.credential ? api.post("/auth/webauthn/reauthenticate", passkey) : passkey;
}
