// Passkeys: allauth hands out WebAuthn options as JSON ({publicKey: ...}, binary values in base64url);
// the browser's own JSON helpers turn them into what navigator.credentials takes, and the credential back.

const UNSUPPORTED = "This browser cannot use passkeys here. Use a current Chrome, Edge, Firefox or Safari.";

export function passkeysSupported() {
  return typeof window.PublicKeyCredential?.parseCreationOptionsFromJSON === "function";
}

// Each answers {credential} (the JSON to send back) or {errors} in the API's shape, for the form to show.
export async function createPasskey(creationOptions) {
  if (!passkeysSupported()) {
    return failure(UNSUPPORTED);
  }
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(creationOptions.publicKey);
  return use(() => navigator.credentials.create({ publicKey }));
}

export async function getPasskey(requestOptions) {
  if (!passkeysSupported()) {
    return failure(UNSUPPORTED);
  }
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(requestOptions.publicKey);
  return use(() => navigator.credentials.get({ publicKey }));
}

async function use(ask) {
  try {
    return { credential: (await ask()).toJSON() };
  } catch (error) {
    // NotAllowedError: the person cancelled, or no passkey of theirs fits.
    return failure(error.name === "NotAllowedError" ? "No passkey was used. Try again, or use another way." : error.message);
  }
}

function failure(message) {
  return { status: 400, errors: [{ message, param: "credential" }] };
}
