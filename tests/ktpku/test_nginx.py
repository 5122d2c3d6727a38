"""The production nginx config (deploy/nginx/ktpku.conf) run for real in front of gunicorn.

UP-01: a body over the limit is refused with 413 by nginx and never reaches the app.
LOG-02: nginx's access log keeps no query string, so a searched NIK is not in it.
CFG-04: nginx names no version. AUTH-01 behind the proxy: the app sees the client's own
address, not one a client wrote into X-Forwarded-For.

The config is the deployed file with only its host paths, ports and upstream changed for
this machine (and `http2 on`, which the Debian nginx 1.22 here does not know).
"""

import http.client
import json
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import _free_port, web_server

pytestmark = pytest.mark.django_db(transaction=True)

CONF = Path(settings.BASE_DIR) / "deploy" / "nginx" / "ktpku.conf"
NIK = "6311064101090001"


def site_config(tmp_path, *, upstream, http_port, https_port):
    changes = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "    http2 on;\n": "",
        "/etc/nginx/certs/": f"{tmp_path}/certs/",
        "/var/log/nginx/access.log": f"{tmp_path}/nginx-access.log",
        "/srv/static/": f"{tmp_path}/static/",
        "http://web:8000": upstream,
    }
    site = CONF.read_text()
    for old, new in changes.items():
        assert old in site, old  # the deployed file still says what this test replaces
        site = site.replace(old, new)
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path}/{kind};" for kind in ("proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/nginx-error.log;\n"
        f"events {{}}\nhttp {{\n    client_body_temp_path {tmp_path}/body;\n{temp}\n"
        f"{site}\n}}\n"
    )


@pytest.fixture
def nginx_in_front(tmp_path):
    """(https port, http port, tmp_path) of nginx proxying to gunicorn on the test database."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (Debian package nginx)")
    (tmp_path / "certs").mkdir()
    subprocess.run(  # noqa: S603 - a throw-away certificate for 127.0.0.1
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(tmp_path / "certs" / "privkey.pem")]
        + ["-out", str(tmp_path / "certs" / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    (tmp_path / "static").mkdir()
    with web_server(tmp_path, TRUSTED_PROXY_HOPS="1") as upstream:
        http_port, https_port = _free_port(), _free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(
            site_config(tmp_path, upstream=upstream, http_port=http_port, https_port=https_port)
        )
        process = subprocess.Popen(  # noqa: S603 - the deployed config, this test's paths
            [nginx, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE
        )
        try:
            for _attempt in range(100):
                try:
                    request(https_port, "GET", "/healthz")
                    break
                except (ConnectionRefusedError, ssl.SSLError):
                    assert process.poll() is None, process.stderr.read().decode()
                    time.sleep(0.1)
            yield https_port, http_port, tmp_path
        finally:
            process.terminate()
            process.wait(timeout=30)


# The test's client sends from an address of its own, so that nginx's address (127.0.0.1)
# and the client's differ in what the app logs.
CLIENT = "127.0.0.2"


def request(port, method, path, *, body=None, headers=None, tls=True):
    """(status, headers) of one request to nginx from CLIENT, redirects not followed."""
    source = (CLIENT, 0)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, context=context, timeout=30, source_address=source
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, response.msg
    finally:
        conn.close()


def test_the_deployed_nginx_refuses_big_bodies_logs_no_query_and_hides_its_version(
    nginx_in_front,
):
    https_port, http_port, tmp_path = nginx_in_front

    plain = request(http_port, "GET", f"/siswa/?q={NIK}", tls=False)
    too_big = request(
        https_port,
        "POST",
        "/daftar-siswa/",
        body=b"x" * (7 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
    )
    search = request(https_port, "GET", f"/siswa/?q={NIK}")
    forged = request(
        https_port,
        "POST",
        "/masuk/",
        body=b"username=a&password=b",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "203.0.113.9",
        },
    )

    assert (plain[0], plain[1]["Location"], plain[1]["Server"]) == (
        301,
        f"https://127.0.0.1/siswa/?q={NIK}",  # the browser's own address, to https
        "nginx",
    )
    assert (too_big[0], too_big[1]["Server"]) == (413, "nginx")
    assert search[0] == 302  # to the sign-in page: the request went through to the app
    assert forged[0] == 403  # no CSRF token
    app_requests = (tmp_path / "access.log").read_text()
    assert "/daftar-siswa/" not in app_requests  # the 7 MB body never reached gunicorn
    proxy_log = (tmp_path / "nginx-access.log").read_text()
    assert '"GET /siswa/" 301' in proxy_log and '"GET /siswa/" 302' in proxy_log
    assert NIK not in proxy_log and proxy_log.startswith(f"{CLIENT} ")
    # The app's log line of the refused form names the client as nginx saw it.
    events = [
        json.loads(line)
        for line in (tmp_path / "server.log").read_text().splitlines()
        if line.startswith("{") and '"csrf' in line
    ]
    assert [event["ip"] for event in events] == [CLIENT]  # not 203.0.113.9, not nginx
