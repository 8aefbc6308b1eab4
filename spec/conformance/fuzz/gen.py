"""Differential fuzzer: random asyncio programs rendered as Python and as timeweave TypeScript.

usage: python3 gen.py FIRST_SEED COUNT OUT_DIR REPO_ROOT
Writes pSEED.py and pSEED.ts for each seed. See README.md in this directory.
"""
import random, sys, os, pathlib

def gen_program(rng, nfun):
    # functions 1..nfun; main is 0. Function i may spawn j > i (each j spawned once).
    owner = {}
    for j in range(1, nfun + 1):
        owner[j] = rng.randrange(0, j)  # parent index < j
    bodies = {}
    for i in range(0, nfun + 1):
        kids = [j for j in range(1, nfun + 1) if owner[j] == i]
        bodies[i] = gen_body(rng, i, kids, depth=0, top=True)
    return bodies

def gen_body(rng, me, kids, depth, top=False):
    stmts = []
    if top:
        for j in kids:
            stmts.append(('spawn', j))
            if rng.random() < 0.3:
                stmts.append(('sleep', rng.choice([0, 0, 0.5, 1])))
    n = rng.randint(1, 5 if top else 3)
    for _ in range(n):
        stmts.append(gen_stmt(rng, me, kids, depth))
    if top and rng.random() < 0.15:
        stmts.append(('raise',))
    return stmts

def gen_stmt(rng, me, kids, depth):
    choices = ['log', 'sleep', 'sleep', 'sleep0', 'callsoon', 'calllater']
    if kids:
        choices += ['await', 'await', 'cancel', 'state', 'gather', 'wait_for', 'shield', 'wait']
    choices += ['tg', 'gatherleaf', 'wait_for_leaf', 'future', 'cancelmsg'] if kids else ['tg', 'gatherleaf', 'wait_for_leaf', 'future']
    if kids: choices += ['as_completed']
    choices += ['gcancel', 'evset', 'evwait', 'qput', 'qget']
    if depth < 2: choices += ['sub', 'lock']
    if depth < 2:
        choices += ['try', 'timeout', 'finally']
    choices += ['uncancel'] if rng.random() < 0.2 else []
    choices += ['selfcancel'] if rng.random() < 0.05 else []
    k = rng.choice(choices)
    if k == 'log': return ('log', rng.randrange(100))
    if k == 'sleep': return ('sleep', rng.choice([0.5, 1, 1, 2, 3]))
    if k == 'sleep0': return ('sleep', 0)
    if k == 'callsoon': return ('callsoon', rng.randrange(100))
    if k == 'calllater': return ('calllater', rng.choice([0.5, 1, 2]), rng.randrange(100))
    if k == 'await': return ('await', rng.choice(kids), rng.random() < 0.5)
    if k == 'cancel': return ('cancel', rng.choice(kids))
    if k == 'state': return ('state', rng.choice(kids))
    if k == 'gather':
        js = rng.sample(kids, rng.randint(1, len(kids)))
        return ('gather', js, rng.random() < 0.5)
    if k == 'wait_for': return ('wait_for', rng.choice(kids), rng.choice([0, 0.5, 1, 2, 3]))
    if k == 'shield': return ('shield', rng.choice(kids))
    if k == 'wait':
        js = rng.sample(kids, rng.randint(1, len(kids)))
        return ('wait', js, rng.choice([None, 0.5, 1, 2]), rng.choice(['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED']))
    if k == 'try': return ('try', gen_body(rng, me, kids, depth + 1), rng.random() < 0.4)
    if k == 'timeout': return ('timeout', rng.choice([0, 0.5, 1, 2, 3]), gen_body(rng, me, kids, depth + 1))
    if k == 'tg':
        leaves = [leafspec(rng) for _ in range(rng.randint(1, 3))]
        return ('tg', leaves, gen_body(rng, me, [], depth + 1) if depth < 2 and rng.random() < 0.5 else [])
    if k == 'gatherleaf': return ('gatherleaf', [leafspec(rng) for _ in range(rng.randint(1, 3))], rng.random() < 0.5)
    if k == 'wait_for_leaf': return ('wait_for_leaf', leafspec(rng), rng.choice([0, 0.5, 1, 2]))
    if k == 'future': return ('future', rng.randrange(100), rng.choice([0, 0.5, 1, 2]))
    if k == 'cancelmsg': return ('cancelmsg', rng.choice(kids), f"m{rng.randrange(100)}")
    if k == 'as_completed':
        js = rng.sample(kids, rng.randint(1, len(kids)))
        return ('as_completed', js, rng.choice([None, 0.5, 1, 2]))
    if k == 'finally': return ('finally', gen_body(rng, me, kids, depth + 1))
    if k == 'gcancel': return ('gcancel', [leafspec(rng) for _ in range(rng.randint(1, 3))], rng.choice([0, 0.5, 1]))
    if k == 'evset': return ('evset', rng.randrange(2))
    if k == 'evwait': return ('evwait', rng.randrange(2), rng.choice([0.5, 1, 2, 3]))
    if k == 'qput': return ('qput', rng.randrange(100))
    if k == 'qget': return ('qget', rng.choice([0, 0.5, 1, 2]))
    if k == 'sub': return ('sub', gen_body(rng, me, kids, depth + 1))
    if k == 'lock': return ('lock', gen_body(rng, me, kids, depth + 1))
    if k == 'uncancel': return ('uncancel',)
    if k == 'selfcancel': return ('selfcancel',)
    raise AssertionError(k)

