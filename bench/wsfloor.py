"""The websocket floor: a bare relay (bench/floor/asgi.py) through the same channel layer as
the platform's run. `groups` groups of `size` sockets; in each group one socket sends `messages`
stamped messages, `spacing` seconds apart, and every other socket of the group times their
arrival. The live and match benchmarks print their push latencies beside this one's, measured
in the same run, so a noisy machine shows as noise in both."""

from __future__ import annotations

import asyncio
import json
import time


async def relay_floor(ws_base: str, origin: str, *, groups: int, size: int, messages: int = 10,
                      spacing: float = 0.5) -> list[float]:
    import websockets

    latencies: list[float] = []
    sockets: list[list] = []
    gate = asyncio.Semaphore(20)

    async def open_one(group: int):
        async with gate:
            return await websockets.connect(f"{ws_base}/ws/relay/g{group}/", origin=origin,
                                            open_timeout=60, max_size=2 ** 22)

    for g in range(groups):
        sockets.append(await asyncio.gather(*(open_one(g) for _ in range(size))))
    await asyncio.sleep(0.5)

    async def listen(ws, expected: int, timed: bool = True):
        for _ in range(expected):
            body = json.loads(await asyncio.wait_for(ws.recv(), timeout=60))
            if timed:
                latencies.append(time.time() - body["sent"])

    async def send(ws):
        for i in range(messages):
            await ws.send(json.dumps({"sent": time.time(), "i": i, "pad": "x" * 2000}))
            await asyncio.sleep(spacing)

    tasks = []
    for group in sockets:
        sender, *others = group
        tasks += [asyncio.create_task(listen(ws, messages)) for ws in others]
        tasks.append(asyncio.create_task(send(sender)))
        tasks.append(asyncio.create_task(listen(sender, messages, timed=False)))  # its own echo
    await asyncio.gather(*tasks)
    for group in sockets:
        for ws in group:
            await ws.close()
    return latencies
