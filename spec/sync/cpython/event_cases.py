from common import *

async def event_set_clear_before_run():
    ev = asyncio.Event()
    async def w(name):
        log(f"{name} waits")
        r = await ev.wait()
        log(f"{name} got {r} is_set={ev.is_set()}")
    ts = [asyncio.create_task(w(n)) for n in "ab"]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    log("set+clear")
    await asyncio.gather(*ts)
    c = asyncio.create_task(w("c"))
    await asyncio.sleep(0)
    log(f"c done={c.done()}")
    c.cancel()
    await asyncio.gather(c, return_exceptions=True)
    log(f"c cancelled={c.cancelled()}")
    ev.set()
    await ev.wait()
    log("wait on set returns at once")

async def event_cancel_one_waiter():
    ev = asyncio.Event()
    async def w(name):
        try:
            await ev.wait()
            log(f"{name} released")
        except asyncio.CancelledError:
            log(f"{name} cancelled")
            raise
    ts = [asyncio.create_task(w(n)) for n in "abc"]
    await asyncio.sleep(0)
    ts[1].cancel()
    ev.set()
    await asyncio.gather(*ts, return_exceptions=True)
    log("end")

async def event_set_no_yield():
    ev = asyncio.Event()
    async def other():
        log("other ran")
    t = asyncio.create_task(other())
    ev.set()
    await ev.wait()
    log("main after wait")
    await t

run_all([event_set_clear_before_run, event_cancel_one_waiter, event_set_no_yield])
