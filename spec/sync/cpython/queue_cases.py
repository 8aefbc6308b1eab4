from common import *

async def q_getters_cancel():
    q = asyncio.Queue()
    async def g(name):
        try:
            item = await q.get()
            log(f"{name} got {item}")
        except asyncio.CancelledError:
            log(f"{name} cancelled qsize={q.qsize()}")
            raise
    ts = {n: asyncio.create_task(g(n)) for n in "abcd"}
    await asyncio.sleep(0)
    ts["b"].cancel()            # waiting getter cancelled
    q.put_nowait(1)             # wakes a
    ts["a"].cancel()            # a woken but cancelled before it runs: passes the wake-up on
    q.put_nowait(2)             # wakes c (b's future is cancelled: skipped and dropped)
    log(f"put 2 qsize={q.qsize()} {q}")
    await asyncio.sleep(0)
    log(f"after turn qsize={q.qsize()} {q}")
    await asyncio.sleep(0)
    log(f"after 2nd turn qsize={q.qsize()} {q}")
    await asyncio.gather(*ts.values(), return_exceptions=True)
    log(f"end qsize={q.qsize()}")

async def q_putters_cancel():
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("x")
    async def p(name):
        try:
            await q.put(name)
            log(f"{name} put qsize={q.qsize()}")
        except asyncio.CancelledError:
            log(f"{name} cancelled full={q.full()}")
            raise
    ts = {n: asyncio.create_task(p(n)) for n in "abc"}
    await asyncio.sleep(0)
    log(f"{q}")
    item = q.get_nowait()       # wakes a
    ts["a"].cancel()            # a cancelled before it runs -> passes wake-up to b
    log(f"got {item} {q}")
    await asyncio.sleep(0)
    log(f"after turn {q}")
    await asyncio.sleep(0)
    log(f"after 2nd turn {q}")
    log(f"get {q.get_nowait()}")
    await asyncio.gather(*ts.values(), return_exceptions=True)
    log(f"end {q} unfinished={q._unfinished_tasks}")

async def q_full_putnowait():
    q = asyncio.Queue(2)
    q.put_nowait(1); q.put_nowait(2)
    try:
        q.put_nowait(3)
    except asyncio.QueueFull:
        log(f"QueueFull full={q.full()}")
    q.get_nowait(); q.get_nowait()
    q.task_done(); q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        log(f"ValueError {e}")
    await q.join()
    log("join returns at once")

async def q_join_many():
    q = asyncio.Queue()
    async def worker(name):
        while True:
            item = await q.get()
            await asyncio.sleep(item)
            log(f"{name} done {item}")
            q.task_done()
    ws = [asyncio.create_task(worker(n)) for n in "ab"]
    for i in (3, 1, 2, 1):
        q.put_nowait(i)
    async def joiner(name):
        await q.join()
        log(f"{name} joined")
    js = [asyncio.create_task(joiner(n)) for n in "xy"]
    await q.join()
    log(f"main joined")
    await asyncio.gather(*js)
    for w in ws: w.cancel()

async def pq_order():
    q = asyncio.PriorityQueue()
    for item in [(2, "b"), (1, "z"), (2, "a"), (1, "y"), (0, "q"), (3, "c"), (1, "x"), (2, "a")]:
        q.put_nowait(item)
    log(f"{q}")
    out = []
    while not q.empty():
        out.append(q.get_nowait())
    log(f"{out}")
    q2 = asyncio.PriorityQueue()
    for s in ["pear", "apple", "Apple", "apple pie", "", "äpfel", "zebra", "\U0001F600", "\uff21"]:
        q2.put_nowait(s)
    log(f"{[q2.get_nowait() for _ in range(q2.qsize())]}")
    q3 = asyncio.PriorityQueue()
    for n in [5, 3, 8, 1, 9, 2, 7, 3, 5, 0, 4, 6, 1]:
        q3.put_nowait(n)
    log(f"heap {q3._queue}")
    log(f"{[q3.get_nowait() for _ in range(q3.qsize())]}")

async def pq_stable_ties():
    # entries comparing equal on priority only via key: use [prio, name] w/ equal prio objects is a TypeError in py; here test heap order of ties with key-only compare emulated by a class
    class E:
        def __init__(self, p, n): self.p, self.n = p, n
        def __lt__(self, o): return self.p < o.p
        def __repr__(self): return f"{self.p}{self.n}"
    q = asyncio.PriorityQueue()
    for i, p in enumerate([1, 1, 1, 0, 1, 0, 1, 1, 0, 1]):
        q.put_nowait(E(p, chr(97 + i)))
    log(f"{[q.get_nowait() for _ in range(q.qsize())]}")

async def lifo():
    q = asyncio.LifoQueue()
    for i in range(4): q.put_nowait(i)
    log(f"{q}")
    log(f"{[q.get_nowait() for _ in range(4)]}")

async def q_getter_waits_put_wakes():
    q = asyncio.Queue(1)
    async def consumer():
        for _ in range(3):
            log(f"consumer got {await q.get()}")
    async def producer():
        for i in range(3):
            await q.put(i)
            log(f"producer put {i}")
    c = asyncio.create_task(consumer())
    p = asyncio.create_task(producer())
    await asyncio.gather(c, p)

run_all([q_getters_cancel, q_putters_cancel, q_full_putnowait, q_join_many, pq_order, pq_stable_ties, lifo, q_getter_waits_put_wakes])
