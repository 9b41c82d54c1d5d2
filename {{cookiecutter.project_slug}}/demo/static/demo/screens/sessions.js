// The account's sessions: where it is logged in, and ending the others.

import * as api from "../api.js";
import { dataOf, requireLogin } from "../auth.js";
import { withReauthentication } from "../reauthenticate.js";
import { button, formatTime, h, say, screen } from "../ui.js";

export async function showSessions() {
  if (!requireLogin()) {
    return;
  }
  const sessions = dataOf(await api.get("/auth/sessions"));
  if (!sessions) {
    return;
  }
  const others = sessions.filter((session) => !session.is_current);
  const end = async (ids, where) => {
    const answer = await withReauthentication(() => api.del("/auth/sessions", { sessions: ids }), where);
    await showSessions();
    say(answer.status === 200 ? `Ended ${ids.length} session${ids.length === 1 ? "" : "s"}.` : answer.errors.map((error) => error.message).join(" "));
  };
  const table = h("table", {},
    h("thead", {}, h("tr", {}, ["Browser or app", "IP address", "Since", "Last seen", ""].map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, sessions.map((session) => h("tr", {},
      h("td", {}, session.user_agent || "unknown"),
      h("td", {}, session.ip),
      h("td", {}, formatTime(session.created_at)),
      h("td", {}, session.last_seen_at ? formatTime(session.last_seen_at) : ""),
      h("td", {}, session.is_current ? "this one" : button(`End session from ${session.ip}`, () => end([session.id], table), { secondary: true })),
    ))),
  );
  screen(
    "Sessions",
    table,
    others.length > 0 && h("p", {}, button("End all other sessions", () => end(others.map((session) => session.id), table))),
  );
}
