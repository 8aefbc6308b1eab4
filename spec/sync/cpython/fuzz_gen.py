"""Random programs over the sync primitives, run under CPython's loop on virtual time.

Writes spec/sync/fuzz-cases.jsonl, one {seed, prog, expected} per line, where expected is the exact log. The TS
spec ../differential.spec.ts interprets the same programs and must print the same lines.
"""
import json, pathlib, random, sys
from common import *
import virtual_loop

class P: pass

def build(prog):
    p = P()
    p.locks = [asyncio.Lock() for _ in range(prog["locks"])]
    p.sems = [asyncio.BoundedSemaphore(v) if b else asyncio.Semaphore(v) for v, b in prog["sems"]]
    p.events = [asyncio.Event() for _ in range(prog["events"])]
    p.conds = [asyncio.Condition() for _ in range(prog["conds"])]
    p.queues = [asyncio.Queue(m) if k == "fifo" else asyncio.LifoQueue(m) if k == "lifo" else asyncio.PriorityQueue(m)
                for k, m in prog["queues"]]
    p.barriers = [asyncio.Barrier(n) for n in prog["barriers"]]
    return p

async def run_op(op, name, p):
    k = op[0]
    if k == "sleep":
        await asyncio.sleep(op[1])
        log(f"{name} slept {op[1]}")
    elif k == "lock":
        i = op[1]
        async with p.locks[i]:
            log(f"{name} has L{i}")
            await asyncio.sleep(op[2])
        log(f"{name} left L{i}")
    elif k == "sem":
        i = op[1]
        async with p.sems[i]:
            log(f"{name} has S{i} value={p.sems[i]._value}")
            await asyncio.sleep(op[2])
        log(f"{name} left S{i} value={p.sems[i]._value}")
    elif k == "srel":
        i = op[1]
        try:
            p.sems[i].release()
            log(f"{name} released S{i} value={p.sems[i]._value}")
        except ValueError:
            log(f"{name} S{i} ValueError")
    elif k == "set":
        p.events[op[1]].set()
        log(f"{name} set E{op[1]}")
    elif k == "clear":
        p.events[op[1]].clear()
        log(f"{name} cleared E{op[1]}")
    elif k == "wait":
        await p.events[op[1]].wait()
        log(f"{name} waited E{op[1]}")
    elif k == "put":
        q = p.queues[op[1]]
        await q.put(op[2])
        log(f"{name} put {op[2]} Q{op[1]} size={q.qsize()}")
    elif k == "get":
        q = p.queues[op[1]]
        v = await q.get()
        q.task_done()
        log(f"{name} got {v} Q{op[1]} size={q.qsize()}")
    elif k == "putnw":
        q = p.queues[op[1]]
        try:
            q.put_nowait(op[2])
            log(f"{name} put_nowait {op[2]} Q{op[1]}")
        except asyncio.QueueFull:
            log(f"{name} Q{op[1]} QueueFull")
    elif k == "getnw":
        q = p.queues[op[1]]
        try:
            v = q.get_nowait()
            q.task_done()
            log(f"{name} got_nowait {v} Q{op[1]}")
        except asyncio.QueueEmpty:
            log(f"{name} Q{op[1]} QueueEmpty")
    elif k == "join":
        await p.queues[op[1]].join()
        log(f"{name} joined Q{op[1]}")
    elif k == "cwait":
        c = p.conds[op[1]]
        async with c:
            await c.wait()
            log(f"{name} notified C{op[1]}")
    elif k == "cnotify":
        c = p.conds[op[1]]
        async with c:
            c.notify(op[2])
            log(f"{name} notify C{op[1]} n={op[2]}")
    elif k == "cnotifyall":
        c = p.conds[op[1]]
        async with c:
            c.notify_all()
            log(f"{name} notify_all C{op[1]}")
    elif k == "bwait":
        b = p.barriers[op[1]]
        try:
            i = await b.wait()
            log(f"{name} passed B{op[1]} index={i}")
        except asyncio.BrokenBarrierError:
            log(f"{name} B{op[1]} broken")
    elif k == "babort":
        await p.barriers[op[1]].abort()
        log(f"{name} aborted B{op[1]}")
    elif k == "breset":
        await p.barriers[op[1]].reset()
        log(f"{name} reset B{op[1]}")
    elif k == "cancel":
        r = p.tasks[op[1]].cancel()
        log(f"{name} cancel T{op[1]} -> {r}")
    elif k == "timeout":
        try:
            await asyncio.wait_for(run_op(op[2], name, p), op[1])
            log(f"{name} in time")
        except TimeoutError:
            log(f"{name} timed out")
    else:
        raise ValueError(k)

async def task_body(name, ops, p):
    try:
        for op in ops:
            await run_op(op, name, p)
        log(f"{name} finished")
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise
    except Exception as e:
        log(f"{name} error {type(e).__name__}")
        raise

def state(p):
    parts = []
    parts += [f"L{i}={l.locked()}" for i, l in enumerate(p.locks)]
    parts += [f"S{i}={s._value}/{s.locked()}" for i, s in enumerate(p.sems)]
    parts += [f"E{i}={e.is_set()}" for i, e in enumerate(p.events)]
    parts += [f"C{i}={c.locked()}" for i, c in enumerate(p.conds)]
    parts += [f"Q{i}={q.qsize()}/{q._unfinished_tasks}" for i, q in enumerate(p.queues)]
    parts += [f"B{i}={b.n_waiting}/{b.broken}" for i, b in enumerate(p.barriers)]
    return " ".join(parts)

