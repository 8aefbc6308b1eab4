from common import *

async def barrier_three():
    b = asyncio.Barrier(3)
    async def p(name, delay):
        await asyncio.sleep(delay)
        log(f"{name} arrives n_waiting={b.n_waiting}")
        i = await b.wait()
        log(f"{name} passes index={i} n_waiting={b.n_waiting}")
        return i
    ts = [asyncio.create_task(p(n, d)) for n, d in (("a", 1), ("b", 2), ("c", 3))]
    r = await asyncio.gather(*ts)
    log(f"indices {r} n_waiting={b.n_waiting} broken={b.broken}")
    # second round, reuse: 4 parties on a 3-barrier: the 4th waits for the next round
    ts = [asyncio.create_task(p(n, 0)) for n in "defg"]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log(f"after round 2 n_waiting={b.n_waiting}")
    h = asyncio.create_task(p("h", 0))
    i = asyncio.create_task(p("i", 0))
    await asyncio.gather(*ts, h, i)
    log(f"end n_waiting={b.n_waiting}")

async def barrier_abort():
    b = asyncio.Barrier(3)
    async def p(name):
        try:
            await b.wait()
        except asyncio.BrokenBarrierError as e:
            log(f"{name} BrokenBarrierError {e}")
    ts = [asyncio.create_task(p(n)) for n in "ab"]
    await asyncio.sleep(0)
    log(f"n_waiting={b.n_waiting}")
    await b.abort()
    log(f"aborted broken={b.broken} n_waiting={b.n_waiting}")
    await asyncio.gather(*ts)
    await p("late")
    await b.reset()
    log(f"reset broken={b.broken}")
    ts = [asyncio.create_task(p(n)) for n in "xyz"]
    await asyncio.gather(*ts)
    log("end")

async def barrier_reset_while_waiting():
    b = asyncio.Barrier(2)
    async def p(name):
        try:
            i = await b.wait()
            log(f"{name} passes {i}")
        except asyncio.BrokenBarrierError as e:
            log(f"{name} BrokenBarrierError {e}")
    a = asyncio.create_task(p("a"))
    await asyncio.sleep(0)
    await b.reset()
    log(f"reset n_waiting={b.n_waiting}")
    c = asyncio.create_task(p("c"))
    d = asyncio.create_task(p("d"))
    await asyncio.gather(a, c, d)
    log(f"end n_waiting={b.n_waiting}")

async def barrier_cancel_waiter():
    b = asyncio.Barrier(2)
    async def p(name):
        try:
            i = await b.wait()
            log(f"{name} passes {i}")
        except asyncio.CancelledError:
            log(f"{name} cancelled n_waiting={b.n_waiting}")
            raise
    a = asyncio.create_task(p("a"))
    await asyncio.sleep(0)
    log(f"n_waiting={b.n_waiting}")
    a.cancel()
    await asyncio.gather(a, return_exceptions=True)
    log(f"after cancel n_waiting={b.n_waiting}")
    await asyncio.gather(p("c"), p("d"))

async def barrier_errors():
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        log(f"ValueError {e}")

run_all([barrier_three, barrier_abort, barrier_reset_while_waiting, barrier_cancel_waiter, barrier_errors])
