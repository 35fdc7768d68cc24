"""The deployment trusts only its own proxy: docker-compose.yml publishes nothing but the
proxy (and the mail catcher on this machine), gunicorn believes X-Forwarded-Proto from the
proxy only, the proxy serves public uploads and never private ones, and the client's
address cannot be chosen by the client."""

import http.client
import ipaddress
import json
import os
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest
import yaml
from django.conf import settings
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
# The proxy's configuration without its comments.
CADDYFILE = re.sub(r"(?m)(^|\s)#.*$", "", (ROOT / "deploy" / "Caddyfile").read_text())
LOCAL_ONLY = {"127.0.0.1", "::1", "[::1]", "localhost"}


def _interpolate(text: str) -> str:
    """Compose's ${NAME:-default} and ${NAME}, with nothing set in the environment."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?\}", lambda match: match.group(1) or "", text)


COMPOSE = yaml.safe_load(_interpolate((ROOT / "docker-compose.yml").read_text()))
SERVICES = COMPOSE["services"]
APPLICATION = ("migrate", "web", "worker", "beat")


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    return {name: value.strip('"') for name, value in pairs}


def _published(port) -> tuple[str, str]:
    """(host address, container port) of a published port, short or long syntax; an
    empty host address means every interface."""
    if isinstance(port, dict):
        return str(port.get("host_ip", "")), str(port["target"])
    parts = str(port).split("/", 1)[0].rsplit(":", 2)
    if len(parts) == 3:
        return parts[0], parts[2]
    return "", parts[-1]


def _mounts(service: str) -> dict[str, str]:
    """Container path -> volume name or host path, of a service's volumes."""
    mounts = {}
    for volume in SERVICES[service].get("volumes", []):
        source, target = str(volume).split(":")[:2]
        mounts[target] = source
    return mounts


def test_only_the_proxy_listens_on_every_interface():
    """No service but the proxy publishes a port on all interfaces; the mail catcher's
    inbox is published on this machine only."""
    public = {
        name
        for name, service in SERVICES.items()
        for port in service.get("ports", [])
        if _published(port)[0] not in LOCAL_ONLY
    }
    assert public == {"proxy"}
    assert {_published(port) for port in SERVICES["proxy"]["ports"]} >= {("", "80"), ("", "443")}
    assert {_published(port)[0] for port in SERVICES["mail"]["ports"]} <= LOCAL_ONLY


def test_the_web_port_is_not_published():
    """gunicorn's port is on the internal network only: nothing reaches it but the proxy."""
    assert "ports" not in SERVICES["web"]
    for name, service in SERVICES.items():
        for port in service.get("ports", []):
            host, target = _published(port)
            assert target != "8000" or host in LOCAL_ONLY, name


def test_gunicorn_trusts_the_proxy_and_nobody_else(monkeypatch):
    """The image runs gunicorn with gunicorn.conf.py, which believes X-Forwarded-Proto
    only from FORWARDED_ALLOW_IPS (127.0.0.1 unless set) and refuses '*'; the Compose
    file sets it to the proxy's fixed address, inside the network's subnet."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, flags=re.MULTILINE)[1])
    assert command[:3] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert "--forwarded-allow-ips" not in command
    assert "*" not in command

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == "127.0.0.1"
    for everyone in ("*", "10.0.0.1, *"):
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", everyone)
        with pytest.raises(RuntimeError, match="not '\\*'"):
            runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    proxy_address = SERVICES["proxy"]["networks"]["default"]["ipv4_address"]
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet)
    for name in APPLICATION:
        assert SERVICES[name]["environment"]["FORWARDED_ALLOW_IPS"] == proxy_address, name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn_sees(forwarded_allow_ips: str, headers: dict) -> tuple[dict, dict]:
    """Start gunicorn with gunicorn.conf.py in front of tests/core/echo_wsgi.py, send one
    request from 127.0.0.1 and return what the application saw and the answer's headers."""
    port = _free_port()
    env = {
        **os.environ,
        "FORWARDED_ALLOW_IPS": forwarded_allow_ips,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "tests.core.echo_wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/accounts/login/", headers=headers)
                answer = connection.getresponse()
                return json.loads(answer.read()), dict(answer.getheaders())
            except ConnectionRefusedError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_believes_the_scheme_from_the_proxy_only():
    """From the proxy's address, X-Forwarded-Proto: https makes the request secure; from
    any other peer it changes nothing. No header, even from the proxy, moves the URL
    prefix (SCRIPT_NAME), and gunicorn names itself in a Server header, which is why the
    proxy removes it."""
    headers = {"X-Forwarded-Proto": "https", "SCRIPT_NAME": "/accounts"}
    seen, answer = _gunicorn_sees("127.0.0.1", headers)
    assert seen == {"scheme": "https", "script_name": "", "path_info": "/accounts/login/"}
    assert answer["Server"].startswith("gunicorn")

    seen, _ = _gunicorn_sees("172.30.80.10", headers)
    assert seen["scheme"] == "http"


