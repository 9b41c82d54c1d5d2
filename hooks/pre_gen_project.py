"""Check the answers before anything is written: one line per problem, exit 1 if any."""

import keyword
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ANSWERS = {
    "project_name": {{ cookiecutter.project_name | tojson }},
    "project_slug": {{ cookiecutter.project_slug | tojson }},
    "author_email": {{ cookiecutter.author_email | tojson }},
    "domain_name": {{ cookiecutter.domain_name | tojson }},
    "frontend_url": {{ cookiecutter.frontend_url | tojson }},
}
SOCIAL_LOGIN = {{ cookiecutter.social_login }}
PASSKEYS = {{ cookiecutter.mfa == "totp and passkeys" }}
TEMPLATE_DIR = Path({{ template_dir | tojson }})
# The generated site, whose own rules (accounts/frontend_urls.py, accounts/passkeys.py) are used so both agree.
SITE_DIR = TEMPLATE_DIR / "{% raw %}{{cookiecutter.project_slug}}{% endraw %}"

# Packages the generated site imports or contains, and the standard library's
# test package (not in sys.stdlib_module_names); a project directory with one of
# these names would shadow it when the project's parent is on sys.path.
TAKEN_NAMES = {
    "accounts", "allauth", "api", "config", "core", "corsheaders", "demo", "django", "environ", "mail",
    "gunicorn", "ninja", "psycopg", "pytest", "redis", "templates", "test", "tests", "whitenoise",
}  # fmt: skip
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def slug_problems(slug: str) -> list[str]:
    if not slug.isidentifier() or not slug.isascii():
        return [f"project_slug {slug!r} is not a Python identifier: use letters, digits and _, not starting with a digit."]
    if slug != slug.lower():
        return [f"project_slug {slug!r} must be lower case, e.g. {slug.lower()!r}."]
    if keyword.iskeyword(slug):
        return [f"project_slug {slug!r} is a Python keyword; choose another name."]
    if slug in sys.stdlib_module_names or slug in TAKEN_NAMES:
        return [f"project_slug {slug!r} would shadow the module {slug!r}; choose another name, e.g. {slug + '_service'!r}."]
    return []


def frontend_url_problems(origin: str) -> list[str]:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [f"frontend_url {origin!r} is not an absolute http(s) URL; use e.g. https://app.example.com."]
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return [f"frontend_url {origin!r} must be an origin (scheme://host[:port]) with no path; use e.g. https://app.example.com."]
    try:
        parts.port  # noqa: B018  (raises for a port out of range)
    except ValueError:
        return [f"frontend_url {origin!r} has an invalid port."]
    from accounts import frontend_urls

    urls = frontend_urls.ACCOUNT_URLS + (frontend_urls.SOCIAL_URLS if SOCIAL_LOGIN else ())
    values = frontend_urls.defaults(origin, urls)
    # The bake writes DEBUG=on into .env, so plain http is accepted here as it is there.
    return [f"frontend_url gives {problem}" for problem in frontend_urls.find_problems(values, required=True, allow_http=True)]


def passkey_problems(origin: str) -> list[str]:
    """Passkeys work only where browsers offer them; the site derives their origin from frontend_url."""
    from accounts import passkeys

    origins = [passkeys.origin_of(origin)]
    problems = passkeys.find_problems(passkeys.default_rp_id(origins), origins, required=True)
    return [f"frontend_url gives {problem} Or answer mfa=totp to bake without passkeys." for problem in problems]


def main() -> int:
    problems = slug_problems(ANSWERS["project_slug"])
    if any(char in ANSWERS["project_name"] for char in "\"\\\n"):
        problems.append("project_name must not contain double quotes, backslashes or line breaks.")
    if not EMAIL.match(ANSWERS["author_email"]):
        problems.append(f"author_email {ANSWERS['author_email']!r} is not an email address; use e.g. you@example.com.")
    if not HOST.match(ANSWERS["domain_name"]):
        problems.append(f"domain_name {ANSWERS['domain_name']!r} is not a lower-case host name; use e.g. api.example.com.")
    sys.dont_write_bytecode = True  # leave no __pycache__ behind in the template
    sys.path.insert(0, str(SITE_DIR))
    url_problems = frontend_url_problems(ANSWERS["frontend_url"])
    problems += url_problems
    if PASSKEYS and not url_problems:
        problems += passkey_problems(ANSWERS["frontend_url"])
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
