"""Stopping a renderer that runs too long.

A renderer from a third-party plugin may loop forever on some spec; on CI that
would hang the job instead of failing it. The renderer runs under a time limit:
on POSIX's main thread a timer signal raises :class:`TimeLimitExceeded` inside
it (again every half second, should the renderer swallow it); elsewhere (another
thread, Windows) it runs in a daemon thread that is abandoned when time is up,
and its context refuses any later write.
"""

from __future__ import annotations

import os
import signal
import threading

#: Seconds one renderer may run unless ``[build] renderer_timeout`` or the environment says otherwise.
DEFAULT_SECONDS = 600.0
ENVIRONMENT = "JOURNEYQL_RENDERER_TIMEOUT"


class TimeLimitExceeded(BaseException):
    """A renderer ran past its time (a BaseException: a renderer's ``except Exception`` does not hide it)."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after the time limit of {seconds:g} s")
        self.seconds = seconds


def time_limit(configured: float | None) -> float:
    """The limit in force: the environment (CI's own setting) over journeyql.toml over the default."""
    raw = os.environ.get(ENVIRONMENT, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if value > 0:
            return value
    return float(configured) if configured else DEFAULT_SECONDS


def call_with_time_limit(function, seconds: float):
    """``function()``, or TimeLimitExceeded once it has run ``seconds``."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _with_timer(function, seconds)
    return _in_thread(function, seconds)


def _with_timer(function, seconds: float):
    state = {"armed": True}

    def expire(signum, frame):
        if state["armed"]:
            raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
        try:
            return function()
        finally:
            state["armed"] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _in_thread(function, seconds: float):
    box: dict = {}

    def run():
        try:
            box["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed to the caller below
            box["error"] = error

    worker = threading.Thread(target=run, name="journeyql-renderer", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeLimitExceeded(seconds)
    if "error" in box:
        raise box["error"]
    return box.get("value")
