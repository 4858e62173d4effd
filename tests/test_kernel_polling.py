"""book/_ext/kernel_polling.py: the notebook executor's replacement for the shell channel's get_msg.

Whether a reply is missed depends on timing and cannot be provoked on demand; what is tested here
is that the replacement keeps the contract of the method it replaces (a queued message is
returned, and queue.Empty comes at the timeout, not before), and that the extension installs it.
"""

import asyncio
import sys
from pathlib import Path
from queue import Empty
from time import monotonic

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import kernel_polling  # noqa: E402


async def _exchange(timeout: float) -> tuple[float, dict]:
    """Time a get_msg on an empty socket, then send one message and receive it."""
    sender = zmq.Context.instance().socket(zmq.PAIR)
    port = sender.bind_to_random_port("tcp://127.0.0.1")
    receiver = zmq.asyncio.Context.instance().socket(zmq.PAIR)
    receiver.connect(f"tcp://127.0.0.1:{port}")
    session = Session()
    channel = AsyncZMQSocketChannel(receiver, session)
    try:
        start = monotonic()
        with pytest.raises(Empty):
            await kernel_polling.get_msg(channel, timeout=timeout)
        waited = monotonic() - start
        session.send(sender, "execute_reply", content={"status": "ok"})
        return waited, await kernel_polling.get_msg(channel, timeout=10)
    finally:
        receiver.close(linger=0)
        sender.close(linger=0)


def test_get_msg_times_out_without_a_message_and_returns_a_queued_one():
    waited, msg = asyncio.run(_exchange(timeout=1.2))
    assert waited >= 1.2  # more than two slices of polling, and not cut short
    assert msg["msg_type"] == "execute_reply" and msg["content"] == {"status": "ok"}


def test_get_msg_with_zero_timeout_raises_at_once():
    async def poll_empty() -> float:
        socket = zmq.asyncio.Context.instance().socket(zmq.PAIR)
        socket.bind("tcp://127.0.0.1:*")
        try:
            start = monotonic()
            with pytest.raises(Empty):
                await kernel_polling.get_msg(AsyncZMQSocketChannel(socket, Session()), timeout=0)
            return monotonic() - start
        finally:
            socket.close(linger=0)

    assert asyncio.run(poll_empty()) < kernel_polling.POLL_SLICE


def test_setup_installs_the_replacement(monkeypatch):
    monkeypatch.setattr(AsyncZMQSocketChannel, "get_msg", AsyncZMQSocketChannel.get_msg)
    kernel_polling.setup(app=None)
    assert AsyncZMQSocketChannel.get_msg is kernel_polling.get_msg
