from common import *

async def lock_cancel_waiting():
    lock = asyncio.Lock()
    async def w(name):
        log(f"{name} wants")
        try:
            async with lock:
                log(f"{name} has")
                await asyncio.sleep(1)
            log(f"{name} released")
        except asyncio.CancelledError:
            log(f"{name} cancelled locked={lock.locked()}")
            raise
    await lock.acquire()
    ts = {n: asyncio.create_task(w(n)) for n in "abc"}
    await asyncio.sleep(0)
    ts["b"].cancel()
    await asyncio.sleep(0)
    log(f"main releases")
    lock.release()
    await asyncio.gather(*ts.values(), return_exceptions=True)
    log(f"end locked={lock.locked()}")

async def lock_release_to_cancelled():
    lock = asyncio.Lock()
    async def w(name):
        log(f"{name} wants")
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log(f"{name} cancelled locked={lock.locked()}")
            raise
        log(f"{name} has")
        await asyncio.sleep(1)
        lock.release()
        log(f"{name} released")
    await lock.acquire()
    ts = {n: asyncio.create_task(w(n)) for n in "abc"}
    await asyncio.sleep(0)
    lock.release()
    ts["a"].cancel()
    log(f"main released and cancelled a; locked={lock.locked()}")
    d = asyncio.create_task(w("d"))
    await asyncio.gather(*ts.values(), d, return_exceptions=True)
    log(f"end locked={lock.locked()}")

async def lock_barging():
    # After release wakes a, main re-acquires at once: it must queue behind a (no barging).
    lock = asyncio.Lock()
    async def w(name):
        async with lock:
            log(f"{name} has")
            await asyncio.sleep(0)
        log(f"{name} released")
    await lock.acquire()
    a = asyncio.create_task(w("a"))
    await asyncio.sleep(0)
    lock.release()
    log(f"main released; locked={lock.locked()}")
    await lock.acquire()
    log(f"main has again")
    lock.release()
    await a
    log("end")

async def lock_cancel_after_woken_then_other_takes():
    # a woken then cancelled; but before a runs, lock is taken by d via fast path? (not possible: a is done not cancelled)
    # Instead: release wakes a, cancel a; then main acquires: a is cancelled now -> all waiters cancelled? b remains
    lock = asyncio.Lock()
    async def w(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log(f"{name} cancelled")
            raise
        log(f"{name} has")
        lock.release()
    await lock.acquire()
    a = asyncio.create_task(w("a"))
    await asyncio.sleep(0)
    lock.release()
    a.cancel()
    # a's future is done (result) and a is cancelling: only waiter is a, not cancelled future -> main queues
    log(f"main acquiring; locked={lock.locked()}")
    await lock.acquire()
    log("main has")
    lock.release()
    await asyncio.gather(a, return_exceptions=True)
    log("end")

async def lock_cancel_all_waiters_fastpath():
    # All waiters cancelled (futures cancelled, tasks not yet run): acquire takes the fast path.
    lock = asyncio.Lock()
    async def w(name):
        try:
            await lock.acquire()
            log(f"{name} has")
            lock.release()
        except asyncio.CancelledError:
            log(f"{name} cancelled locked={lock.locked()}")
            raise
    await lock.acquire()
    ts = [asyncio.create_task(w(n)) for n in "ab"]
    await asyncio.sleep(0)
    lock.release()
    for t in ts: t.cancel()
    await lock.acquire()
    log(f"main has at once; locked={lock.locked()}")
    lock.release()
    await asyncio.gather(*ts, return_exceptions=True)
    log("end")

async def lock_release_unlocked():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        log(f"RuntimeError {e}")

run_all([lock_cancel_waiting, lock_release_to_cancelled, lock_barging, lock_cancel_after_woken_then_other_takes, lock_cancel_all_waiters_fastpath, lock_release_unlocked])
