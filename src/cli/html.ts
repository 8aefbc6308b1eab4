/**
 * `timeweave html`: one self-contained page (inline CSS and JS, no network) showing a trace as
 * swimlanes, one per task plus the loop's, along the virtual-time axis.
 *
 * Axis: x = virtual time × scale + (steps before) × step width. Many steps run at one virtual
 * instant, so each step also gets a fixed slot of room; the "time scale" slider trades linear
 * time (right) against plain step order (left, scale 0). Labels mark each instant.
 * @module
 */
import type { TaskSummary } from './html-window.js';
import {
  buildModel,
  type CliTrace,
  choiceText,
  formatMs,
  outcomeText,
  type Summary,
  type TraceModel,
} from './model.js';

/** The whole run's steps over virtual time, as a small inline SVG bar chart. */
function histogramSvg(bars: readonly number[], s: Summary): string {
  let max = 1;
  for (const b of bars) max = Math.max(max, b);
  const w = 4;
  const h = 40;
  const rects = bars
    .map((b, i) =>
      b > 0
        ? `<rect x="${i * w}" y="${h - Math.max(1, (b / max) * h)}" width="${w - 1}" height="${Math.max(1, (b / max) * h)}"><title>${b} steps</title></rect>`
        : '',
    )
    .join('');
  return `<figure id="histogram"><svg width="${bars.length * w}" height="${h}" role="img" aria-label="steps over virtual time">${rects}</svg><figcaption>steps over the whole run, t=${s.start} → t=${s.end}</figcaption></figure>`;
}

