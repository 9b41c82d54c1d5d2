// The demo frontend: a reference client of the headless API's browser client. It reads the site's
// config first and shows only what the site offers; each screen lives in its own module.

import * as auth from "./auth.js";
import { beforeShow, otherwise, route, start } from "./router.js";
import { showAccount } from "./screens/account.js";
import { showCancelDeletion, showDeleteAccount, showYourData } from "./screens/account-data.js";
import { showCancelChange, showEmails } from "./screens/email.js";
import { showEvents } from "./screens/events.js";
import { showLogin } from "./screens/login.js";
import { showConfirmLoginCode, showRequestLoginCode } from "./screens/login-code.js";
import {
  showChangePassword,
  showPasswordChanged,
  showResetFromLink,
  showResetRequest,
  showResetWithCode,
  showSetPassword,
} from "./screens/password.js";
import { CALLBACK_ROUTE, showProviderCallback, showProviderSignup } from "./screens/provider.js";
import { showSecurity } from "./screens/security.js";
import { showSessions } from "./screens/sessions.js";
import { showSignup } from "./screens/signup.js";
import { showTrust, showTwoFactor } from "./screens/two-factor.js";
import { showConfirmEmail, showVerificationSent } from "./screens/verify-email.js";
import { h, link, say, screen } from "./ui.js";

// The routes under /account/ with a placeholder are those the site's mails link to
// (accounts/frontend_urls.py), so these must keep their shape.
route("/", showAccount);
route("/account", showAccount);
route("/account/login", showLogin);
route("/account/login/code", showRequestLoginCode);
route("/account/login/code/confirm", showConfirmLoginCode);
route("/account/signup", showSignup);
route("/account/verify-email", showVerificationSent);
route("/account/verify-email/:token", showConfirmEmail);
route("/account/two-factor", showTwoFactor);
route("/account/two-factor/trust", showTrust);
route("/account/password/reset", showResetRequest);
route("/account/password/reset/code", showResetWithCode);
route("/account/password/reset/:uidb64/:token", showResetFromLink);
route("/account/password/changed", showPasswordChanged);
route("/account/password/set", showSetPassword);
route("/account/password/change", showChangePassword);
route("/account/email", showEmails);
route("/account/email/confirm/:token", showConfirmEmail);
route("/account/email/cancel", showCancelChange);
route("/account/sessions", showSessions);
route("/account/events", showEvents);
route("/account/data", showYourData);
route("/account/delete", showDeleteAccount);
route("/account/delete/cancel/:key", showCancelDeletion);
route("/account/security", showSecurity);
route(CALLBACK_ROUTE, showProviderCallback);
route("/account/provider/signup", showProviderSignup);
otherwise(() => screen("Page not found", h("p", {}, "There is nothing here. ", link("/", "Go to the start"))));

beforeShow(() => say(""));
auth.onChange(showNavigation);

function showNavigation({ user }) {
  const items = user
    ? [
        link("/account", "Account"),
        h("button", { type: "button", class: "secondary", onclick: auth.logout }, "Log out"),
      ]
    : [link("/account/login", "Log in"), auth.offers.signup() && link("/account/signup", "Sign up")];
  document.getElementById("nav").replaceChildren(h("ul", {}, items.filter(Boolean).map((item) => h("li", {}, item))));
}

await auth.load();
await start();
