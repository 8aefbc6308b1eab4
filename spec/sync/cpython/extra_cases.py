from common import *

async def lock_all_waiters_cancelled_fastpath():
    # Every waiter's future is cancelled (tasks not yet run): a newcomer takes the lock at once.
    lock = asyncio.Lock()
    await lock.acquire()
    async def w(name):
        try:
            await lock.acquire()
            log(f"{name} acquired")
            lock.release()
        except asyncio.CancelledError:
            log(f"{name} cancelled locked={lock.locked()}")
            raise
    ts = [asyncio.create_task(w(n)) for n in "ab"]
    await asyncio.sleep(0)
    for t in ts: t.cancel()
    lock.release()
    await lock.acquire()
    log(f"main acquired at once; locked={lock.locked()}")
    lock.release()
    await asyncio.gather(*ts, return_exceptions=True)
    log("end")

async def sem_woken_waiter_wakes_next():
    # a is woken (unit reserved); another release arrives; b queues behind a (a not yet run);
    # when a runs it sees value>0 and wakes b.
    sem = asyncio.Semaphore(0)
    async def w(name):
        await sem.acquire()
        log(f"{name} acquired value={sem._value}")
    a = asyncio.create_task(w("a"))
    await asyncio.sleep(0)
    b = asyncio.create_task(w("b"))   # its first step runs before a's wake-up
    sem.release()
    sem.release()
    log(f"two releases value={sem._value} locked={sem.locked()}")
    await asyncio.gather(a, b)
    log(f"end value={sem._value}")

async def wait_for_acquire_and_get():
    lock = asyncio.Lock()
    q = asyncio.Queue()
    await lock.acquire()
    async def holder():
        await asyncio.sleep(2)
        log("holder releases")
        lock.release()
    h = asyncio.create_task(holder())
    try:
        await asyncio.wait_for(lock.acquire(), 1)
    except TimeoutError:
        log(f"acquire timed out locked={lock.locked()}")
    await h
    log(f"after release locked={lock.locked()}")
    try:
        await asyncio.wait_for(q.get(), 1)
    except TimeoutError:
        log(f"get timed out {q}")
    q.put_nowait(1)
    await asyncio.sleep(0)
    log(f"item still there: qsize={q.qsize()}")

run_all([lock_all_waiters_cancelled_fastpath, sem_woken_waiter_wakes_next, wait_for_acquire_and_get])