def test_the_trusted_proxy_count_is_the_proxies_in_front():
    """One proxy writes X-Forwarded-For: Caddy, trusting no proxy before it, replaces
    whatever the client sent. A load balancer in front (Caddy's trusted_proxies) makes
    two."""
    count = int(SERVICES["web"]["environment"]["TRUSTED_PROXY_COUNT"])
    assert count == (2 if "trusted_proxies" in CADDYFILE else 1)
    for name in APPLICATION:
        assert int(SERVICES[name]["environment"]["TRUSTED_PROXY_COUNT"]) == count, name


def test_the_proxy_serves_public_uploads_and_never_private_ones():
    """The proxy mounts the volume of MEDIA_ROOT, read-only, and serves it at /media/;
    the volume of PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, is mounted by the application
    only, and the proxy's configuration never names it."""
    env = _env_example()
    media_root = PurePosixPath(env["MEDIA_ROOT"])
    private_root = PurePosixPath(env["PRIVATE_MEDIA_ROOT"])
    assert not private_root.is_relative_to(media_root)
    for name in APPLICATION:
        mounts = _mounts(name)
        assert mounts[str(media_root)] == "media", name
        assert mounts[str(private_root)] == "media-private", name

    proxy_mounts = _mounts("proxy")
    assert proxy_mounts["/srv/media"] == "media"
    assert "media:/srv/media:ro" in SERVICES["proxy"]["volumes"]
    assert "media-private" not in proxy_mounts.values()
    assert not any("private" in str(volume) for volume in SERVICES["proxy"]["volumes"])

    assert re.search(r"handle_path /media/\*\s*\{\s*root \* /srv/media\s+file_server", CADDYFILE)
    media_block = CADDYFILE.split("handle_path /media/*", 1)[1].split("\n\t}", 1)[0]
    assert "X-Content-Type-Options nosniff" in media_block
    assert "sandbox" in media_block
    roots = re.findall(r"^\s*root\s+\S+\s+(\S+)", CADDYFILE, flags=re.MULTILINE)
    assert roots == ["/srv/media"]
    assert "private" not in CADDYFILE.lower()
    assert str(private_root) not in CADDYFILE


def test_the_proxy_hides_the_software_and_forwards_to_gunicorn():
    """No Server header (Caddy's or gunicorn's); everything but /media/ goes to web."""
    assert re.search(r"^\s*header -Server$", CADDYFILE, flags=re.MULTILINE)
    assert re.search(r"^\s*reverse_proxy web:8000$", CADDYFILE, flags=re.MULTILINE)


@pytest.mark.django_db
def test_a_new_x_forwarded_for_does_not_reset_the_api_limit():
    """Behind one proxy, a client that sends a different X-Forwarded-For with every
    request is still counted under its own address and throttled; another client, with
    its own address, is not."""
    proxy, client, other = "172.30.80.10", "203.0.113.7", "198.51.100.20"
    rest = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/min", "authenticated": "10/min"},
    }
    with override_settings(TRUSTED_PROXY_COUNT=1, REST_FRAMEWORK=rest):
        statuses = [
            Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"10.9.8.{n}, {client}")
            .get("/api/v1/")
            .status_code
            for n in range(3)
        ]
        assert statuses == [200, 200, 429]
        response = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=other).get("/api/v1/")
        assert response.status_code == 200


def test_make_audit_checks_the_hashed_locks_and_never_passes_blind():
    """`make audit` runs pip-audit over both hashed locks, failing when a package could
    not be checked (--strict), and npm audit; it installs nothing first."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^audit: ##", makefile, flags=re.MULTILINE)
    script = (ROOT / "deploy" / "audit.sh").read_text()
    for option in ("--strict", "--require-hashes", "--disable-pip"):
        assert option in script
    assert "for lock in requirements.txt requirements-dev.txt" in script
    assert "npm audit" in script
