"""run_all.py --one, but the cleanup cancels leftovers in task-name order (CPython iterates a set)."""
import asyncio, importlib.util, pathlib, sys
import os
sys.path.insert(0, os.environ.get('CORPUS', '/work/shared/conformance/asyncio'))
import virtual_loop

import re
def _key(t):
    m = re.match(r'(\D*)(\d+)$', t.get_name())
    return (m.group(1), int(m.group(2)))

async def _with_cleanup(main):
    try:
        return await main()
    finally:
        me = asyncio.current_task()
        rest = sorted((t for t in asyncio.all_tasks() if t is not me), key=_key)
        for t in rest:
            t.cancel()
        if rest:
            await asyncio.gather(*rest, return_exceptions=True)

virtual_loop._with_cleanup = _with_cleanup
path = pathlib.Path(sys.argv[1])
spec = importlib.util.spec_from_file_location(path.stem, path)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
try:
    virtual_loop.run(mod.main)
except BaseException as e:
    print(f"run raised {type(e).__name__}: {e}")
