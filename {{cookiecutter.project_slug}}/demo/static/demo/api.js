// The headless API and the project API as a browser calls them: the session cookie goes along by itself,
// and every unsafe request echoes the csrftoken cookie in the X-CSRFToken header.

const HEADLESS = "/_allauth/browser/v1";
const PROJECT_API = "/api/v1";

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// Sends a request with the session cookie and, when unsafe, the CSRF header; null when the server cannot be reached.
async function send(method, url, body, headers = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (method !== "GET") {
    init.headers["X-CSRFToken"] = csrfToken();
  }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(url, init);
  } catch {
    return null;
  }
}

const UNREACHABLE = { status: 0, errors: [{ message: "The server cannot be reached. Check your connection and try again." }] };

function unreadable(response) {
  return { status: response.status, errors: [{ message: `The server answered ${response.status}. Try again later.` }] };
}

// Answers the headless API's JSON envelope: {status, data, meta, errors}.
export async function call(method, path, body, headers = {}) {
  const response = await send(method, HEADLESS + path, body, headers);
  if (!response) {
    return UNREACHABLE;
  }
  try {
    return await response.json();
  } catch {
    return unreadable(response);
  }
}

export const get = (path, headers) => call("GET", path, undefined, headers);
export const post = (path, body, headers) => call("POST", path, body, headers);
export const put = (path, body) => call("PUT", path, body);
export const patch = (path, body) => call("PATCH", path, body);
export const del = (path, body) => call("DELETE", path, body);

// The project API (/api/v1/) answers its data as such and its errors in allauth's envelope; both come back
// in the envelope's shape, {status, data} or {status, errors}, so that screens treat both APIs alike.
async function callProject(method, path, body) {
  const response = await send(method, PROJECT_API + path, body);
  if (!response) {
    return UNREACHABLE;
  }
  let json;
  try {
    const text = await response.text();
    json = text ? JSON.parse(text) : null;
  } catch {
    return unreadable(response);
  }
  return response.ok ? { status: response.status, data: json } : json;
}

export const project = {
  get: (path) => callProject("GET", path),
  post: (path, body) => callProject("POST", path, body),
  del: (path, body) => callProject("DELETE", path, body),
};

// A file of the project API, kept as the server sent it: {status, data: Blob, filename}, or the error envelope
// (so that a 401 asking to confirm the user's identity is followed as for any other call).
export async function download(path) {
  const response = await send("GET", PROJECT_API + path);
  if (!response) {
    return UNREACHABLE;
  }
  if (!response.ok) {
    try {
      return await response.json();
    } catch {
      return unreadable(response);
    }
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const filename = disposition.match(/filename="([^"]+)"/)?.[1] ?? path.split("/").pop();
  return { status: response.status, data: await response.blob(), filename };
}

// The project API's QR code of a pending authenticator-app set-up (an SVG image, same session).
export const TOTP_QR_URL = `${PROJECT_API}/mfa/totp/qr`;

// Social login leaves the page: a real form POST that the server answers with a redirect to the provider.
export const PROVIDER_REDIRECT_URL = `${HEADLESS}/auth/provider/redirect`;
