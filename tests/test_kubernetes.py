"""The Kubernetes manifests (deploy/kubernetes/): valid for a pinned Kubernetes, and true to the site they run."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from .conftest import bake, bake_cli, site_free_environ

# The Kubernetes version whose schemas the manifests must match (kubernetes-validate ships them).
KUBERNETES_VERSION = "1.37.0"
MANIFESTS = Path("deploy/kubernetes")
DOCUMENTED = re.compile(r"^#? ?([A-Z][A-Z_]+)=", re.MULTILINE)
# Bakes whose .env.example differ the most: the default, every optional variable, and the fewest.
BAKES = {
    "default": {},
    "all_variables": {"identity_provider": True, "app_token_strategy": "jwt", "headless_only": False},
    "fewest_variables": {"mfa": "none", "social_login": False, "demo_frontend": False, "ci": "none"},
}


@pytest.fixture(scope="module", params=list(BAKES))
def project(request, tmp_path_factory):
    return bake(tmp_path_factory.mktemp("bake"), **BAKES[request.param])


@pytest.fixture(scope="module")
def default_project(tmp_path_factory):
    return bake(tmp_path_factory.mktemp("bake"))


def resource_files(kustomization_dir: Path) -> list[Path]:
    """The files a kustomization lists as resources (not the directories it builds on, nor its patches)."""
    kustomization = yaml.safe_load((kustomization_dir / "kustomization.yaml").read_text())
    paths = [kustomization_dir / entry for entry in kustomization["resources"]]
    return [path for path in paths if path.is_file()]


def base_resources(project: Path) -> dict[tuple[str, str], dict]:
    """Each resource of the base, by kind and name, read from its files as written."""
    documents = [
        document
        for path in resource_files(project / MANIFESTS / "base")
        for document in yaml.safe_load_all(path.read_text())
    ]
    return {(document["kind"], document["metadata"]["name"]): document for document in documents}


def pod_specs(resources: dict[tuple[str, str], dict]) -> dict[str, dict]:
    specs = {}
    for (kind, name), resource in resources.items():
        if kind == "CronJob":
            specs[f"{kind}/{name}"] = resource["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        elif kind in ("Deployment", "Job"):
            specs[f"{kind}/{name}"] = resource["spec"]["template"]["spec"]
    return specs


def kustomize(directory: Path) -> list[dict]:
    """The resources ``kubectl kustomize`` renders from ``directory``; skips (fails in CI) without kubectl."""
    if not shutil.which("kubectl"):
        message = "kubectl is not installed, so the kustomizations are not rendered: install kubectl to render them."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        ["kubectl", "kustomize", str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return list(yaml.safe_load_all(result.stdout))


def assert_valid(resource: dict, where: str) -> None:
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        name = f"{resource['kind']}/{resource['metadata']['name']}"
        pytest.fail(f"{where}: {name}: {error.message} at {list(error.path)}")


@pytest.mark.parametrize(
    ("docker", "kubernetes", "written"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_the_manifests_are_written_only_with_docker_and_when_chosen(tmp_path, docker, kubernetes, written):
    project = bake(tmp_path, docker=docker, kubernetes=kubernetes)

    assert (project / MANIFESTS / "base" / "kustomization.yaml").exists() == written
    assert (project / "deploy").exists() == written
    readme = (project / "README.md").read_text()
    assert ("## Kubernetes" in readme) == written


def test_the_answer_no_on_the_command_line_leaves_them_out(tmp_path):
    result = bake_cli(tmp_path, "kubernetes=no")

    assert result.returncode == 0, result.stderr
    [project] = tmp_path.iterdir()
    assert not (project / "deploy").exists()


def test_every_resource_file_matches_the_schemas(project):
    for directory in ("base", "production"):
        for path in resource_files(project / MANIFESTS / directory):
            for resource in yaml.safe_load_all(path.read_text()):
                assert_valid(resource, str(path.relative_to(project)))


def test_the_rendered_kustomizations_match_the_schemas(project):
    for directory in ("base", "production"):
        resources = kustomize(project / MANIFESTS / directory)
        assert {"Deployment", "Service", "Ingress", "Job", "ConfigMap"} <= {resource["kind"] for resource in resources}
        for resource in resources:
            assert_valid(resource, f"kubectl kustomize {MANIFESTS / directory}")


def test_production_runs_the_release_image_with_the_secret_made_in_the_cluster(default_project):
    resources = kustomize(default_project / MANIFESTS / "production")
    kinds = {resource["kind"] for resource in resources}

    assert "Secret" not in kinds  # no placeholder overwrites the real one
    images = {
        container["image"]
        for resource in resources
        if resource["kind"] in ("Deployment", "Job")
        for container in resource["spec"]["template"]["spec"]["containers"]
        + resource["spec"]["template"]["spec"].get("initContainers", [])
    }
    assert images == {"registry.example.com/auth-service:1.0.0"}
    assert {resource["metadata"].get("namespace") for resource in resources if resource["kind"] != "Namespace"} == {
        "auth-service"
    }


def test_each_release_has_a_migration_job_of_its_own(default_project, tmp_path):
    production = tmp_path / "kubernetes"
    shutil.copytree(default_project / MANIFESTS, production)
    kustomization = production / "production" / "kustomization.yaml"

    def job_names() -> list[str]:
        resources = kustomize(production / "production")
        return [resource["metadata"]["name"] for resource in resources if resource["kind"] == "Job"]

    assert job_names() == ["migrate-1.0.0"]
    kustomization.write_text(kustomization.read_text().replace('newTag: "1.0.0"', 'newTag: "1.1.0"'))
    assert job_names() == ["migrate-1.1.0"]


def test_the_config_and_the_secret_hold_exactly_the_variables_of_env_example(project):
    resources = base_resources(project)
    config = set(resources["ConfigMap", "config"]["data"])
    secrets = set(resources["Secret", "secrets"]["stringData"])
    documented = set(DOCUMENTED.findall((project / ".env.example").read_text()))

    assert config & secrets == set()
    assert config | secrets == documented


def test_secrets_are_in_the_secret_as_placeholders(project):
    resources = base_resources(project)
    config = resources["ConfigMap", "config"]["data"]
    secrets = resources["Secret", "secrets"]["stringData"]
    secret_like = re.compile(r"SECRET|PRIVATE_KEY|ENCRYPTION_KEYS|DSN|^(DATABASE|REDIS|EMAIL)_URL$")

    assert [name for name in config if secret_like.search(name)] == []
    assert sorted(secrets) == sorted(name for name in secrets if secret_like.search(name))
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert "replace-me" in secrets[name]
    assert "kubectl create secret" in (project / "README.md").read_text()


def test_web_is_probed_on_healthz_with_a_host_the_site_allows(project):
    resources = base_resources(project)
    allowed_hosts = resources["ConfigMap", "config"]["data"]["ALLOWED_HOSTS"].split(",")
    [web] = resources["Deployment", "web"]["spec"]["template"]["spec"]["containers"]

    for probe in ("readinessProbe", "livenessProbe"):
        request = web[probe]["httpGet"]
        assert request["path"] == "/healthz"
        assert request["port"] == "http"
        [host] = [header["value"] for header in request["httpHeaders"] if header["name"] == "Host"]
        assert host in allowed_hosts
    # The http probe is not redirected to https.
    settings = (project / "config" / "settings.py").read_text()
    assert 'SECURE_REDIRECT_EXEMPT = [r"(^|/)healthz$"]' in settings


def test_every_container_runs_as_the_image_user_on_a_read_only_filesystem(project):
    uid = re.search(r"useradd .*--uid (\d+)", (project / "Dockerfile").read_text()).group(1)
    specs = pod_specs(base_resources(project))

    assert set(specs) == {"Deployment/web", "Deployment/worker", "Job/migrate-release", "CronJob/daily-jobs"}
    for name, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == int(uid), name
        assert spec["automountServiceAccountToken"] is False, name
        [tmp] = [volume for volume in spec["volumes"] if volume["name"] == "tmp"]
        assert "emptyDir" in tmp, name
        for container in spec["containers"] + spec.get("initContainers", []):
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert {"mountPath": "/tmp", "name": "tmp"} in container["volumeMounts"], name  # noqa: S108
            assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}


def test_web_outlives_its_last_request_when_stopped(project):
    resources = base_resources(project)
    spec = resources["Deployment", "web"]["spec"]["template"]["spec"]
    [web] = spec["containers"]
    gunicorn_timeout = int(resources["ConfigMap", "config"]["data"]["GUNICORN_TIMEOUT"])
    [_, pause] = web["lifecycle"]["preStop"]["exec"]["command"]

    assert 'os.environ.get("GUNICORN_TIMEOUT"' in (project / "config" / "gunicorn.py").read_text()
    assert spec["terminationGracePeriodSeconds"] > int(pause) + gunicorn_timeout
    assert resources["Deployment", "web"]["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_web_serves_the_image_on_its_port_and_scales_on_its_own(project):
    resources = base_resources(project)
    dockerfile = (project / "Dockerfile").read_text()
    [web] = resources["Deployment", "web"]["spec"]["template"]["spec"]["containers"]

    assert "command" not in web  # the image's CMD: gunicorn -c config/gunicorn.py config.wsgi
    [port] = web["ports"]
    assert f"EXPOSE {port['containerPort']}" in dockerfile
    assert resources["ConfigMap", "config"]["data"]["PORT"] == str(port["containerPort"])
    # The autoscaler owns the replica count; an apply must not reset it.
    assert "replicas" not in resources["Deployment", "web"]["spec"]
    autoscaler = resources["HorizontalPodAutoscaler", "web"]["spec"]
    assert autoscaler["scaleTargetRef"]["name"] == "web"
    assert autoscaler["minReplicas"] >= 2
    assert resources["PodDisruptionBudget", "web"]["spec"]["maxUnavailable"] == 1


def test_the_worker_and_the_migrations_run_what_compose_runs(project):
    resources = base_resources(project)
    compose = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    specs = pod_specs(resources)
    [worker] = specs["Deployment/worker"]["containers"]
    [migrate] = specs["Job/migrate-release"]["containers"]

    assert " ".join(worker["command"]) == compose["worker"]["command"]
    assert " ".join(migrate["command"]) in compose["web"]["command"]
    for name in ("Deployment/web", "Deployment/worker"):
        [wait] = specs[name]["initContainers"]
        assert "manage.py migrate --check" in wait["command"][-1]


def test_the_daily_jobs_queue_what_the_readme_says_to_run_daily(project):
    """The task queue has no scheduler: the CronJob runs the commands that queue the daily clean-ups."""
    [container] = pod_specs(base_resources(project))["CronJob/daily-jobs"]["containers"]
    commands = re.findall(r"python manage\.py (\w+)", container["command"][-1])
    readme = (project / "README.md").read_text()

    assert commands == ["delete_expired_security_events", "delete_due_accounts"]
    for command in commands:
        assert list(project.glob(f"*/management/commands/{command}.py")), command
        assert f"python manage.py {command}" in readme
    assert base_resources(project)["CronJob", "daily-jobs"]["spec"]["concurrencyPolicy"] == "Forbid"


def test_the_site_trusts_the_one_proxy_in_front_and_only_it_reaches_web(project):
    resources = base_resources(project)
    config = resources["ConfigMap", "config"]["data"]
    ingress = resources["Ingress", "web"]["spec"]
    policy = resources["NetworkPolicy", "web"]["spec"]

    # The ingress controller appends one entry to X-Forwarded-For and sets X-Forwarded-Proto.
    assert config["TRUSTED_PROXY_COUNT"] == "1"
    assert config["TRUSTED_CLIENT_IP_HEADER"] == ""
    assert config["SECURE_PROXY_SSL_HEADER"] == "X-Forwarded-Proto"
    [rule] = ingress["rules"]
    assert rule["host"] in config["ALLOWED_HOSTS"].split(",")
    assert rule["http"]["paths"][0]["backend"]["service"]["name"] == "web"
    assert policy["podSelector"]["matchLabels"] == resources["Service", "web"]["spec"]["selector"]
    [allowed] = policy["ingress"]
    [source] = allowed["from"]
    assert set(source) == {"namespaceSelector"}


def deploy_check(project: Path, **environ: str) -> subprocess.CompletedProcess:
    """``manage.py check --deploy`` in the bake with ``environ`` alone (no .env: a pod has none)."""
    (project / ".env").rename(project / ".env.aside")
    try:
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=project,
            env=site_free_environ(**environ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        (project / ".env.aside").rename(project / ".env")


def real_value(project: Path, name: str) -> str:
    """A fresh value for a key that the Secret holds as a placeholder, made as the README says."""
    if name == "SECRET_KEY":
        return secrets.token_urlsafe(50)
    module = "accounts.mfa_encryption" if name == "MFA_ENCRYPTION_KEYS" else "accounts.jwt_keys"
    command = [sys.executable, "-m", module, *([name] if name == "IDP_OIDC_PRIVATE_KEY" else [])]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60, check=True)
    line = result.stdout.strip()
    assert line.startswith(f"{name}="), line
    return line.partition("=")[2]


def test_the_site_starts_on_the_config_with_real_secrets_and_refuses_the_placeholders(project):
    resources = base_resources(project)
    settings = resources["ConfigMap", "config"]["data"] | resources["Secret", "secrets"]["stringData"]
    # The URLs' placeholders stay: the check connects to none of the services.
    keys = [name for name, value in settings.items() if value == "replace-me"]
    real = settings | {name: real_value(project, name) for name in keys}

    result = deploy_check(project, **real)
    assert result.returncode == 0, result.stdout + result.stderr
    placeholders = deploy_check(project, **settings)
    assert placeholders.returncode != 0
    assert "SECRET_KEY" in placeholders.stderr
