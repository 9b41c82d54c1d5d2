// What the site offers (its config) and who is logged in (the session), and where an answer of the
// authentication endpoints leads: a 200 is a session, a 401 lists the flows, one of them maybe pending.

import * as api from "./api.js";
import { navigate } from "./router.js";
import { errorsOf, say } from "./ui.js";

export const state = { config: null, user: null, flows: [] };

const listeners = [];

export function onChange(listener) {
  listeners.push(listener);
}

function update(answer) {
  const authenticated = Boolean(answer.meta?.is_authenticated);
  state.user = authenticated ? answer.data.user : null;
  state.flows = answer.data?.flows ?? [];
  listeners.forEach((listener) => listener(state));
}

export async function load() {
  state.config = (await api.get("/config")).data;
  update(await api.get("/auth/session"));
}

export const offers = {
  signup: () => state.config.account.is_open_for_signup,
  username: () => state.config.account.login_methods.includes("username"),
  mfa: (type) => state.config.mfa?.supported_types.includes(type) ?? false,
  passkeyLogin: () => state.config.mfa?.passkey_login_enabled ?? false,
  providers: () => state.config.socialaccount?.providers ?? [],
  loginByCode: () => state.config.account.login_by_code_enabled,
  passwordResetByCode: () => state.config.account.password_reset_by_code_enabled,
  verificationByCode: () => state.config.account.email_verification_by_code_enabled,
};

export function pendingFlow() {
  return state.flows.find((flow) => flow.is_pending) ?? null;
}

// Where each pending flow is completed.
const PENDING_ROUTES = {
  verify_email: "/account/verify-email",
  login_by_code: "/account/login/code/confirm",
  password_reset_by_code: "/account/password/reset/code",
  mfa_authenticate: "/account/two-factor",
  mfa_trust: "/account/two-factor/trust",
  provider_signup: "/account/provider/signup",
};

// Follows an answer of a login-like endpoint. Returns false when it carries errors for the form to show.
export function follow(answer) {
  if (answer.status === 200 && answer.meta?.is_authenticated) {
    update(answer);
    openNext();
    return true;
  }
  if (answer.status === 401 || answer.status === 410) {
    update(answer);
    const pending = pendingFlow();
    navigate(pending ? PENDING_ROUTES[pending.id] ?? "/account/login" : "/account/login");
    return true;
  }
  return false;
}

// The data of the answer a screen of a logged-in user starts from, or null when there is none to show: a
// session that ended meanwhile (a logout in another tab, a session ended elsewhere) leads to the login
// screen, and any other failure is said in the status line.
export function dataOf(answer) {
  if (answer.status === 200) {
    return answer.data;
  }
  if (!follow(answer)) {
    say(errorsOf(answer));
  }
  return null;
}

// Screens that need a login send visitors to it first, and back afterwards.
export function requireLogin() {
  if (state.user) {
    return true;
  }
  rememberNext(location.pathname);
  navigate("/account/login", { replace: true });
  return false;
}

// Pages of this site outside the frontend's own routes, which send a visitor to log in first and come back
// as ?next=: the admin, the OpenID Connect provider's authorization request. Only a page on this origin is
// opened, so that a link to the login page cannot send anyone on to another site.
function isSitePage(url) {
  return url.origin === location.origin && url.pathname !== "/" && !/^\/account(\/|$)/.test(url.pathname);
}

export function serverPageFrom(query) {
  const next = query.get("next");
  if (!next) {
    return null;
  }
  const url = new URL(next, location.origin);
  return isSitePage(url) ? url.pathname + url.search : null;
}

export function rememberNext(path) {
  sessionStorage.setItem("next", path);
}

// After a login: back where the visitor was sent from, a screen of the frontend or a page of the site.
export function openNext() {
  const next = sessionStorage.getItem("next");
  sessionStorage.removeItem("next");
  if (next && isSitePage(new URL(next, location.origin))) {
    location.assign(next);
  } else {
    navigate(next ?? "/account");
  }
}

export async function refresh() {
  update(await api.get("/auth/session"));
}

export async function logout() {
  update(await api.del("/auth/session"));
  navigate("/account/login");
}
