"""Runs the property specs' random programs (spec/properties/program.ts) under CPython 3.11 asyncio
on a virtual clock, and prints what each logged, as ground truth for cpython-differential.spec.ts.

Reads a JSON list of programs on stdin, writes a JSON list of logs (one list of lines per program).
Delays are used as they are (virtual seconds standing for timeweave's milliseconds), so that every
deadline is an exact integer in both implementations and ties compare the same way.
Usage: python3 spec/properties/cpython_programs.py [--fifo] < programs.json > logs.json
(--fifo: same-deadline timers fire in the order they were set, as under timeweave's default policy.)
"""
import asyncio
import gc
import json
import os
import sys

sys.path.insert(0, os.environ.get("TIMEWEAVE_CONFORMANCE", "/work/shared/conformance/asyncio"))
from virtual_loop import Deadlock, VirtualTimeLoop  # noqa: E402


class Error(Exception):
    pass


class _OrderedSet(dict):
    """The part of set() TaskGroup uses, iterating in insertion order."""

    def add(self, x):
        self[x] = None

    def discard(self, x):
        self.pop(x, None)


def ordered_task_group():
    """asyncio.TaskGroup whose children are cancelled in creation order. CPython keeps them in a
    set(), so on a failure the order it cancels them in follows object addresses and varies from run
    to run; timeweave (like a reader of the code) uses creation order."""
    tg = asyncio.TaskGroup()
    tg._tasks = _OrderedSet()
    return tg


def fmt_time(t):
    return str(int(t)) if float(t).is_integer() else repr(float(t))


def run_program(prog):
    # Each program on a clean heap with the cycle collector off: a collection in the middle of a run
    # (its timing depends on every earlier program) would change what a batch of programs prints.
    gc.collect()
    gc.disable()
    try:
        return _run_program(prog)
    finally:
        gc.enable()