LEAFN = [0]
def leafspec(rng):
    LEAFN[0] += 1
    return (f"L{LEAFN[0]}", rng.choice([0, 0.5, 1, 2]), rng.random() < 0.3)

def ms(d):
    return str(int(d * 1000))

# ------------------------------------------------------------------ Python
def py_body(stmts, ind):
    out = []
    p = '    ' * ind
    for s in stmts:
        k = s[0]
        if k == 'spawn':
            out.append(f'{p}T[{s[1]}] = asyncio.create_task(f{s[1]}(), name="t{s[1]}")')
        elif k == 'log':
            out.append(f'{p}log(f"{{me}} log {s[1]}")')
        elif k == 'sleep':
            out.append(f'{p}await asyncio.sleep({s[1]})')
        elif k == 'callsoon':
            out.append(f'{p}asyncio.get_running_loop().call_soon(log, f"cb {s[1]} from {{me}}")')
        elif k == 'calllater':
            out.append(f'{p}asyncio.get_running_loop().call_later({s[1]}, log, f"timer {s[2]} from {{me}}")')
        elif k == 'await':
            j, rer = s[1], s[2]
            out.append(f'{p}try:')
            out.append(f'{p}    r = await T[{j}]')
            out.append(f'{p}    log(f"{{me}} awaited t{j}: {{r!r}}")')
            out.append(f'{p}except asyncio.CancelledError:')
            out.append(f'{p}    log(f"{{me}} await t{j}: CancelledError")')
            if rer: out.append(f'{p}    raise')
            out.append(f'{p}except ValueError as e:')
            out.append(f'{p}    log(f"{{me}} await t{j}: ValueError {{e}}")')
        elif k == 'cancel':
            out.append(f'{p}log(f"{{me}} cancel t{s[1]} -> {{T[{s[1]}].cancel()}}")')
        elif k == 'state':
            out.append(f'{p}log(f"{{me}} t{s[1]} {{state(T[{s[1]}])}}")')
        elif k == 'gather':
            js, rexc = s[1], s[2]
            args = ', '.join(f'T[{j}]' for j in js)
            out.append(f'{p}try:')
            out.append(f'{p}    r = await asyncio.gather({args}, return_exceptions={rexc})')
            out.append(f'{p}    log(f"{{me}} gather {{fmt(r)}}")')
            out.append(f'{p}except asyncio.CancelledError:')
            out.append(f'{p}    log(f"{{me}} gather: CancelledError")')
            out.append(f'{p}    raise')
            out.append(f'{p}except ValueError as e:')
            out.append(f'{p}    log(f"{{me}} gather: ValueError {{e}}")')
        elif k == 'wait_for':
            j, d = s[1], s[2]
            out.append(f'{p}try:')
            out.append(f'{p}    r = await asyncio.wait_for(T[{j}], {d})')
            out.append(f'{p}    log(f"{{me}} wait_for t{j}: {{r!r}}")')
            out.append(f'{p}except TimeoutError:')
            out.append(f'{p}    log(f"{{me}} wait_for t{j}: TimeoutError")')
            out.append(f'{p}except asyncio.CancelledError:')
            out.append(f'{p}    log(f"{{me}} wait_for t{j}: CancelledError")')
            out.append(f'{p}    raise')
            out.append(f'{p}except ValueError as e:')
            out.append(f'{p}    log(f"{{me}} wait_for t{j}: ValueError {{e}}")')
        elif k == 'shield':
            j = s[1]
            out.append(f'{p}try:')
            out.append(f'{p}    r = await asyncio.shield(T[{j}])')
            out.append(f'{p}    log(f"{{me}} shield t{j}: {{r!r}}")')
            out.append(f'{p}except asyncio.CancelledError:')
            out.append(f'{p}    log(f"{{me}} shield t{j}: CancelledError")')
            out.append(f'{p}    raise')
            out.append(f'{p}except ValueError as e:')
            out.append(f'{p}    log(f"{{me}} shield t{j}: ValueError {{e}}")')
        elif k == 'wait':
            js, to, rw = s[1], s[2], s[3]
            args = ', '.join(f'T[{j}]' for j in js)
            out.append(f'{p}done, pending = await asyncio.wait([{args}], timeout={to}, return_when=asyncio.{rw})')
            out.append(f'{p}log(f"{{me}} wait done {{names(done)}} pending {{names(pending)}}")')
        elif k == 'try':
            body, swallow = s[1], s[2]
            out.append(f'{p}try:')
            out += py_body(body, ind + 1)
            out.append(f'{p}except asyncio.CancelledError as e:')
            out.append(f'{p}    log(f"{{me}} caught CancelledError {{str(e)!r}}, cancelling={{asyncio.current_task().cancelling()}}")')
            if not swallow: out.append(f'{p}    raise')
        elif k == 'timeout':
            d, body = s[1], s[2]
            out.append(f'{p}try:')
            out.append(f'{p}    async with asyncio.timeout({d}):')
            out += py_body(body, ind + 2)
            out.append(f'{p}except TimeoutError:')
            out.append(f'{p}    log(f"{{me}} timeout {d} expired")')
        elif k == 'tg':
            leaves, body = s[1], s[2]
            out.append(f'{p}try:')
            out.append(f'{p}    async with asyncio.TaskGroup() as tg:')
            for (tag, d, fail) in leaves:
                out.append(f'{p}        tg.create_task(leaf("{tag}", {d}, {fail}, True), name="{tag}")')
            out += py_body(body, ind + 2)
            out.append(f'{p}    log(f"{{me}} group ok")')
            out.append(f'{p}except* ValueError as eg:')
            out.append(f'{p}    log(f"{{me}} group ValueErrors {{sorted(str(e) for e in eg.exceptions)}}")')
        elif k == 'gatherleaf':
            leaves, rexc = s[1], s[2]
            args = ', '.join(f'leaf("{t}", {d}, {f})' for (t, d, f) in leaves)
            out.append(f'{p}try:')
            out.append(f'{p}    r = await asyncio.gather({args}, return_exceptions={rexc})')
            out.append(f'{p}    log(f"{{me}} gatherleaf {{fmt(r)}}")')
            out.append(f'{p}except ValueError as e:')
            out.append(f'{p}    log(f"{{me}} gatherleaf: ValueError {{e}}")')
        elif k == 'wait_for_leaf':
            (t, d, f), to = s[1], s[2]
            out.append(f'{p}try:')
            out.append(f'{p}    r = await asyncio.wait_for(leaf("{t}", {d}, {f}), {to})')
            out.append(f'{p}    log(f"{{me}} wait_for_leaf {{r!r}}")')
            out.append(f'{p}except TimeoutError:')
            out.append(f'{p}    log(f"{{me}} wait_for_leaf {t}: TimeoutError")')
            out.append(f'{p}except ValueError as e:')
            out.append(f'{p}    log(f"{{me}} wait_for_leaf: ValueError {{e}}")')
        elif k == 'future':
            tag, d = s[1], s[2]
            out.append(f'{p}fut = asyncio.get_running_loop().create_future()')
            out.append(f'{p}asyncio.get_running_loop().call_later({d}, lambda fut=fut: fut.done() or fut.set_result("F{tag}"))')
            out.append(f'{p}log(f"{{me}} future {{await fut!r}}")')
        elif k == 'cancelmsg':
            out.append(p + 'log(f"{me} cancel t%d msg -> {T[%d].cancel(\'%s\')}")' % (s[1], s[1], s[2]))
        elif k == 'as_completed':
            js, to = s[1], s[2]
            args = ', '.join(f'T[{j}]' for j in js)
            out.append(f'{p}try:')
            out.append(f'{p}    for f in asyncio.as_completed([{args}], timeout={to}):')
            out.append(f'{p}        try:')
            out.append(f'{p}            log(f"{{me}} as_completed {{await f!r}}")')
            out.append(f'{p}        except ValueError as e:')
            out.append(f'{p}            log(f"{{me}} as_completed ValueError {{e}}")')
            out.append(f'{p}except TimeoutError:')
            out.append(f'{p}    log(f"{{me}} as_completed TimeoutError")')
            out.append(f'{p}except asyncio.CancelledError as e:')
            out.append(f'{p}    log(f"{{me}} as_completed CancelledError {{str(e)!r}}")')
            out.append(f'{p}    raise')
        elif k == 'finally':
            out.append(f'{p}try:')
            out += py_body(s[1], ind + 1)
            out.append(f'{p}finally:')
            out.append(f'{p}    await asyncio.sleep(0)')
            out.append(f'{p}    log(f"{{me}} finally ran")')
        elif k == 'gcancel':
            leaves, after = s[1], s[2]
            args = ', '.join(f'leaf("{t}", {d}, {f})' for (t, d, f) in leaves)
            out.append(f'{p}g = asyncio.gather({args}, return_exceptions=True)')
            out.append(f'{p}await asyncio.sleep({after})')
            out.append(f'{p}log(f"{{me}} gather cancel -> {{g.cancel()}}")')
            out.append(f'{p}try:')
            out.append(f'{p}    log(f"{{me}} gcancel {{fmt(await g)}}")')
            out.append(f'{p}except asyncio.CancelledError as e:')
            out.append(f'{p}    log(f"{{me}} gcancel CancelledError {{str(e)!r}} {{g.cancelled()}}")')
        elif k == 'evset':
            out.append(f'{p}E[{s[1]}].set()')
            out.append(f'{p}log(f"{{me}} set E{s[1]}")')
        elif k == 'evwait':
            out.append(f'{p}try:')
            out.append(f'{p}    await asyncio.wait_for(E[{s[1]}].wait(), {s[2]})')
            out.append(f'{p}    log(f"{{me}} E{s[1]} is set")')
            out.append(f'{p}except TimeoutError:')
            out.append(f'{p}    log(f"{{me}} E{s[1]} wait TimeoutError")')
        elif k == 'qput':
            out.append(f'{p}Q.put_nowait("q{s[1]}")')
        elif k == 'qget':
            out.append(f'{p}try:')
            out.append(f'{p}    log(f"{{me}} qget {{await asyncio.wait_for(Q.get(), {s[1]})!r}} left {{Q.qsize()}}")')
            out.append(f'{p}except TimeoutError:')
            out.append(f'{p}    log(f"{{me}} qget TimeoutError")')
        elif k == 'sub':
            out.append(f'{p}async def _sub():')
            out += py_body(s[1], ind + 1)
            out.append(f'{p}    log(f"{{me}} sub returns")')
            out.append(f'{p}await _sub()')
        elif k == 'lock':
            out.append(f'{p}log(f"{{me}} wants lock")')
            out.append(f'{p}async with LOCK:')
            out.append(f'{p}    log(f"{{me}} has lock")')
            out += py_body(s[1], ind + 1)
            out.append(f'{p}log(f"{{me}} released lock")')
        elif k == 'uncancel':
            out.append(f'{p}log(f"{{me}} uncancel -> {{asyncio.current_task().uncancel()}}")')
        elif k == 'selfcancel':
            out.append(f'{p}log(f"{{me}} self cancel -> {{asyncio.current_task().cancel()}}")')
        elif k == 'raise':
            out.append(f'{p}raise ValueError(me)')
        else:
            raise AssertionError(k)
    return out