/** Names `begin` kinds for the page's colours and legend. */
function stepClass(detail: string | undefined, kind: string | undefined): string {
  if (kind === 'start') return 'k-start';
  if (kind === 'resume')
    return detail === 'resume with error'
      ? 'k-error'
      : detail === 'resume with CancelledError'
        ? 'k-cancel'
        : 'k-resume';
  if (kind === 'wake') return 'k-wake';
  return 'k-callback';
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The page's data: compact, read by the inline script. */
function pageData(model: TraceModel) {
  const lanes = ['loop', ...model.tasks];
  const laneOf = new Map(lanes.map((l, i) => [l, i]));
  return {
    lanes,
    steps: model.steps.map((s) => {
      const ends = s.events
        .map(({ event }) => event.kind)
        .filter((k) => k === 'return' || k === 'raise' || k === 'cancelled');
      return {
        i: s.index,
        t: s.time,
        lane: s.task === null ? 0 : (laneOf.get(s.task) ?? 0),
        label: s.begin?.event.detail ?? `step ${s.index}`,
        cls: stepClass(s.begin?.event.detail, s.begin?.event.kind),
        end: ends[ends.length - 1] ?? null,
        dec: s.decision ? [s.decision.chosen, s.decision.count] : null,
        dev: s.deviated,
        ev: s.events.map(({ event }) => [event.kind, event.task ?? 'loop', event.detail]),
      };
    }),
    flows: model.flows.map((f) => [f.fromStep, f.toStep, f.kind]),
  };
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no `</script>` can close it. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** What a page drawn from a window of a long trace adds (see html-window.ts). */
export interface HtmlExtras {
  /** The whole run's summary, for the header (the model is the window's). */
  summary?: Summary;
  /** Says which part of the run the lanes show. */
  note?: string | undefined;
  /** Steps per bar over the whole run's virtual time. */
  histogram?: readonly number[];
  /** The whole run's busiest tasks (most steps first), a bounded few. */
  busiest?: readonly TaskSummary[];
}

/** The busiest tasks of the whole run, as a table that says how many tasks it leaves out. */
function busiestTable(rows: readonly TaskSummary[], s: Summary): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.name)}</td><td class="num">${r.steps}</td><td class="num">t=${r.first}</td><td class="num">t=${r.last}</td><td>${r.end === null ? '<i>did not end</i>' : esc(r.end)}</td></tr>`,
    )
    .join('');
  const of = s.tasks.length > rows.length ? ` of ${s.tasks.length}` : '';
  return `<details id="tasks"><summary>Busiest tasks over the whole run (${rows.length}${of}, by steps)</summary><table><thead><tr><th>task</th><th>steps</th><th>first step</th><th>last step</th><th>ended</th></tr></thead><tbody>${body}</tbody></table><p class="hint">timeweave html --task NAME draws one of them; timeweave show --task NAME lists its events.</p></details>`;
}

/** Deviating decisions listed in the header at most. */
const MAX_LISTED_DEVIATIONS = 200;

/** Renders the page for `trace`; `file` names it in the header. */
export function toHtml(
  trace: CliTrace,
  file: string,
  model: TraceModel = buildModel(trace),
  extras: HtmlExtras = {},
): string {
  const s = extras.summary ?? model.summary;
  const m = trace.meta;
  const title = m.title ?? file;
  const facts: [string, string][] = [
    ['file', file],
    ['policy', `${m.policy ?? '?'}${m.seed != null ? `, seed ${m.seed}` : ''}`],
    ['tasks', `${s.tasks.length}`],
    ['steps', `${s.steps} (${s.events} events)`],
    ['virtual time', `t=${s.start} → t=${s.end} (${formatMs(s.end - s.start)})`],
    ['decisions', `${s.decisions} made, ${s.deviations.length} deviated from fifo`],
    ['outcome', outcomeText(s.outcome)],
  ];
  const outcomeCls = s.outcome === undefined ? '' : s.outcome.ok ? 'ok' : 'failed';
  const more = s.deviations.length - MAX_LISTED_DEVIATIONS;
  const deviations = s.deviations
    .slice(0, MAX_LISTED_DEVIATIONS)
    .map(
      (d) =>
        `<li><a href="#" class="dev-link" data-step="${d.step}">step ${d.step}</a>: ${esc(choiceText(d))}</li>`,
    )
    .join('')
    .concat(more > 0 ? `<li>… and ${more} more (timeweave show --deviations all lists them)</li>` : '');
  const histogram = extras.histogram !== undefined ? histogramSvg(extras.histogram, s) : '';
  const busiest = extras.busiest !== undefined ? busiestTable(extras.busiest, s) : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — timeweave trace</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<dl id="summary">${facts
    .map(
      ([k, v]) =>
        `<div${k === 'outcome' ? ` class="${outcomeCls}"` : ''}><dt>${k}</dt><dd>${esc(v)}</dd></div>`,
    )
    .join('')}</dl>
${extras.note !== undefined ? `<p id="window">${esc(extras.note)}</p>` : ''}
${histogram}
${busiest}
${deviations ? `<details id="deviations"${s.deviations.length <= 12 ? ' open' : ''}><summary>Decisions that deviated from fifo (${s.deviations.length})</summary><ul>${deviations}</ul></details>` : ''}
<div id="legend" aria-label="legend">
<span><i class="sw k-start"></i>start</span><span><i class="sw k-resume"></i>resume</span>
<span><i class="sw k-error"></i>resume with error</span><span><i class="sw k-cancel"></i>resume with CancelledError</span>
<span><i class="sw k-wake"></i>timer wakes a task</span><span><i class="sw k-callback"></i>timer / callback / done callback</span>
<span><i class="end e-return"></i>returned</span><span><i class="end e-raise"></i>raised</span><span><i class="end e-cancelled"></i>cancelled</span>
<span><i class="devmark">▼</i>decision that deviated from fifo</span><span><i class="flowsw"></i>wakes / creates / cancels / completes</span>
</div>
<div id="controls">
<label>time scale <input id="scale" type="range" min="0" max="1000" value="500"></label>
<label><input id="arrows" type="checkbox" checked> arrows</label>
<span class="hint">hover a step for its events; scale 0 = step order only</span>
</div>
</header>
<main id="view"><div id="names"></div><div id="scroller"><svg id="lanes" xmlns="http://www.w3.org/2000/svg"></svg></div></main>
<div id="tip" role="tooltip" hidden></div>
<script type="application/json" id="trace-data">${scriptJson(pageData(model))}</script>
<script>${JS}</script>
</body>
</html>
`;
}

