// A form for a code from the mail (login, password reset, confirming an address): a wrong or expired
// code is answered next to the field, and a new code may be asked for where allauth offers one.

import { refresh, state } from "./auth.js";
import { button, form, h, link, say } from "./ui.js";

// ``param``: the API's name for the code (code or key). ``send(code)`` makes the call and ``onAnswer(answer, code)``
// follows a good answer (or returns it, errors and all). ``flow``: the pending flow the code belongs to, if any,
// so that the last wrong try can say the flow is over. ``restart``: [href, text] of where a new flow begins,
// offered once this one is over. ``resend()``: asks for a new code in the same flow, where allauth offers that.
export function codeForm({ param, send, onAnswer, flow = null, restart = null, resend = null }) {
  const restartLink = restart ? h("p", { hidden: true }, link(...restart)) : null;
  const resendPanel = resend ? resendButton(resend) : null;
  const over = (message) => {
    restartLink?.removeAttribute("hidden");
    resendPanel?.setAttribute("hidden", "");
    return { errors: [{ param, message: restart ? `${message} ${restart[1]}.` : message }] };
  };
  const codeForm = form({
    fields: [{ name: param, label: "Code from the mail", autocomplete: "one-time-code", hint: "It works for a few minutes." }],
    submit: "Continue",
    onSubmit: async (values) => {
      const code = values[param].trim();
      const answer = await send(code);
      if (answer.status === 409) {
        return over("This code has expired, or too many wrong codes were tried.");
      }
      if (answer.status === 400 && flow && !(await stillPending(flow))) {
        return over("That was the last try for this code.");
      }
      return answer.status === 400 ? answer : onAnswer(answer, code);
    },
  });
  return [codeForm, resendPanel, restartLink];
}

async function stillPending(flow) {
  await refresh();
  return state.flows.some((item) => item.id === flow && item.is_pending);
}

function resendButton(resend) {
  const error = h("p", { class: "error", role: "alert" });
  const ask = async () => {
    error.textContent = "";
    const answer = await resend();
    if (answer.status === 200) {
      say("A new code is on its way; the one before no longer works.");
    } else if (answer.status === 429) {
      error.textContent = "A code was sent just now. Wait a few seconds, then ask again.";
    } else {
      error.textContent = "No more new codes can be sent for this one. Enter the last code you got.";
    }
  };
  return h("div", { class: "panel" }, button("Mail me a new code", ask, { secondary: true }), error);
}
