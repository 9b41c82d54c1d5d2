// Email addresses: list them, add one (it replaces the current one once confirmed), and cancel a change.

import * as api from "../api.js";
import { requireLogin } from "../auth.js";
import { withReauthentication } from "../reauthenticate.js";
import { button, form, h, say, screen } from "../ui.js";

export async function showEmails() {
  if (!requireLogin()) {
    return;
  }
  const addresses = (await api.get("/account/email")).data;
  const addForm = form({
    fields: [{ name: "email", label: "New email address", type: "email", autocomplete: "email" }],
    submit: "Add",
    onSubmit: async (values) => {
      const answer = await withReauthentication(() => api.post("/account/email", values), addForm);
      if (answer.status === 200) {
        await showEmails();
        say(`We sent a link to ${values.email}. Open it to confirm the address.`);
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
    h("section", { "aria-labelledby": "add-title" },
      h("h2", { id: "add-title" }, "Change your address"),
      h("p", { class: "hint" }, "The new address replaces the current one once you confirm it from the mail we send there."),
      addForm,
    ),
  );
}

function actionsFor(address) {
  const change = (label, call, done) => button(label, async (event) => {
    const answer = await withReauthentication(call, event.target.closest("table"));
    await showEmails();
    say(answer.status === 200 ? done : answer.errors.map((error) => error.message).join(" "));
  }, { secondary: true });
  if (address.primary) {
    return [];
  }
  return [
    !address.verified && change(`Send the link to ${address.email} again`, () => api.put("/account/email", { email: address.email }), `We sent the link to ${address.email} again.`),
    address.verified && change(`Make ${address.email} primary`, () => api.patch("/account/email", { email: address.email, primary: true }), `${address.email} is now your primary address.`),
    change(`Remove ${address.email}`, () => api.del("/account/email", { email: address.email }), `${address.email} is removed.`),
  ].filter(Boolean);
}

// The old address gets a mail with a link here when someone asks to change it.
export async function showCancelChange() {
  if (!requireLogin()) {
    return;
  }
  const pending = (await api.get("/account/email")).data.filter((address) => !address.verified);
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
        say(answer.errors.map((error) => error.message).join(" "));
      }
    }),
  )));
  screen(
    "Cancel an email change",
    h("p", {}, "Someone asked to change your account's email address. If it was not you, cancel it here, and change your password."),
    list,
  );
}