const CSS = `
:root{--bg:#fff;--fg:#202124;--mute:#5f6368;--line:#e0e0e0;--lane:#f8f9fa}
*{box-sizing:border-box}
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:12px 16px;border-bottom:1px solid var(--line)}
h1{font-size:18px;margin:0 0 8px}
#summary{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0}
#summary div{display:flex;gap:6px}#summary dt{color:var(--mute)}#summary dd{margin:0;font-weight:600}
#summary .ok dd{color:#188038}#summary .failed dd{color:#d93025}
#window{margin:8px 0;padding:4px 8px;background:#fef7e0;border-radius:4px}
#histogram{margin:8px 0}#histogram rect{fill:#8ab4f8}#histogram figcaption{color:var(--mute);font-size:11px}
#tasks table{border-collapse:collapse;font-size:12px;margin:4px 0}#tasks th,#tasks td{padding:1px 8px;text-align:left;border-bottom:1px solid #eee}#tasks td.num{text-align:right;font-variant-numeric:tabular-nums}
#deviations{margin:8px 0}#deviations ul{margin:4px 0;padding-left:20px;columns:3;max-height:14em;overflow:auto}
#legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin-top:8px;color:var(--mute)}
#legend span{display:inline-flex;align-items:center;gap:5px}
.sw{display:inline-block;width:14px;height:10px;border-radius:2px}
.end{display:inline-block;width:6px;height:10px}
.devmark{color:#e8710a;font-style:normal;font-size:11px}
.flowsw{display:inline-block;width:18px;border-top:1.5px solid #9aa0a6}
#controls{display:flex;gap:18px;align-items:center;margin-top:8px}
#controls .hint{color:var(--mute)}
main{display:flex;align-items:flex-start}
#names{flex:none;padding-top:28px;border-right:1px solid var(--line);background:#fff;z-index:1}
#names div{height:28px;line-height:28px;padding:0 10px;font-weight:600;white-space:nowrap;border-bottom:1px solid var(--line)}
#names div.loop{color:var(--mute);font-weight:400;font-style:italic}
#scroller{overflow-x:auto;flex:1}
svg{display:block}
.lane-bg{fill:var(--lane)}.lane-bg.odd{fill:#fff}
.tick{stroke:var(--line)}.tick-label{fill:var(--mute);font-size:10px}
.step{stroke:rgba(0,0,0,.25);stroke-width:.5;cursor:pointer}
.step:hover,.step.hl{stroke:#000;stroke-width:1.5}
.step.deviation{stroke:#e8710a;stroke-width:2}
.k-start{fill:#4c8bf5;background:#4c8bf5}.k-resume{fill:#34a853;background:#34a853}
.k-error{fill:#d93025;background:#d93025}.k-cancel{fill:#9334e6;background:#9334e6}
.k-wake{fill:#f9ab00;background:#f9ab00}.k-callback{fill:#9aa0a6;background:#9aa0a6}
.e-return{fill:#0b5e23;background:#0b5e23}.e-raise{fill:#8c0b0b;background:#8c0b0b}.e-cancelled{fill:#4a148c;background:#4a148c}
.dev-marker{fill:#e8710a;font-size:11px;pointer-events:none}
.flow{fill:none;stroke:#9aa0a6;stroke-width:1.2;opacity:.8;pointer-events:none}
.flow.k-wake-flow{stroke:#f9ab00}.flow.k-complete-flow{stroke:#34a853}.flow.k-cancel-flow{stroke:#9334e6}
body.no-arrows .flow{display:none}
#tip{position:fixed;max-width:560px;background:#202124;color:#fff;padding:8px 10px;border-radius:6px;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;pointer-events:none;z-index:10;white-space:pre-wrap;box-shadow:0 2px 8px rgba(0,0,0,.3)}
#tip b{color:#fdd663}#tip .dev{color:#f9ab00}
`;

