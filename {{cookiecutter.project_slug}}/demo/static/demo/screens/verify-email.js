// Confirming an address from the link or with the code in a mail: after signup, or for a new address of an account.

import * as api from "../api.js";
import { follow, offers } from "../auth.js";
import { codeForm } from "../code-form.js";
import { navigate } from "../router.js";
import { form, h, link, say, screen } from "../ui.js";

export function showVerificationSent() {
  if (offers.verificationByCode()) {
    return screen(
      "Check your inbox",
      h("p", {}, "We sent you a code to confirm your email address. Enter it here to go on."),
      codeForm({
        param: "key",
        flow: "verify_email",
        send: (key) => api.post("/auth/email/verify", { key }),
        onAnswer: confirmed,
        resend: () => api.post("/auth/email/verify/resend"),
        restart: ["/account/login", "Log in to get a new code"],
      }),
    );
  }
  screen(
    "Check your inbox",
    h("p", {}, "We sent you a link to confirm your email address. Open it to finish signing up."),
    h("p", {}, link("/account/login", "Back to log in")),
  );
}

function confirmed(answer) {
  if (answer.status === 200) {
    follow(answer);
    say(`${answer.data.user.email} is confirmed.`);
    return null;
  }
  return follow(answer) ? null : answer;
}

// The link only shows the address; confirming takes a click, so that mail scanners that open
// links do not confirm addresses on their own.
export async function showConfirmEmail({ token }) {
  const info = await api.get("/auth/email/verify", { "X-Email-Verification-Key": token });
  if (info.status !== 200) {
    return screen(
      "This link does not work",
      h("p", {}, "The link is invalid, used already, or has expired. Log in to get a new one."),
      h("p", {}, link("/account/login", "Log in")),
    );
  }
  const email = info.data.email;
  screen(
    "Confirm your email address",
    h("p", {}, "Confirm that ", h("strong", {}, email), " is your address."),
    form({
      fields: [],
      submit: "Confirm",
      onSubmit: async () => {
        const answer = await api.post("/auth/email/verify", { key: token });
        if (answer.status === 200) {
          follow(answer);
          say(`${email} is confirmed.`);
        } else if (answer.status === 401) {
          await navigate("/account/login");
          say(`${email} is confirmed. Log in to continue.`);
        } else {
          return answer;
        }
      },
    }),
  );
}