PY_HEAD = '''import asyncio
from virtual_loop import log
T = {}

E = None
Q = None
LOCK = None

def init():
    global E, Q, LOCK
    E = [asyncio.Event(), asyncio.Event()]
    Q = asyncio.Queue()
    LOCK = asyncio.Lock()

async def leaf(tag, d, fail, quiet=False):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        if not quiet:
            log(f"leaf {tag} cancelled {str(e)!r}")
        raise
    if fail:
        raise ValueError(f"leaf {tag}")
    log(f"leaf {tag} done")
    return tag

def state(t):
    if t.done():
        if t.cancelled():
            return "cancelled"
        return "failed" if t.exception() is not None else "finished"
    return f"cancelling{t.cancelling()}" if t.cancelling() else "pending"

def fmt(r):
    return "[" + ", ".join(type(x).__name__ if isinstance(x, BaseException) else repr(x) for x in r) + "]"

def names(s):
    return sorted(t.get_name() for t in s)
'''

def py_program(bodies):
    out = [PY_HEAD]
    for i in sorted(bodies):
        fn = 'main' if i == 0 else f'f{i}'
        out.append(f'async def {fn}():')
        out.append(f'    me = "{fn}"')
        if i == 0: out.append('    init()')
        out += py_body(bodies[i], 1)
        out.append(f'    return "r{i}"')
        out.append('')
    return '\n'.join(out) + '\n'

