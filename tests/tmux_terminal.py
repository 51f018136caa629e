"""The reader in a private tmux server, for the tests that drive a real terminal."""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid


class Terminal:
    """The reader in a private tmux server."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40)
                 ) -> None:
        self.sock = f"reader-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # (-u: a COLUMNS or LINES inherited from the test run would override the pane's size)
        cmd = (f"env -u COLUMNS -u LINES {exports} {' '.join(shlex.quote(a) for a in argv)}; "
               "echo EXITED-$?; sleep 60")
        self.tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), cmd)
        self.tmux("set-option", "-g", "set-clipboard", "on")  # let OSC 52 reach tmux's buffer

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True,
                              text=True, check=False).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", "t")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            flat = " ".join(screen.split())
            if all(" ".join(t.split()) in flat for t in texts):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{texts!r} never all appeared; last screen:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while text in self.screen():
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} never went away; last screen:\n{self.screen()}")
            time.sleep(0.05)

    def close(self) -> None:
        self.tmux("kill-server")
