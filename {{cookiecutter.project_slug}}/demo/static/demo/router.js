// Client-side routes: the path picks a screen; links within the site change it without a page load.

const routes = [];
const beforeEach = [];

// ``callback`` runs before each new screen, e.g. to clear the last screen's messages.
export function beforeShow(callback) {
  beforeEach.push(callback);
}

// ``pattern`` is a path with :name segments, e.g. /account/verify-email/:token.
export function route(pattern, show) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  routes.push({ regex: new RegExp(`^${source}/?$`), names, show });
}

export function navigate(path, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, "", path);
  } else {
    history.pushState(null, "", path);
  }
  beforeEach.forEach((callback) => callback());
  return showCurrent();
}

let notFound = () => {};

export function otherwise(show) {
  notFound = show;
}

function showCurrent() {
  for (const { regex, names, show } of routes) {
    const match = location.pathname.match(regex);
    if (match) {
      const params = Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
      return show(params, new URLSearchParams(location.search));
    }
  }
  return notFound();
}

export function start() {
  window.addEventListener("popstate", showCurrent);
  document.addEventListener("click", (event) => {
    const anchor = event.target.closest("a[href]");
    if (!anchor || anchor.origin !== location.origin || anchor.target || anchor.hasAttribute("download")) {
      return;
    }
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || anchor.hash) {
      return;
    }
    event.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
  return showCurrent();
}
