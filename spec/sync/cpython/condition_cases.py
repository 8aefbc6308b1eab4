from common import *

async def cond_notify_order():
    cond = asyncio.Condition()
    async def w(name):
        async with cond:
            log(f"{name} waits")
            r = await cond.wait()
            log(f"{name} woke {r} locked={cond.locked()}")
    ts = [asyncio.create_task(w(n)) for n in "abcd"]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(2)
        log("notified 2")
        await asyncio.sleep(1)
        log("main releases")
    await asyncio.sleep(1)
    async with cond:
        cond.notify_all()
        log("notified all")
    await asyncio.gather(*ts)
    log(f"end locked={cond.locked()}")

async def cond_wait_for():
    cond = asyncio.Condition()
    items = []
    async def consumer(name):
        async with cond:
            r = await cond.wait_for(lambda: len(items) > 0 and items[:])
            log(f"{name} sees {r}")
            items.pop(0)
    ts = [asyncio.create_task(consumer(n)) for n in "ab"]
    await asyncio.sleep(0)
    for i in range(2):
        await asyncio.sleep(1)
        async with cond:
            items.append(i)
            cond.notify_all()
            log(f"produced {i}")
    await asyncio.gather(*ts)

async def cond_cancel_waiter():
    cond = asyncio.Condition()
    async def w(name):
        try:
            async with cond:
                await cond.wait()
                log(f"{name} woke")
        except asyncio.CancelledError:
            log(f"{name} cancelled locked={cond.locked()}")
            raise
    ts = [asyncio.create_task(w(n)) for n in "abc"]
    await asyncio.sleep(0)
    ts[0].cancel()
    async with cond:
        cond.notify(1)
        log("notified 1")
    await asyncio.sleep(0)
    log(f"after turn locked={cond.locked()}")
    async with cond:
        cond.notify(1)
    await asyncio.gather(*ts, return_exceptions=True)
    log("end")

async def cond_cancel_while_reacquiring():
    # Waiter notified, but lock held by main; cancel it while it re-acquires: it re-acquires anyway then raises.
    cond = asyncio.Condition()
    async def w():
        try:
            async with cond:
                await cond.wait()
                log("w woke")
        except asyncio.CancelledError:
            log(f"w cancelled; locked={cond.locked()}")
            raise
    t = asyncio.create_task(w())
    await asyncio.sleep(0)
    await cond.acquire()
    cond.notify()
    await asyncio.sleep(0)
    log("w is re-acquiring; cancel it")
    t.cancel()
    await asyncio.sleep(0)
    log(f"main still holds locked={cond.locked()}")
    cond.release()
    await asyncio.gather(t, return_exceptions=True)
    log(f"end cancelled={t.cancelled()} locked={cond.locked()}")

async def cond_errors():
    cond = asyncio.Condition()
    try:
        await cond.wait()
    except RuntimeError as e:
        log(f"RuntimeError {e}")
    try:
        cond.notify()
    except RuntimeError as e:
        log(f"RuntimeError {e}")

async def cond_shared_lock():
    lock = asyncio.Lock()
    c1 = asyncio.Condition(lock)
    c2 = asyncio.Condition(lock)
    async def w(c, name):
        async with c:
            await c.wait()
            log(f"{name} woke")
    a = asyncio.create_task(w(c1, "a"))
    b = asyncio.create_task(w(c2, "b"))
    await asyncio.sleep(0)
    async with lock:
        c2.notify()
        c1.notify()
    await asyncio.gather(a, b)

run_all([cond_notify_order, cond_wait_for, cond_cancel_waiter, cond_cancel_while_reacquiring, cond_errors, cond_shared_lock])
