"""The deadline day's users, for locust (run by `benchmarks/deadline_day.py`, never alone).

Clerks log in, open their pool and save rows one after another, as the minutes are read (the
decision alternates HTTNV ↔ HTNV, so every save writes); the Board's staff log in and follow the
dashboard and their home page. Every user's account, pool and rows come from the plan the
driver wrote (`LOAD_PLAN`). A save the application refused counts as a failure.
"""

from __future__ import annotations

import json
import os
import re
from itertools import cycle

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
CLERKS = iter(PLAN["clerks"])
BOARD = iter(PLAN["board"])
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ALERT = re.compile(rb'role="alert">([^<]*)<')


class _User(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host.split('://')[1]}/"}
        )
        account = self.account()
        page = self.get(PLAN["urls"]["login"], name="login page")
        token = TOKEN.search(page.content)
        with self.post(
            PLAN["urls"]["login"],
            {
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": token.group(1).decode() if token else "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        self._keep_cookies()
        return response

    def post(self, url: str, data: dict, **kwargs):
        response = self.client.post(url, data, **kwargs)
        self._keep_cookies()
        return response

    def _keep_cookies(self) -> None:
        """The server runs as deployed behind TLS: its cookies are Secure, and the proxy's
        X-Forwarded-Proto is sent by hand. This client talks plain HTTP on loopback, so the
        cookies it keeps are marked for any scheme (requests sends no Secure cookie over HTTP)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def account(self) -> dict:
        raise NotImplementedError

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "HX-Request": "true"}


class Clerk(_User):
    weight = PLAN["weights"]["clerks"]
    wait_time = between(2, 6)

    def account(self) -> dict:
        self.plan = next(CLERKS)
        self.rows = cycle(self.plan["ratings"])
        return self.plan

    @task(1)
    def open_pool(self) -> None:
        self.get(self.plan["pool_url"], name="pool page")

    @task(6)
    def save_row(self) -> None:
        row = next(self.rows)
        level = "HTNV" if row["level"] == "HTTNV" else "HTTNV"
        with self.post(
            row["url"],
            {
                "version": row["version"],
                "self_level": row["self_level"],
                "proposal_level": level,
                "decision_level": level,
            },
            headers=self.csrf(),
            name="save",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and b"table-success" in response.content:
                row["version"] += 1
                row["level"] = level
            else:
                alert = ALERT.search(response.content or b"")
                why = alert.group(1).decode(errors="replace")[:160] if alert else ""
                response.failure(f"save refused ({response.status_code}) {why}")


class Board(_User):
    weight = PLAN["weights"]["board"]
    wait_time = between(3, 8)

    def account(self) -> dict:
        return next(BOARD)

    @task(3)
    def dashboard(self) -> None:
        self.get(PLAN["urls"]["dashboard"], name="dashboard")

    @task(1)
    def home(self) -> None:
        self.get(PLAN["urls"]["home"], name="home")
