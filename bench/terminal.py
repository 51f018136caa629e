"""A program in a real terminal for the benchmarks: a private tmux server per run."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
import uuid


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class Pane:
    def __init__(self, argv: list[str], size: str = "120x40", env: dict[str, str] | None = None):
        self.sock = "reader-bench-" + uuid.uuid4().hex[:8]
        w, h = size.split("x")
        self._tmux("new-session", "-d", "-s", "p", "-x", w, "-y", h, "sleep 3600")
        self._tmux("set-option", "-w", "-t", "p:0", "remain-on-exit", "on")
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        cmd = " ".join(shlex.quote(a) for a in argv)
        self.t0 = time.perf_counter()
        self._tmux("respawn-pane", "-k", "-t", "p:0.0",
                   f"env TERM=xterm-256color COLORTERM=truecolor {exports} {cmd}")

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True,
                              text=True).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "p:0.0")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "p:0.0", *keys)

    def wait_for(self, predicate, timeout: float = 30.0) -> float | None:  # type: ignore[no-untyped-def]
        """Milliseconds since launch until ``predicate(screen)`` holds (None on time-out)."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if predicate(self.screen()):
                return (time.perf_counter() - self.t0) * 1000
            time.sleep(0.005)
        return None

    def close(self) -> None:
        self._tmux("kill-server")
