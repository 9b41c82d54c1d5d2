// Passwords: a reset link or code by mail, setting the new one with it, and changing it while logged in.

import * as api from "../api.js";
import { follow, offers, pendingFlow, requireLogin, state } from "../auth.js";
import { codeForm } from "../code-form.js";
import { withReauthentication } from "../reauthenticate.js";
import { navigate } from "../router.js";
import { form, h, link, say, screen } from "../ui.js";

export function showResetRequest(_params, _query, title = "Reset your password") {
  const byCode = offers.passwordResetByCode();
  screen(
    title,
    h("p", {}, byCode ? "We will mail you a code to choose a new password with." : "We will mail you a link to choose a new password."),
    form({
      fields: [{ name: "email", label: "Email", type: "email", autocomplete: "email" }],
      submit: byCode ? "Mail me a code" : "Send the link",
      onSubmit: async (values) => {
        const answer = await api.post("/auth/password/request", values);
        if (answer.status === 200) {
          say(`If an account uses ${values.email}, a link to reset its password is on its way.`);
          return null;
        }
        if (answer.status === 401 && follow(answer)) {
          say(`If an account uses ${values.email}, a code to reset its password is on its way.`);
          return null;
        }
        return answer;
      },
    }),
    h("p", {}, link("/account/login", "Back to log in")),
  );
}

// With password reset by code: the code from the mail first, then the new password.
export function showResetWithCode() {
  if (pendingFlow()?.id !== "password_reset_by_code") {
    return navigate("/account/password/reset", { replace: true });
  }
  screen(
    "Reset your password",
    h("p", {}, "Enter the code from the mail we sent you."),
    codeForm({
      param: "key",
      flow: "password_reset_by_code",
      send: (key) => api.get("/auth/password/reset", { "X-Password-Reset-Key": key }),
      onAnswer: (_answer, key) => chooseNewPassword(key),
      restart: ["/account/password/reset", "Start over with a new code"],
    }),
  );
}

function chooseNewPassword(key) {
  screen(
    "Choose a new password",
    setNewPassword(key),
    h("p", {}, link("/account/password/reset", "Start again with a new code")),
  );
}

// Mails to accounts without a password (e.g. signed up through a provider) link here.
export function showSetPassword(params, query) {
  if (state.user) {
    return showChangePassword();
  }
  return showResetRequest(params, query, "Set a password");
}

// The link carries the two halves of allauth's reset key; the API takes them joined by "-".
export async function showResetFromLink({ uidb64, token }) {
  const key = `${uidb64}-${token}`;
  const info = await api.get("/auth/password/reset", { "X-Password-Reset-Key": key });
  if (info.status !== 200) {
    return screen(
      "This link does not work",
      h("p", {}, "The link is invalid, used already, or has expired."),
      h("p", {}, link("/account/password/reset", "Ask for a new link")),
    );
  }
  screen("Choose a new password", setNewPassword(key));
}

// The new password with the key (from the link) or the code (from the mail) that allows it.
function setNewPassword(key) {
  return form({
    fields: [{ name: "password", label: "New password", type: "password", autocomplete: "new-password", params: ["key"] }],
    submit: "Set the password",
    onSubmit: async (values) => {
      const answer = await api.post("/auth/password/reset", { key, password: values.password });
      if (answer.status === 200 || answer.status === 401) {
        follow(answer);
        say(answer.status === 200 ? "Your new password is set." : "Your new password is set. Log in with it.");
        return null;
      }
      if (answer.status === 409) {
        return { errors: [{ param: "password", message: "The code has expired meanwhile. Start again with a new code." }] };
      }
      return answer;
    },
  });
}

export function showPasswordChanged() {
  screen(
    "Your password was changed",
    h("p", {}, "If you did not change it, someone else may know it: reset it now."),
    h("p", {}, link("/account/password/reset", "Reset your password")),
  );
}

export function showChangePassword() {
  if (!requireLogin()) {
    return;
  }
  const hasPassword = state.user.has_usable_password;
  const passwordForm = form({
    fields: [
      hasPassword && { name: "current_password", label: "Current password", type: "password", autocomplete: "current-password" },
      { name: "new_password", label: "New password", type: "password", autocomplete: "new-password" },
    ].filter(Boolean),
    submit: hasPassword ? "Change the password" : "Set the password",
    onSubmit: async (values) => {
      const answer = await withReauthentication(() => api.post("/account/password/change", values), passwordForm);
      if (answer.status === 200) {
        passwordForm.reset();
        say("Your password is changed.");
        return null;
      }
      return answer;
    },
  });
  screen(hasPassword ? "Change your password" : "Set a password", passwordForm);
}
