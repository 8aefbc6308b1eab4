"""Runs a fuzz program with asyncio.Runner (asyncio.run's shutdown) on the virtual-time loop;
leftover tasks are cancelled in creation order (CPython iterates a set)."""
import asyncio, importlib.util, itertools, pathlib, sys
import os
sys.path.insert(0, os.environ.get('CORPUS', '/work/shared/conformance/asyncio'))
import virtual_loop
import asyncio.runners, asyncio.tasks

seq = itertools.count()
def factory(loop, coro, **kw):
    t = asyncio.Task(coro, loop=loop, **kw)
    t._tw_seq = next(seq)
    return t

orig_all_tasks = asyncio.tasks.all_tasks
def all_tasks(loop=None):
    return sorted(orig_all_tasks(loop), key=lambda t: t._tw_seq)
asyncio.runners.tasks = type('T', (), {'all_tasks': staticmethod(all_tasks), 'gather': staticmethod(asyncio.gather)})

path = pathlib.Path(sys.argv[1])
spec = importlib.util.spec_from_file_location(path.stem, path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
def make_loop():
    loop = virtual_loop.VirtualTimeLoop()
    loop.set_task_factory(factory)
    return loop
try:
    with asyncio.Runner(loop_factory=make_loop) as r:
        r.run(mod.main())
except BaseException as e:
    print(f"run raised {type(e).__name__}: {e}")
