// The account's own data: export it as a file, delete the account (closed at once, deleted for good after a
// grace period), and cancel a deletion from the link in the mail.

import * as api from "../api.js";
import { refresh, requireLogin, state } from "../auth.js";
import { withReauthentication } from "../reauthenticate.js";
import { button, errorsOf, form, h, link, say, screen } from "../ui.js";

export function showYourData() {
  if (!requireLogin()) {
    return;
  }
  const exportButton = button("Export my data", async () => {
    const answer = await withReauthentication(() => api.download("/me/export"), exportButton);
    if (answer.status !== 200) {
      say(errorsOf(answer));
      return;
    }
    saveFile(answer.data, answer.filename);
    say(`Your data is saved as ${answer.filename}.`);
  });
  screen(
    "Your data",
    h("section", { "aria-labelledby": "export-title" },
      h("h2", { id: "export-title" }, "Export"),
      h("p", {}, `A file (JSON) of everything this site keeps about you: ${exportContents().join(", ")}. Secrets such as your password are never in it.`),
      exportButton,
    ),
    h("section", { "aria-labelledby": "delete-title" },
      h("h2", { id: "delete-title" }, "Delete your account"),
      h("p", {}, "Your account is closed at once and deleted for good after a grace period."),
      link("/account/delete", "Delete my account"),
    ),
  );
}

// What the export holds, as far as this site has it.
function exportContents() {
  return [
    "your profile",
    "addresses",
    state.config.mfa && "second factors",
    "sessions",
    state.config.socialaccount && "connected providers",
    "security events",
  ].filter(Boolean);
}

// The browser's own download of a file the page holds.
function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const anchor = h("a", { href: url, download: filename, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function showDeleteAccount() {
  if (!requireLogin()) {
    return;
  }
  const address = state.user.email ?? state.user.display;
  const confirmForm = form({
    fields: [{ name: "confirmation", label: `Type ${address} to confirm`, autocomplete: "off" }],
    submit: "Delete my account",
    onSubmit: async ({ confirmation }) => {
      if (confirmation.trim().toLowerCase() !== address.toLowerCase()) {
        return { errors: [{ param: "confirmation", message: `Type ${address} exactly, or leave this page to keep your account.` }] };
      }
      const answer = await withReauthentication(() => api.project.del("/me"), confirmForm);
      if (answer.status !== 202) {
        return answer;
      }
      await refresh(); // every session of the account has ended, this one too
      showAccountClosed(answer.data, address);
      return null;
    },
  });
  screen(
    "Delete your account",
    h("p", {}, "This cannot be undone once the grace period is over. When you confirm:"),
    h("ul", {},
      h("li", {}, "your account is closed at once, and you are logged out everywhere;"),
      h("li", {}, "nobody can log in to it, by any means;"),
      h("li", {}, "we mail you a link that keeps the account, until it is deleted for good at the end of the grace period."),
    ),
    h("p", {}, "You may want to ", link("/account/data", "export your data"), " first."),
    confirmForm,
    h("p", {}, link("/account", "Keep my account")),
  );
}

function showAccountClosed({ delete_after: deleteAfter }, address) {
  screen(
    "Your account is closed",
    h("p", {}, "It will be deleted for good on ", h("time", { datetime: deleteAfter }, new Date(deleteAfter).toLocaleString()), "."),
    h("p", {}, `Until then, the link in the mail we sent to ${address} keeps it.`),
  );
}

// The link in the deletion mail opens this screen; the key is sent only when the person confirms, so that a
// mail scanner opening the link changes nothing.
export function showCancelDeletion({ key }) {
  const cancel = button("Keep my account", async () => {
    const answer = await api.project.post("/me/deletion/cancel", { key });
    if (answer.status === 200) {
      screen(
        "Your account is kept",
        h("p", {}, "The deletion is cancelled and your account is open again, as it was. Your sessions stay ended: log in again."),
        h("p", {}, link("/account/login", "Log in")),
      );
    } else {
      screen("This link does not work", h("p", {}, errorsOf(answer)), h("p", {}, link("/account/login", "Log in")));
    }
  });
  screen(
    "Keep your account?",
    h("p", {}, "Your account is closed and waiting to be deleted. You can still keep it."),
    cancel,
  );
}