# ------------------------------------------------------------------ TypeScript
def ts_body(stmts, ind):
    out = []
    p = '  ' * ind
    for s in stmts:
        k = s[0]
        if k == 'spawn':
            out.append(f"{p}T[{s[1]}] = createTask(f{s[1]}, {{ name: 't{s[1]}' }});")
        elif k == 'log':
            out.append(f"{p}log(`${{me}} log {s[1]}`);")
        elif k == 'sleep':
            out.append(f"{p}await sleep({ms(s[1])});")
        elif k == 'callsoon':
            out.append(f"{p}getRunningLoop().callSoon(log, `cb {s[1]} from ${{me}}`);")
        elif k == 'calllater':
            out.append(f"{p}getRunningLoop().callLater({ms(s[1])}, log, `timer {s[2]} from ${{me}}`);")
        elif k in ('await', 'gather', 'wait_for', 'shield'):
            j = s[1]
            label = {'await': f'await t{j}', 'gather': 'gather', 'wait_for': f'wait_for t{j}', 'shield': f'shield t{j}'}[k]
            okl = {'await': f'awaited t{j}', 'gather': 'gather', 'wait_for': f'wait_for t{j}', 'shield': f'shield t{j}'}[k]
            if k == 'await': expr, show = f'T[{j}]!', 'pyRepr(r)'
            elif k == 'shield': expr, show = f'shield(T[{j}]!)', 'pyRepr(r)'
            elif k == 'wait_for': expr, show = f'waitFor(T[{j}]!, {ms(s[2])})', 'pyRepr(r)'
            else:
                args = ', '.join(f'T[{x}]!' for x in s[1])
                rexc = 'true' if s[2] else 'false'
                expr, show = f'gather([{args}], {{ returnExceptions: {rexc} }})', 'fmt(r)'
            rer = s[2] if k == 'await' else True
            sep = ' ' if k == 'gather' else ': '
            out.append(f"{p}try {{")
            out.append(f"{p}  const r = await {expr};")
            out.append(f"{p}  log(`${{me}} {okl}{sep}${{{show}}}`);")
            out.append(f"{p}}} catch (e) {{")
            if k == 'wait_for':
                out.append(f"{p}  if (e instanceof TimeoutError) log(`${{me}} {label}: TimeoutError`);")
                out.append(f"{p}  else if (e instanceof CancelledError) {{")
            else:
                out.append(f"{p}  if (e instanceof CancelledError) {{")
            out.append(f"{p}    log(`${{me}} {label}: CancelledError`);")
            if rer: out.append(f"{p}    throw e;")
            out.append(f"{p}  }} else if (e instanceof ValueError) log(`${{me}} {label}: ValueError ${{e.message}}`);")
            out.append(f"{p}  else throw e;")
            out.append(f"{p}}}")
        elif k == 'cancel':
            out.append(f"{p}log(`${{me}} cancel t{s[1]} -> ${{pyStr(T[{s[1]}]!.cancel())}}`);")
        elif k == 'state':
            out.append(f"{p}log(`${{me}} t{s[1]} ${{state(T[{s[1]}]!)}}`);")
        elif k == 'wait':
            js, to, rw = s[1], s[2], s[3]
            args = ', '.join(f'T[{j}]!' for j in js)
            tos = 'null' if to is None else ms(to)
            out.append(f"{p}{{")
            out.append(f"{p}  const {{ done, pending }} = await wait([{args}], {{ timeout: {tos}, returnWhen: '{rw}' }});")
            out.append(f"{p}  log(`${{me}} wait done ${{names(done)}} pending ${{names(pending)}}`);")
            out.append(f"{p}}}")
        elif k == 'try':
            body, swallow = s[1], s[2]
            out.append(f"{p}try {{")
            out += ts_body(body, ind + 1)
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (!(e instanceof CancelledError)) throw e;")
            out.append(f"{p}  log(`${{me}} caught CancelledError ${{pyRepr(e.message)}}, cancelling=${{currentTask()!.cancelling()}}`);")
            if not swallow: out.append(f"{p}  throw e;")
            out.append(f"{p}}}")
        elif k == 'timeout':
            d, body = s[1], s[2]
            out.append(f"{p}try {{")
            out.append(f"{p}  await timeout({ms(d)}, async () => {{")
            out += ts_body(body, ind + 2)
            out.append(f"{p}  }});")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (!(e instanceof TimeoutError)) throw e;")
            out.append(f"{p}  log(`${{me}} timeout {s[1]} expired`);")
            out.append(f"{p}}}")
        elif k == 'tg':
            leaves, body = s[1], s[2]
            out.append(f"{p}try {{")
            out.append(f"{p}  await taskGroup(async (tg) => {{")
            for (tag, d, fail) in leaves:
                out.append(f"{p}    tg.createTask(() => leaf('{tag}', {ms(d)}, {'true' if fail else 'false'}, true), {{ name: '{tag}' }});")
            out += ts_body(body, ind + 2)
            out.append(f"{p}  }});")
            out.append(f"{p}  log(`${{me}} group ok`);")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  exceptStar(e, ValueError, (errs) => log(`${{me}} group ValueErrors ${{pyRepr(sorted(errs.map((x) => x.message)))}}`));")
            out.append(f"{p}}}")
        elif k == 'gatherleaf':
            leaves, rexc = s[1], s[2]
            args = ', '.join(f"() => leaf('{t}', {ms(d)}, {'true' if f else 'false'})" for (t, d, f) in leaves)
            out.append(f"{p}try {{")
            out.append(f"{p}  const r = await gather([{args}], {{ returnExceptions: {'true' if rexc else 'false'} }});")
            out.append(f"{p}  log(`${{me}} gatherleaf ${{fmt(r)}}`);")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (!(e instanceof ValueError)) throw e;")
            out.append(f"{p}  log(`${{me}} gatherleaf: ValueError ${{e.message}}`);")
            out.append(f"{p}}}")
        elif k == 'wait_for_leaf':
            (t, d, f), to = s[1], s[2]
            out.append(f"{p}try {{")
            out.append(f"{p}  const r = await waitFor(() => leaf('{t}', {ms(d)}, {'true' if f else 'false'}), {ms(to)});")
            out.append(f"{p}  log(`${{me}} wait_for_leaf ${{pyRepr(r)}}`);")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (e instanceof TimeoutError) log(`${{me}} wait_for_leaf {t}: TimeoutError`);")
            out.append(f"{p}  else if (e instanceof ValueError) log(`${{me}} wait_for_leaf: ValueError ${{e.message}}`);")
            out.append(f"{p}  else throw e;")
            out.append(f"{p}}}")
        elif k == 'future':
            tag, d = s[1], s[2]
            out.append(f"{p}{{")
            out.append(f"{p}  const fut = getRunningLoop().createFuture<string>();")
            out.append(f"{p}  getRunningLoop().callLater({ms(d)}, () => fut.done() || fut.setResult('F{tag}'));")
            out.append(f"{p}  log(`${{me}} future ${{pyRepr(await fut)}}`);")
            out.append(f"{p}}}")
        elif k == 'cancelmsg':
            out.append(f"{p}log(`${{me}} cancel t{s[1]} msg -> ${{pyStr(T[{s[1]}]!.cancel('{s[2]}'))}}`);")
        elif k == 'as_completed':
            js, to = s[1], s[2]
            args = ', '.join(f'T[{j}]!' for j in js)
            tos = 'null' if to is None else ms(to)
            out.append(f"{p}try {{")
            out.append(f"{p}  for (const f of asCompleted([{args}], {{ timeout: {tos} }})) {{")
            out.append(f"{p}    try {{")
            out.append(f"{p}      log(`${{me}} as_completed ${{pyRepr(await f)}}`);")
            out.append(f"{p}    }} catch (e) {{")
            out.append(f"{p}      if (!(e instanceof ValueError)) throw e;")
            out.append(f"{p}      log(`${{me}} as_completed ValueError ${{e.message}}`);")
            out.append(f"{p}    }}")
            out.append(f"{p}  }}")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (e instanceof TimeoutError) log(`${{me}} as_completed TimeoutError`);")
            out.append(f"{p}  else if (e instanceof CancelledError) {{")
            out.append(f"{p}    log(`${{me}} as_completed CancelledError ${{pyRepr(e.message)}}`);")
            out.append(f"{p}    throw e;")
            out.append(f"{p}  }} else throw e;")
            out.append(f"{p}}}")
        elif k == 'finally':
            out.append(f"{p}try {{")
            out += ts_body(s[1], ind + 1)
            out.append(f"{p}}} finally {{")
            out.append(f"{p}  await sleep(0);")
            out.append(f"{p}  log(`${{me}} finally ran`);")
            out.append(f"{p}}}")
        elif k == 'gcancel':
            leaves, after = s[1], s[2]
            args = ', '.join(f"() => leaf('{t}', {ms(d)}, {'true' if f else 'false'})" for (t, d, f) in leaves)
            out.append(f"{p}{{")
            out.append(f"{p}  const g = gather([{args}], {{ returnExceptions: true }});")
            out.append(f"{p}  await sleep({ms(after)});")
            out.append(f"{p}  log(`${{me}} gather cancel -> ${{pyStr(g.cancel())}}`);")
            out.append(f"{p}  try {{")
            out.append(f"{p}    log(`${{me}} gcancel ${{fmt(await g)}}`);")
            out.append(f"{p}  }} catch (e) {{")
            out.append(f"{p}    if (!(e instanceof CancelledError)) throw e;")
            out.append(f"{p}    log(`${{me}} gcancel CancelledError ${{pyRepr(e.message)}} ${{pyStr(g.cancelled())}}`);")
            out.append(f"{p}  }}")
            out.append(f"{p}}}")
        elif k == 'evset':
            out.append(f"{p}E[{s[1]}]!.set();")
            out.append(f"{p}log(`${{me}} set E{s[1]}`);")
        elif k == 'evwait':
            out.append(f"{p}try {{")
            out.append(f"{p}  await waitFor(() => E[{s[1]}]!.wait(), {ms(s[2])});")
            out.append(f"{p}  log(`${{me}} E{s[1]} is set`);")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (!(e instanceof TimeoutError)) throw e;")
            out.append(f"{p}  log(`${{me}} E{s[1]} wait TimeoutError`);")
            out.append(f"{p}}}")
        elif k == 'qput':
            out.append(f"{p}Q.putNowait('q{s[1]}');")
        elif k == 'qget':
            out.append(f"{p}try {{")
            out.append(f"{p}  log(`${{me}} qget ${{pyRepr(await waitFor(() => Q.get(), {ms(s[1])}))}} left ${{Q.qsize()}}`);")
            out.append(f"{p}}} catch (e) {{")
            out.append(f"{p}  if (!(e instanceof TimeoutError)) throw e;")
            out.append(f"{p}  log(`${{me}} qget TimeoutError`);")
            out.append(f"{p}}}")
        elif k == 'sub':
            out.append(f"{p}await (async () => {{")
            out += ts_body(s[1], ind + 1)
            out.append(f"{p}  log(`${{me}} sub returns`);")
            out.append(f"{p}}})();")
        elif k == 'lock':
            out.append(f"{p}log(`${{me}} wants lock`);")
            out.append(f"{p}await LOCK.withLock(async () => {{")
            out.append(f"{p}  log(`${{me}} has lock`);")
            out += ts_body(s[1], ind + 1)
            out.append(f"{p}}});")
            out.append(f"{p}log(`${{me}} released lock`);")
        elif k == 'uncancel':
            out.append(f"{p}log(`${{me}} uncancel -> ${{currentTask()!.uncancel()}}`);")
        elif k == 'selfcancel':
            out.append(f"{p}log(`${{me}} self cancel -> ${{pyStr(currentTask()!.cancel())}}`);")
        elif k == 'raise':
            out.append(f"{p}throw new ValueError(me);")
        else:
            raise AssertionError(k)
    return out