// Plain ES2017 run by the browser, kept free of anything needing a build step.
const JS = `
(function(){
'use strict';
var data = JSON.parse(document.getElementById('trace-data').textContent);
var LANE = 28, TOP = 28, SLOT = 14, PAD = 12;
var svg = document.getElementById('lanes');
var names = document.getElementById('names');
var tip = document.getElementById('tip');
var scaleInput = document.getElementById('scale');
var steps = data.steps;
var byIndex = {};
steps.forEach(function(s, k){ s.k = k; byIndex[s.i] = s; });
var t0 = steps.length ? steps[0].t : 0;
var span = steps.length ? steps[steps.length - 1].t - t0 : 0;
// Default scale: the time part of the axis about as wide as the step part, within sane bounds.
var basePx = span > 0 ? Math.max(0.001, Math.max(600, steps.length * SLOT) / span) : 0;
function pxPerMs(){ var v = +scaleInput.value; return v === 0 ? 0 : basePx * Math.pow(10, (v - 500) / 250); }
data.lanes.forEach(function(l, i){
  var d = document.createElement('div');
  d.textContent = l; d.className = 'lane-name' + (i === 0 ? ' loop' : '');
  d.dataset.lane = String(i);
  names.appendChild(d);
});
// Built as one string and parsed once: tens of thousands of steps render in a fraction of the
// time element-by-element creation takes.
function render(){
  var px = pxPerMs();
  steps.forEach(function(s){ s.x = PAD + (s.t - t0) * px + s.k * SLOT; });
  var width = Math.max(400, (steps.length ? steps[steps.length - 1].x + SLOT : 0) + PAD * 4);
  var height = TOP + data.lanes.length * LANE;
  var out = ['<defs><marker id="arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#9aa0a6"/></marker></defs>'];
  data.lanes.forEach(function(l, i){
    out.push('<rect x="0" y="' + (TOP + i * LANE) + '" width="' + width + '" height="' + LANE + '" class="lane lane-bg' + (i % 2 ? ' odd' : '') + '" data-lane="' + i + '"/>');
  });
  var lastLabel = -1e9, lastT = null;
  steps.forEach(function(s){
    if (s.t === lastT) return;
    lastT = s.t;
    out.push('<line x1="' + (s.x - 1) + '" x2="' + (s.x - 1) + '" y1="' + (TOP - 6) + '" y2="' + height + '" class="tick"/>');
    if (s.x - lastLabel > 48){
      out.push('<text x="' + s.x + '" y="' + (TOP - 10) + '" class="tick-label">t=' + s.t + '</text>');
      lastLabel = s.x;
    }
  });
  out.push('<g class="steps">');
  steps.forEach(function(s){
    var y = TOP + s.lane * LANE + 5;
    out.push('<rect x="' + s.x + '" y="' + y + '" width="' + (SLOT - 3) + '" height="' + (LANE - 10) + '" rx="2" class="step ' + s.cls + (s.dev ? ' deviation' : '') + '" data-step="' + s.i + '"/>');
    if (s.end) out.push('<rect x="' + (s.x + SLOT - 7) + '" y="' + y + '" width="4" height="' + (LANE - 10) + '" class="end e-' + s.end + '" data-step="' + s.i + '"/>');
    if (s.dev) out.push('<text x="' + (s.x + 1) + '" y="' + (y - 1) + '" class="dev-marker">▼</text>');
  });
  out.push('</g><g class="flows">');
  data.flows.forEach(function(f){
    var a = byIndex[f[0]], b = byIndex[f[1]];
    if (!a || !b) return;
    var x1 = a.x + SLOT - 3, y1 = TOP + a.lane * LANE + LANE / 2, x2 = b.x, y2 = TOP + b.lane * LANE + LANE / 2;
    var mx = (x1 + x2) / 2;
    out.push('<path d="M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2 + '" class="flow k-' + f[2] + '-flow" marker-end="url(#arrow)"/>');
  });
  out.push('</g>');
  svg.setAttribute('width', width); svg.setAttribute('height', height);
  svg.innerHTML = out.join('');
}
function text(s){ return String(s).replace(/[&<>]/g, function(c){ return {'&':'&amp;','<':'&lt;','>':'&gt;'}[c]; }); }
function showTip(s, ev){
  var lines = ['<b>step ' + s.i + '</b> · t=' + s.t + ' ms · ' + text(data.lanes[s.lane])];
  if (s.dec) lines.push((s.dev ? '<span class="dev">▼ decision: chose ' + s.dec[0] + ' of ' + s.dec[1] + ' (deviates from fifo)</span>' : 'decision: chose 0 of ' + s.dec[1] + ' (fifo)'));
  s.ev.forEach(function(e){ if (e[0] !== 'decision') lines.push(text(e[1]) + ': ' + text(e[2])); });
  tip.innerHTML = lines.join('\\n');
  tip.hidden = false;
  var x = ev.clientX + 14, y = ev.clientY + 14;
  var w = tip.offsetWidth, h = tip.offsetHeight;
  if (x + w > window.innerWidth) x = Math.max(0, ev.clientX - w - 8);
  if (y + h > window.innerHeight) y = Math.max(0, ev.clientY - h - 8);
  tip.style.left = x + 'px'; tip.style.top = y + 'px';
}
svg.addEventListener('mousemove', function(ev){
  var n = ev.target.closest ? ev.target.closest('[data-step]') : null;
  if (!n){ tip.hidden = true; return; }
  showTip(byIndex[n.getAttribute('data-step')], ev);
});
svg.addEventListener('mouseleave', function(){ tip.hidden = true; });
scaleInput.addEventListener('input', render);
document.getElementById('arrows').addEventListener('change', function(e){ document.body.classList.toggle('no-arrows', !e.target.checked); });
Array.prototype.forEach.call(document.querySelectorAll('.dev-link'), function(a){
  a.addEventListener('click', function(e){
    e.preventDefault();
    var s = byIndex[a.getAttribute('data-step')];
    var node = s && svg.querySelector('rect.step[data-step="' + s.i + '"]');
    if (!node) return;
    document.getElementById('scroller').scrollLeft = Math.max(0, s.x - 200);
    node.classList.add('hl');
    setTimeout(function(){ node.classList.remove('hl'); }, 1500);
  });
});
render();
document.body.dataset.rendered = 'true';
})();
`;
