// DOM helpers: elements, screens, forms that show the API's errors next to their fields, status messages.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value != null) {
      element.setAttribute(name, value);
    }
  }
  element.append(...children.flat().filter((child) => child != null && child !== false));
  return element;
}

export function link(href, text) {
  return h("a", { href }, text);
}

export function button(text, onclick, { secondary = false } = {}) {
  return h("button", { type: "button", class: secondary ? "secondary" : null, onclick }, text);
}

// Replaces the page's content with a new screen and moves the focus to its heading,
// so that keyboard and screen-reader users start reading at the top of it.
export function screen(title, ...content) {
  const heading = h("h1", { tabindex: "-1" }, title);
  document.getElementById("main").replaceChildren(heading, ...content.flat().filter((part) => part != null && part !== false));
  document.title = title;
  heading.focus();
}

// An answer's errors in one message, for the status line or an alert.
export function errorsOf(answer) {
  return answer.errors?.map((error) => error.message).join(" ") ?? `The server answered ${answer.status}.`;
}

export function say(message) {
  document.getElementById("status").textContent = message;
}

let formCount = 0;

// A form whose submit handler calls the API. ``fields``: {name, label, type, autocomplete, hint,
// params}; ``name`` is the API's parameter, and ``params`` other parameters whose errors belong here.
// ``onSubmit(values)`` answers the API's JSON (or nothing); its errors are shown next to their fields.
export function form({ fields, submit, onSubmit }) {
  const id = `form-${++formCount}`;
  const errors = h("div", { class: "error", role: "alert" });
  const inputs = new Map();
  const messages = new Map();
  const rows = fields.map((field) => {
    const inputId = `${id}-${field.name}`;
    const message = h("p", { class: "error", id: `${inputId}-error`, hidden: true });
    const hint = field.hint ? h("p", { class: "hint", id: `${inputId}-hint` }, field.hint) : null;
    const input = h("input", {
      id: inputId,
      name: field.name,
      type: field.type ?? "text",
      autocomplete: field.autocomplete ?? "off",
      required: true,
      inputmode: field.inputmode,
      "aria-describedby": hint ? hint.id : null,
      "data-hint": hint ? hint.id : null,
    });
    inputs.set(field.name, input);
    for (const param of [field.name, ...(field.params ?? [])]) {
      messages.set(param, { message, input });
    }
    return h("div", { class: "field" }, h("label", { for: inputId }, field.label), hint, input, message);
  });
  const submitButton = h("button", { type: "submit" }, submit);
  const element = h("form", { id, novalidate: true }, errors, rows, h("div", { class: "actions" }, submitButton));

  function clear() {
    errors.replaceChildren();
    for (const { message, input } of messages.values()) {
      message.hidden = true;
      message.textContent = "";
      input.removeAttribute("aria-invalid");
      describe(input, null);
    }
  }

  function showErrors(apiErrors) {
    clear();
    let first = null;
    for (const error of apiErrors) {
      const target = messages.get(error.param);
      if (target) {
        target.message.hidden = false;
        target.message.textContent = [target.message.textContent, error.message].filter(Boolean).join(" ");
        target.input.setAttribute("aria-invalid", "true");
        describe(target.input, target.message);
        first ??= target.input;
      } else {
        errors.append(h("p", {}, error.message));
      }
    }
    (first ?? submitButton).focus();
  }

  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries([...inputs].map(([name, input]) => [name, input.value]));
    submitButton.disabled = true;
    try {
      const answer = await onSubmit(values);
      if (answer?.errors) {
        showErrors(answer.errors);
      } else if (element.isConnected) {
        clear();
      }
    } finally {
      submitButton.disabled = false;
    }
  });
  return element;
}

// Screen readers read an input's hint and, when there is one, its error.
function describe(input, error) {
  const ids = [input.dataset.hint, error?.id].filter(Boolean);
  if (ids.length > 0) {
    input.setAttribute("aria-describedby", ids.join(" "));
  } else {
    input.removeAttribute("aria-describedby");
  }
}

export function formatTime(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}
