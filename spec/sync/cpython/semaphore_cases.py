from common import *

async def sem_fairness():
    # Semaphore(2): 5 jobs; a newcomer arriving while waiters queue and a unit is free must queue.
    sem = asyncio.Semaphore(2)
    async def job(name, hold):
        log(f"{name} wants locked={sem.locked()}")
        async with sem:
            log(f"{name} in value={sem._value}")
            await asyncio.sleep(hold)
        log(f"{name} out")
    ts = [asyncio.create_task(job(n, h)) for n, h in (("a", 1), ("b", 3), ("c", 1), ("d", 1))]
    await asyncio.sleep(1)
    # a released at t=1 -> c woken but has not run yet; newcomer e must queue behind d
    e = asyncio.create_task(job("e", 1))
    await asyncio.gather(*ts, e)
    log(f"end value={sem._value} locked={sem.locked()}")

async def sem_release_burst():
    # Several releases at once wake several waiters, in order.
    sem = asyncio.Semaphore(0)
    async def w(name):
        await sem.acquire()
        log(f"{name} acquired value={sem._value}")
    ts = [asyncio.create_task(w(n)) for n in "abcd"]
    await asyncio.sleep(0)
    sem.release(); sem.release(); sem.release()
    log(f"released 3 value={sem._value} locked={sem.locked()}")
    await asyncio.sleep(0)
    log(f"after one turn value={sem._value}")
    sem.release()
    await asyncio.gather(*ts)
    log(f"end value={sem._value}")

async def sem_cancel_woken():
    # release() wakes a; a is cancelled before it runs: its unit goes to b.
    sem = asyncio.Semaphore(0)
    async def w(name):
        try:
            await sem.acquire()
        except asyncio.CancelledError:
            log(f"{name} cancelled value={sem._value}")
            raise
        log(f"{name} acquired value={sem._value}")
    ts = [asyncio.create_task(w(n)) for n in "abc"]
    await asyncio.sleep(0)
    sem.release()
    ts[0].cancel()
    ts[2].cancel()
    log(f"released, cancelled a and c; value={sem._value} locked={sem.locked()}")
    await asyncio.gather(*ts, return_exceptions=True)
    log(f"end value={sem._value} locked={sem.locked()}")

async def sem_cancel_waiting_then_acquire():
    # a waiting acquirer is cancelled (future cancelled); locked() ignores cancelled waiters.
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    async def w(name):
        try:
            await sem.acquire()
            log(f"{name} acquired")
        except asyncio.CancelledError:
            log(f"{name} cancelled")
            raise
    a = asyncio.create_task(w("a"))
    await asyncio.sleep(0)
    a.cancel()
    sem.release()
    log(f"locked={sem.locked()} value={sem._value}")
    await sem.acquire()
    log(f"main acquired value={sem._value}")
    await asyncio.gather(a, return_exceptions=True)
    log(f"end value={sem._value}")

async def bounded():
    b = asyncio.BoundedSemaphore(2)
    await b.acquire()
    await b.acquire()
    b.release()
    b.release()
    try:
        b.release()
    except ValueError as e:
        log(f"ValueError {e}")
    log(f"value={b._value}")

run_all([sem_fairness, sem_release_burst, sem_cancel_woken, sem_cancel_waiting_then_acquire, bounded])