def make_main(prog):
    async def main():
        p = build(prog)
        p.tasks = []
        for i, ops in enumerate(prog["tasks"]):
            p.tasks.append(asyncio.create_task(task_body(f"T{i}", ops, p)))
        done, pending = await asyncio.wait(p.tasks, timeout=prog["watchdog"])
        log(f"main: {len(pending)} pending; {state(p)}")
        for t in p.tasks:
            t.cancel()
        res = await asyncio.gather(*p.tasks, return_exceptions=True)
        log("main: " + " ".join(type(r).__name__ if isinstance(r, BaseException) else repr(r) for r in res))
        log(f"main end; {state(p)}")
    return main

def gen(rng):
    prog = {
        "locks": rng.randint(0, 2),
        "sems": [(rng.randint(0, 2), rng.random() < 0.4) for _ in range(rng.randint(0, 2))],
        "events": rng.randint(0, 2),
        "conds": rng.randint(0, 1),
        "queues": [(rng.choice(["fifo", "fifo", "lifo", "prio"]), rng.randint(0, 2)) for _ in range(rng.randint(0, 2))],
        "barriers": [rng.randint(1, 3) for _ in range(rng.randint(0, 1))],
        "watchdog": rng.choice([5, 10, 20]),
    }
    ntasks = rng.randint(2, 5)
    kinds = ["sleep"]
    if prog["locks"]: kinds += ["lock"] * 3
    if prog["sems"]: kinds += ["sem"] * 3 + ["srel"]
    if prog["events"]: kinds += ["set", "clear", "wait", "wait"]
    if prog["conds"]: kinds += ["cwait", "cwait", "cnotify", "cnotifyall"]
    if prog["queues"]: kinds += ["put", "put", "get", "get", "putnw", "getnw", "join"]
    if prog["barriers"]: kinds += ["bwait", "bwait", "bwait", "babort", "breset"]
    kinds += ["cancel", "timeout", "timeout"]
    dense = rng.random() < 0.5 and len(kinds) > 4
    if dense:
        # One family of primitives, more tasks, and many cancellations at the same instant: these
        # exercise the woken-then-cancelled hand-offs, which sparse programs rarely reach.
        fams = [f for f in (["lock"], ["sem", "srel"], ["wait", "set", "clear"], ["cwait", "cnotify", "cnotifyall"],
                            ["put", "get", "putnw", "getnw"], ["bwait", "babort", "breset"]) if f[0] in kinds]
        fam = rng.choice(fams)
        kinds = fam * 3 + ["cancel"] * 3 + ["sleep", "timeout"]
    counter = [0]
    def op(allow_timeout=True):
        k = rng.choice(kinds)
        while k == "timeout" and not allow_timeout:
            k = rng.choice(kinds)
        t = (lambda: rng.choice([0, 0, 0, 1])) if dense else (lambda: rng.choice([0, 0, 1, 1, 2, 3]))
        if k == "sleep": return ["sleep", t()]
        if k == "lock": return ["lock", rng.randrange(prog["locks"]), t()]
        if k == "sem": return ["sem", rng.randrange(len(prog["sems"])), t()]
        if k == "srel": return ["srel", rng.randrange(len(prog["sems"]))]
        if k in ("set", "clear", "wait"): return [k, rng.randrange(prog["events"])]
        if k in ("put", "putnw"):
            counter[0] += 1
            v = rng.randint(0, 9) if rng.random() < 0.5 else counter[0]
            return [k, rng.randrange(len(prog["queues"])), v]
        if k in ("get", "getnw", "join"): return [k, rng.randrange(len(prog["queues"]))]
        if k == "cwait": return ["cwait", 0]
        if k == "cnotify": return ["cnotify", 0, rng.randint(0, 2)]
        if k == "cnotifyall": return ["cnotifyall", 0]
        if k in ("bwait", "babort", "breset"): return [k, 0]
        if k == "cancel": return ["cancel", rng.randrange(ntasks)]
        if k == "timeout": return ["timeout", rng.choice([0, 1, 2, 3]), op(False)]
        raise ValueError(k)
    if dense:
        ntasks = rng.randint(3, 7)
    prog["tasks"] = [[op() for _ in range(rng.randint(1, 7))] for _ in range(ntasks)]
    return prog

def run_prog(prog):
    import io, contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            virtual_loop.run(make_main(prog))
        except virtual_loop.Deadlock:
            print("DEADLOCK")
        except BaseException as e:
            print(f"run raised {type(e).__name__}")
    return buf.getvalue().splitlines()

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = []
    for seed in range(n):
        prog = gen(random.Random(seed))
        out.append({"seed": seed, "prog": prog, "expected": run_prog(prog)})
    path = sys.argv[2] if len(sys.argv) > 2 else str(pathlib.Path(__file__).resolve().parent.parent / "fuzz-cases.jsonl")
    with open(path, "w") as f:
        for c in out:
            f.write(json.dumps(c, separators=(",", ":")) + "\n")
    lens = [len(c["expected"]) for c in out]
    print(f"{n} programs, {sum(lens)} lines, deadlocks={sum(1 for c in out if c['expected'] and c['expected'][-1]=='DEADLOCK')}")
