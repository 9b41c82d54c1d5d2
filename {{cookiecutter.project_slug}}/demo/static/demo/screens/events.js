// The account's security events (GET /api/v1/me/events): what happened to it, newest first, a page at a time.

import * as api from "../api.js";
import { offers, requireLogin } from "../auth.js";
import { errorsOf, h, link, screen } from "../ui.js";

const PAGE_SIZE = 20; // the API's page size (api/events.py)

const CLIENTS = { browser: "Browser", app: "App", "": "Other (the admin or the site's own pages)" };
// Second factors as a login step names them, and as the events of adding or removing one do.
const FACTORS = { totp: "the authenticator app", recovery_codes: "a recovery code", webauthn: "a passkey" };
const FACTOR_KINDS = { totp: "authenticator app", recovery_codes: "recovery codes", webauthn: "passkey" };
// How a login or a confirmation of identity was made.
const METHODS = {
  password: "with the password",
  code: "with a code by mail",
  passkey: "with a passkey",
  email_confirmation: "by confirming the address",
  ...Object.fromEntries(Object.entries(FACTORS).map(([type, name]) => [type, `with ${name}`])),
};

export async function showEvents(_params, query) {
  if (!requireLogin()) {
    return;
  }
  const page = Number(query.get("page") ?? "1");
  const answer = await api.project.get(`/me/events?page=${encodeURIComponent(query.get("page") ?? "1")}`);
  if (answer.status !== 200) {
    screen(
      "Security events",
      h("p", { class: "error", role: "alert" }, `This page of events cannot be shown: ${errorsOf(answer)}`),
      h("p", {}, link("/account/events", "Show the newest events")),
    );
    return;
  }
  const { items, count } = answer.data;
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  screen(
    "Security events",
    h("p", {}, "What happened to your account, newest first. Something you do not recognise? Change your password and end your other sessions."),
    items.length > 0 ? eventTable(items) : h("p", {}, count > 0 ? "There are no events on this page." : "No events yet."),
    h("nav", { "aria-label": "Pages of events", class: "actions" },
      h("span", {}, `Page ${Math.min(page, pages)} of ${pages}, ${count} event${count === 1 ? "" : "s"}`),
      page > 1 && link(`/account/events?page=${Math.min(page - 1, pages)}`, "Newer events"),
      page < pages && link(`/account/events?page=${page + 1}`, "Older events"),
    ),
  );
}

function eventTable(events) {
  return h("table", {},
    h("thead", {}, h("tr", {}, ["What", "When", "IP address", "Client"].map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, events.map((event) => h("tr", {},
      h("td", {}, describe(event)),
      h("td", {}, h("time", { datetime: event.at }, new Date(event.at).toLocaleString())),
      h("td", {}, event.ip_address ?? "unknown"),
      h("td", {}, CLIENTS[event.client] ?? event.client, h("br"), h("span", { class: "hint user-agent" }, event.user_agent || "no user agent")),
    ))),
  );
}

// The event's label, and what its detail says, in words: "Logged in with the password, then a passkey".
function describe({ label, detail }) {
  const how = [
    detail.method && (detail.provider ? `with ${providerName(detail.provider)}` : METHODS[detail.method] ?? `with ${detail.method}`),
    detail.second_factor && `then ${FACTORS[detail.second_factor] ?? detail.second_factor}`,
  ].filter(Boolean);
  const what = [
    !detail.method && detail.provider && providerName(detail.provider),
    detail.type && (FACTOR_KINDS[detail.type] ?? detail.type),
    detail.email && (detail.previous ? `${detail.email}, instead of ${detail.previous}` : detail.email),
    detail.session_ip && `the one from ${detail.session_ip}`,
    detail.delete_after && `to be deleted on ${new Date(detail.delete_after).toLocaleString()}`,
  ].filter(Boolean);
  return [label, how.join(", ")].filter(Boolean).join(" ") + (what.length > 0 ? `: ${what.join(", ")}` : "");
}

function providerName(id) {
  return offers.providers().find((provider) => provider.id === id)?.name ?? id;
}
