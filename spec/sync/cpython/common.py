"""Shared by the CPython ground-truth programs for spec/sync: run each scenario on the conformance
corpus's virtual-time loop (CPython's own event loop with a jumping clock) and print its log.
Run from this directory: python3 lock_cases.py (CPython 3.11.7)."""
import sys, asyncio, pathlib
sys.path.insert(0, '/work/shared/conformance/asyncio')
import virtual_loop
from virtual_loop import log

def run_all(scenarios):
    for fn in scenarios:
        print(f"== {fn.__name__}")
        try:
            virtual_loop.run(fn)
        except BaseException as e:
            print(f"run raised {type(e).__name__}: {e}")
