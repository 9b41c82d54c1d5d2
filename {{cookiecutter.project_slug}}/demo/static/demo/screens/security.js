// Second factors: an authenticator app set up from a QR code, recovery codes, and passkeys.
// Each part shows only when the site's config offers it.

import * as api from "../api.js";
import { dataOf, offers, requireLogin } from "../auth.js";
import { withReauthentication } from "../reauthenticate.js";
import { button, errorsOf, form, formatTime, h, say, screen } from "../ui.js";
import { createPasskey } from "../webauthn.js";

export async function showSecurity() {
  if (!requireLogin()) {
    return;
  }
  const authenticators = dataOf(await api.get("/account/authenticators"));
  if (!authenticators) {
    return;
  }
  const ofType = (type) => authenticators.filter((authenticator) => authenticator.type === type);
  screen(
    "Two-factor authentication and passkeys",
    offers.mfa("totp") && totpSection(ofType("totp")[0]),
    offers.mfa("recovery_codes") && recoveryCodesSection(ofType("recovery_codes")[0]),
    offers.mfa("webauthn") && passkeysSection(ofType("webauthn")),
  );
}

function section(id, title, ...content) {
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

// Shows the screen again with a message; failed calls keep the screen and say why.
async function afterChange(answer, message) {
  if (answer.status === 200) {
    await showSecurity();
    say(message);
  } else {
    say(errorsOf(answer));
  }
}

function totpSection(totp) {
  if (totp) {
    const turnOff = button("Turn off the authenticator app", async () => {
      const answer = await withReauthentication(() => api.del("/account/authenticators/totp"), turnOff);
      await afterChange(answer, "The authenticator app is turned off.");
    }, { secondary: true });
    return section("totp-title", "Authenticator app", h("p", {}, `In use since ${formatTime(totp.created_at)}.`), turnOff);
  }
  const place = h("div");
  const start = button("Set up an authenticator app", async () => {
    // A 404 means none is active yet; its meta holds a new secret, kept in the session until activated.
    const answer = await withReauthentication(() => api.get("/account/authenticators/totp"), start);
    if (answer.status !== 404 || !answer.meta?.secret) {
      return afterChange(answer);
    }
    start.remove();
    place.replaceChildren(...totpSetup(answer.meta.secret));
    place.querySelector("input").focus();
  });
  return section("totp-title", "Authenticator app", h("p", {}, "Not set up."), start, place);
}

function totpSetup(secret) {
  const setupForm = form({
    fields: [{ name: "code", label: "Code shown by the app", autocomplete: "one-time-code", inputmode: "numeric" }],
    submit: "Turn on",
    onSubmit: async (values) => {
      const answer = await withReauthentication(() => api.post("/account/authenticators/totp", values), setupForm);
      if (answer.status !== 200) {
        return answer;
      }
      await afterChange(answer, "The authenticator app is on. Keep your recovery codes somewhere safe.");
      return null;
    },
  });
  return [
    h("p", {}, "Scan this code with your authenticator app, or type in the key below it."),
    h("img", { class: "qr", src: `${api.TOTP_QR_URL}?t=${Date.now()}`, alt: "QR code for the authenticator app (the key is written out below)" }),
    h("p", {}, "Key: ", h("code", { class: "secret" }, secret)),
    setupForm,
  ];
}

function recoveryCodesSection(codes) {
  if (!codes) {
    return section("codes-title", "Recovery codes", h("p", {}, "You get recovery codes when you set up a second factor."));
  }
  const place = h("div");
  const show = button("Show the recovery codes", async () => {
    const answer = await withReauthentication(() => api.get("/account/authenticators/recovery-codes"), show);
    if (answer.status !== 200) {
      return afterChange(answer);
    }
    place.replaceChildren(h("ul", { class: "codes", "aria-label": "Unused recovery codes" }, answer.data.unused_codes.map((code) => h("li", {}, code))));
  }, { secondary: true });
  const renew = button("Make new codes", async () => {
    const answer = await withReauthentication(() => api.post("/account/authenticators/recovery-codes"), renew);
    await afterChange(answer, "New recovery codes are made; the old ones no longer work.");
  }, { secondary: true });
  return section(
    "codes-title",
    "Recovery codes",
    h("p", {}, `${codes.unused_code_count} of ${codes.total_code_count} unused. Each works once, when you cannot use your other second factors.`),
    h("div", { class: "actions" }, show, renew),
    place,
  );
}

function passkeysSection(passkeys) {
  const addForm = form({
    fields: [{ name: "name", label: "Name of the new passkey", hint: "So that you can tell your passkeys apart, e.g. Laptop." }],
    submit: "Add a passkey",
    onSubmit: async ({ name }) => {
      // passwordless: a passkey that also logs in on its own, without the password.
      const options = await withReauthentication(() => api.get("/account/authenticators/webauthn?passwordless"), addForm);
      if (options.status !== 200) {
        return options;
      }
      const passkey = await createPasskey(options.data.creation_options);
      if (!passkey.credential) {
        return passkey;
      }
      const answer = await api.post("/account/authenticators/webauthn", { name, credential: passkey.credential });
      if (answer.status !== 200) {
        return answer;
      }
      await afterChange(answer, `The passkey ${name} is added.`);
      return null;
    },
  });
  const list = h("ul", {}, passkeys.map((passkey) => {
    const remove = button(`Remove ${passkey.name}`, async () => {
      const answer = await withReauthentication(() => api.del("/account/authenticators/webauthn", { authenticators: [passkey.id] }), remove);
      await afterChange(answer, `The passkey ${passkey.name} is removed.`);
    }, { secondary: true });
    return h("li", {}, `${passkey.name}, added ${formatTime(passkey.created_at)} `, remove);
  }));
  return section(
    "passkeys-title",
    "Passkeys",
    passkeys.length > 0 ? list : h("p", {}, "No passkeys yet."),
    addForm,
  );
}
