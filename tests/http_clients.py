"""Logged-in HTTP clients against a real server on 127.0.0.1 (stdlib only), and the server.

Used by the readers-during-an-import test and by the load script (tests/loadtest.py).
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "mot-de-passe-de-charge"


class BrowserSession:
    """One person's browser: its cookies, one keep-alive connection, every answer timed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = None

    def request(self, method: str, path: str, fields=None) -> tuple[int, str, float]:
        """(status, body, seconds); a network failure is status 0."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return 0, repr(error), time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, text, time.perf_counter() - start

    def get(self, path):
        return self.request("GET", path)

    def form_post(self, path, fields):
        """GET the page for its CSRF token, then POST the fields to it."""
        status, html, _ = self.get(path)
        token = CSRF_INPUT.search(html)
        if status != 200 or token is None:
            return status, html, 0.0
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})

    def login(self, username: str, password: str = PASSWORD) -> None:
        status, body, _ = self.form_post(
            "/connexion/", {"username": username, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}: {body[:300]}")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_start(*, env, port: int, workers: int, threads: int = 1) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, answering once it is up (or RuntimeError)."""
    command = [sys.executable, "-m", "gunicorn", "repertoire.wsgi", "--bind"]
    command += [f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]
    command += ["--timeout", "60", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start within 30 s")


def server_stop(server: subprocess.Popen) -> str:
    """Stop the server started here; what it wrote on standard error."""
    server.terminate()
    try:
        _, errors = server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        _, errors = server.communicate()
    return errors or ""


def server_env(**extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    plain_http = {"SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0"}
    plain_http |= {"CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0"}
    secret = {"SECRET_KEY": "load-test-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}
    return {**env, "DEBUG": "1", **plain_http, **secret, **extra}