def _run_program(prog):
    out = []
    state = {"logging": True}
    loop = VirtualTimeLoop()
    asyncio.set_event_loop(loop)

    def log(msg):
        if state["logging"]:
            out.append(f"{fmt_time(loop.time())} {msg}")

    def err_text(e):
        return type(e).__name__

    def execute(node, path):
        async def body():
            handles = []
            parts = []
            for n, op in enumerate(node["ops"]):
                here = f"{path}.{n}"
                k = op["k"]
                try:
                    if k == "sleep":
                        v = await asyncio.sleep(op["ms"], here)
                        log(f"{here} sleep {v}")
                    elif k == "timer":
                        ms = op["ms"]
                        cb = lambda here=here: log(f"{here} timer")
                        if ms == 3:
                            loop.call_at(loop.time() + ms, cb)
                        else:
                            loop.call_later(ms, cb)
                    elif k == "spawn":
                        handles.append(asyncio.create_task(execute(op["node"], here)()))
                    elif k == "gatherStrict":
                        kids = [asyncio.create_task(execute(c, f"{here}s{i}")()) for i, c in enumerate(op["nodes"])]
                        rs = await asyncio.gather(*kids)
                        parts.extend(rs)
                        log(f"{here} gatherStrict {','.join(rs)}")
                    elif k == "asCompleted":
                        kids = [asyncio.create_task(execute(c, f"{here}c{i}")()) for i, c in enumerate(op["nodes"])]
                        handles.extend(kids)
                        for nxt in asyncio.as_completed(kids, timeout=op["ms"]):
                            try:
                                r = await nxt
                            except (Exception, asyncio.CancelledError) as e:
                                r = f"E:{err_text(e)}"
                            parts.append(r)
                            log(f"{here} asCompleted {r}")
                    elif k == "micro":
                        pass  # microtask hops in JavaScript: no step, nothing to do in asyncio
                    elif k in ("await", "awaitWrapped"):
                        if handles:
                            r = await handles[op["idx"] % len(handles)]
                            parts.append(r)
                            log(f"{here} await {r}")
                    elif k == "gather":
                        kids = [asyncio.create_task(execute(c, f"{here}g{i}")()) for i, c in enumerate(op["nodes"])]
                        res = await asyncio.gather(*kids, return_exceptions=True)
                        shown = [r if isinstance(r, str) else f"E:{err_text(r)}" for r in res]
                        parts.extend(shown)
                        log(f"{here} gather {','.join(shown)}")
                    elif k == "cancel":
                        if handles:
                            r = handles[op["idx"] % len(handles)].cancel(here)
                            log(f"{here} cancel {'true' if r else 'false'}")
                    elif k == "waitFor":
                        r = await asyncio.wait_for(asyncio.create_task(execute(op["node"], here)()), op["ms"])
                        parts.append(r)
                        log(f"{here} waitFor {r}")
                    elif k == "shield":
                        t = asyncio.create_task(execute(op["node"], here)())
                        handles.append(t)
                        r = await asyncio.shield(t)
                        parts.append(r)
                        log(f"{here} shield {r}")
                    elif k == "timeout":
                        async with asyncio.timeout(op["ms"]):
                            r = await execute(op["node"], here)()
                        parts.append(r)
                        log(f"{here} timeout {r}")
                    elif k == "group":
                        kids = []
                        try:
                            async with ordered_task_group() as tg:
                                for i, c in enumerate(op["nodes"]):
                                    kids.append(tg.create_task(execute(c, f"{here}k{i}")()))
                        except BaseExceptionGroup as eg:
                            log(f"{here} group errors {','.join(err_text(x) for x in eg.exceptions)}")
                            raise
                        rs = [t.result() for t in kids]
                        parts.extend(rs)
                        log(f"{here} group {','.join(rs)}")
                    elif k == "wait":
                        kids = [asyncio.create_task(execute(c, f"{here}w{i}")()) for i, c in enumerate(op["nodes"])]
                        handles.extend(kids)
                        done, _pending = await asyncio.wait(
                            kids, timeout=op["ms"], return_when=asyncio.FIRST_COMPLETED if op["first"] else asyncio.ALL_COMPLETED
                        )
                        shown = "".join("d" if t in done else "p" for t in kids)
                        parts.append(shown)
                        log(f"{here} wait {shown}")
                except (Exception, asyncio.CancelledError, BaseExceptionGroup) as e:  # as the TS interpreter does
                    parts.append(f"E:{err_text(e)}")
                    log(f"{here} {k} E:{err_text(e)}")
            if node["fail"]:
                raise Error(f"{path} failed")
            return f"{path}({','.join(parts)})"

        return body

    async def main():
        try:
            r = await execute(prog, "m")()
            log(f"main returned {r}")
        except (Exception, asyncio.CancelledError) as e:
            log(f"main raised {err_text(e)}")
        finally:
            state["logging"] = False

    try:
        task = loop.create_task(main())
        loop.run_until_complete(task)
    except Deadlock:
        out.append("DEADLOCK")
    finally:
        try:
            asyncio.runners._cancel_all_tasks(loop)
        except Exception:  # noqa: BLE001
            pass
        asyncio.set_event_loop(None)
        loop.close()
    return out


def use_fifo_timers():
    """Makes same-deadline timers fire in the order they were set (timeweave's `fifo` policy) instead of
    heap order: timer handles compare (deadline, creation number)."""
    import itertools

    from asyncio import events

    counter = itertools.count()

    class FifoTimerHandle(events.TimerHandle):
        __slots__ = ("_tw_seq",)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._tw_seq = next(counter)

        def __lt__(self, other):
            return (self._when, self._tw_seq) < (other._when, other._tw_seq)

        def __le__(self, other):
            return (self._when, self._tw_seq) <= (other._when, other._tw_seq)

        def __gt__(self, other):
            return (self._when, self._tw_seq) > (other._when, other._tw_seq)

        def __ge__(self, other):
            return (self._when, self._tw_seq) >= (other._when, other._tw_seq)

    events.TimerHandle = FifoTimerHandle


def main():
    import logging

    if "--fifo" in sys.argv:
        use_fifo_timers()

    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    progs = json.load(sys.stdin)
    json.dump([run_program(p) for p in progs], sys.stdout)


if __name__ == "__main__":
    main()
