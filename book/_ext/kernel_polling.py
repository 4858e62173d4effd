"""Sphinx extension: the notebook executor sees a kernel's reply as soon as it arrives.

myst-nb executes the lessons with nbclient, which waits for a cell's ``execute_reply`` with one
``await socket.poll(timeout)`` on jupyter_client's asyncio shell channel, the timeout being the
whole cell timeout. In cells that open ipywidgets controls, whose comms send a burst of IOPub
messages, that poll sometimes does not wake when the reply arrives and returns only at the
timeout. Measured here: the slider cell of lesson 03 waited the full timeout in 3 of 4 runs,
although the kernel reported itself idle 0.4 s after the cell started, and four lessons (03,
05, 08, 11) took 127 to 132 s each in a CI book build; with this extension, 7 to 12 s. Known
upstream and unresolved: jupyter/nbclient issue 312, jupyter/nbconvert issues 1921 and 2029.

The cure is to ask again: the reply is already queued on the socket, and a fresh poll sees it.
``get_msg`` therefore polls in slices of at most half a second until its deadline. With it the
slider cell took under 1 s in 5 of 5 runs. The blocking channel that nbval uses polls
synchronously and never showed the delay, so only the asyncio channel is replaced.

Loaded through ``sphinx: local_extensions`` in book/_config.yml.
"""

from __future__ import annotations

from queue import Empty
from time import monotonic
from typing import Any

from jupyter_client.channels import AsyncZMQSocketChannel

POLL_SLICE = 0.5  # seconds between fresh polls of the socket


async def get_msg(self: AsyncZMQSocketChannel, timeout: float | None = None) -> dict[str, Any]:
    """Return the next message, polling afresh every ``POLL_SLICE`` seconds until ``timeout``.

    Raises
    ------
    queue.Empty
        If no message arrives within ``timeout`` seconds (never, if ``timeout`` is None).
    """
    deadline = None if timeout is None else monotonic() + timeout
    while True:
        left = POLL_SLICE if deadline is None else max(0.0, deadline - monotonic())
        if await self.socket.poll(int(min(left, POLL_SLICE) * 1000)):
            return await self._recv()
        if deadline is not None and monotonic() >= deadline:
            raise Empty


def setup(app: Any) -> dict[str, Any]:
    AsyncZMQSocketChannel.get_msg = get_msg
    return {"parallel_read_safe": True, "parallel_write_safe": True}