TS_HEAD = '''import {
  asCompleted, CancelledError, createTask, Event, Lock, Queue, currentTask, gather, getRunningLoop, shield, sleep, type Task,
  TimeoutError, taskGroup, timeout, wait, waitFor,
} from '{ROOT}/src/index.ts';
import { exceptStar, type Log } from '{ROOT}/spec/conformance/harness.ts';
import { pyRepr, pyStr, pyTypeName, sorted, ValueError } from '{ROOT}/spec/conformance/py-format.ts';

function state(t: Task<unknown>): string {
  if (t.done()) {
    if (t.cancelled()) return 'cancelled';
    return t.exception() !== null ? 'failed' : 'finished';
  }
  return t.cancelling() ? `cancelling${t.cancelling()}` : 'pending';
}
const fmt = (r: unknown[]) => `[${r.map((x) => (x instanceof Error ? pyTypeName(x) : pyRepr(x))).join(', ')}]`;
const names = (s: Iterable<Task<unknown>>) => pyRepr(sorted([...s].map((t) => t.getName())));
'''
TS_LEAF = '''  const leaf = async (tag: string, d: number, fail: boolean, quiet = false): Promise<string> => {
    try {
      await sleep(d);
    } catch (e) {
      if (e instanceof CancelledError && !quiet) log(`leaf ${tag} cancelled ${pyRepr(e.message)}`);
      throw e;
    }
    if (fail) throw new ValueError(`leaf ${tag}`);
    log(`leaf ${tag} done`);
    return tag;
  };'''

