// The headless API as a browser calls it: the session cookie goes along by itself, and every
// unsafe request echoes the csrftoken cookie in the X-CSRFToken header.

const HEADLESS = "/_allauth/browser/v1";

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// Answers the headless API's JSON envelope: {status, data, meta, errors}.
export async function call(method, path, body, headers = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (method !== "GET") {
    init.headers["X-CSRFToken"] = csrfToken();
  }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(HEADLESS + path, init);
  } catch {
    return { status: 0, errors: [{ message: "The server cannot be reached. Check your connection and try again." }] };
  }
  try {
    return await response.json();
  } catch {
    return { status: response.status, errors: [{ message: `The server answered ${response.status}. Try again later.` }] };
  }
}

export const get = (path, headers) => call("GET", path, undefined, headers);
export const post = (path, body, headers) => call("POST", path, body, headers);
export const put = (path, body) => call("PUT", path, body);
export const patch = (path, body) => call("PATCH", path, body);
export const del = (path, body) => call("DELETE", path, body);

// The project API's QR code of a pending authenticator-app set-up (an SVG image, same session).
export const TOTP_QR_URL = "/api/v1/mfa/totp/qr";

// Social login leaves the page: a real form POST that the server answers with a redirect to the provider.
export const PROVIDER_REDIRECT_URL = `${HEADLESS}/auth/provider/redirect`;
