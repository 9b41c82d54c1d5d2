// Email addresses: list them, add one (it replaces the current one once confirmed, by link or code), and cancel a change.

import * as api from "../api.js";
import { dataOf, offers, requireLogin } from "../auth.js";
import { codeForm } from "../code-form.js";
import { withReauthentication } from "../reauthenticate.js";
import { button, form, h, say, screen } from "../ui.js";

export async function showEmails() {
  if (!requireLogin()) {
    return;
  }
  const addresses = dataOf(await api.get("/account/email"));
  if (!addresses) {
    return;
  }
  const addForm = form({
    fields: [{ name: "email", label: "New email address", type: "email", autocomplete: "email" }],
    submit: "Add",
    onSubmit: async (values) => {
      const answer = await withReauthentication(() => api.post("/account/email", values), addForm);
      if (answer.status === 200) {
        await showEmails();
        say(offers.verificationByCode()
          ? `We sent a code to ${values.email}. Enter it below to confirm the address.`
          : `We sent a link to ${values.email}. Open it to confirm the address.`);
        return null;
      }
      return answer;
    },
  });
  screen(
    "Email addresses",
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Address"), h("th", { scope: "col" }, "State"), h("th", { scope: "col" }, h("span", { class: "hint" }, "Actions")))),
      h("tbody", {}, addresses.map((address) => h("tr", {},
        h("td", {}, address.email),
        h("td", {}, [address.primary && "primary", address.verified ? "confirmed" : "not confirmed yet"].filter(Boolean).join(", ")),
        h("td", {}, h("div", { class: "actions" }, actionsFor(address))),
      ))),
    ),
    offers.verificationByCode() && addresses.filter((address) => !address.verified).map(confirmByCode),
    h("section", { "aria-labelledby": "add-title" },
      h("h2", { id: "add-title" }, "Change your address"),
      h("p", { class: "hint" }, "The new address replaces the current one once you confirm it from the mail we send there."),
      addForm,
    ),
  );
}

// With email verification by code, the mail to a new address carries a code to enter here.
function confirmByCode(address) {
  const id = `confirm-${address.email.replace(/\W/g, "-")}`;
  return h("section", { "aria-labelledby": id },
    h("h2", { id }, `Confirm ${address.email}`),
    codeForm({
      param: "key",
      send: (key) => api.post("/auth/email/verify", { key }),
      onAnswer: async (answer) => {
        if (answer.status !== 200) {
          return answer;
        }
        await showEmails();
        say(`${address.email} is confirmed, and is now your address.`);
      },
    }),
  );
}

function actionsFor(address) {
  const change = (label, call, done) => button(label, async (event) => {
    const answer = await withReauthentication(call, event.target.closest("table"));
    await showEmails();
    say(answer.status === 200 ? done : failed(answer));
  }, { secondary: true });
  if (address.primary) {
    return [];
  }
  return [
    !address.verified && (offers.verificationByCode()
      ? change(`Send a new code to ${address.email}`, () => api.put("/account/email", { email: address.email }), `We sent a new code to ${address.email}; the one before no longer works.`)
      : change(`Send the link to ${address.email} again`, () => api.put("/account/email", { email: address.email }), `We sent the link to ${address.email} again.`)),
    address.verified && change(`Make ${address.email} primary`, () => api.patch("/account/email", { email: address.email, primary: true }), `${address.email} is now your primary address.`),
    change(`Remove ${address.email}`, () => api.del("/account/email", { email: address.email }), `${address.email} is removed.`),
  ].filter(Boolean);
}

// An answer without errors of its own: a mail was sent just before, or no more may be sent.
function failed(answer) {
  return answer.errors?.map((error) => error.message).join(" ") || "That did not work. Wait a minute, then try again.";
}

// The old address gets a mail with a link here when someone asks to change it.
export async function showCancelChange() {
  if (!requireLogin()) {
    return;
  }
  const addresses = dataOf(await api.get("/account/email"));
  if (!addresses) {
    return;
  }
  const pending = addresses.filter((address) => !address.verified);
  if (pending.length === 0) {
    return screen("Cancel an email change", h("p", {}, "No change of your email address is waiting to be confirmed."));
  }
  const list = h("ul", {}, pending.map((address) => h("li", {},
    button(`Cancel the change to ${address.email}`, async () => {
      const answer = await withReauthentication(() => api.del("/account/email", { email: address.email }), list);
      if (answer.status === 200) {
        await showCancelChange();
        say(`The change to ${address.email} is cancelled; your address stays as it was.`);
      } else {
        say(failed(answer));
      }
    }),
  )));
  screen(
    "Cancel an email change",
    h("p", {}, "Someone asked to change your account's email address. If it was not you, cancel it here, and change your password."),
    list,
  );
}