def ts_program(bodies):
    out = [TS_HEAD, 'export async function main(log: Log): Promise<unknown> {', '  const T: Record<number, Task<unknown>> = {};', '  const E = [new Event(), new Event()];', '  const Q = new Queue<string>();', '  const LOCK = new Lock();', TS_LEAF]
    for i in sorted(bodies, reverse=True):
        fn = 'main0' if i == 0 else f'f{i}'
        out.append(f'  const {fn} = async (): Promise<string> => {{')
        out.append(f"    const me = '{'main' if i == 0 else fn}';")
        out += ts_body(bodies[i], 2)
        out.append(f"    return 'r{i}';")
        out.append('  };')
    out.append('  return main0();')
    out.append('}')
    return '\n'.join(out) + '\n'

if __name__ == '__main__':
    seed0, count, outdir = int(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3])
    root = str(pathlib.Path(sys.argv[4]).resolve())
    outdir.mkdir(parents=True, exist_ok=True)
    # ESM like the repository, or Node would load the programs (and a second timeweave) as CommonJS.
    (outdir / 'package.json').write_text('{"type": "module"}\n')
    for seed in range(seed0, seed0 + count):
        rng = random.Random(seed)
        bodies = gen_program(rng, rng.randint(2, 7))
        (outdir / f'p{seed}.py').write_text(py_program(bodies))
        (outdir / f'p{seed}.ts').write_text(ts_program(bodies).replace('{ROOT}', root))
