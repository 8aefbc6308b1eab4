/**
 * Opens the page `timeweave html` writes in headless Chromium (playwright-core driving the system
 * /usr/bin/chromium) and checks what a reader sees. Screenshots go to .artifacts/cli/ (git-ignored).
 *
 * Without Chromium the spec fails under CI (CI=true) and is skipped, with a message, elsewhere.
 * Install it with: apt-get install -y chromium (TIMEWEAVE_CHROMIUM overrides the path).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildModel } from '../../src/cli/model.js';
import { createTask, gather, sleep } from '../../src/index.js';
import { Loop } from '../../src/loop.js';
import { saveTrace } from '../../src/schedule/trace-io.js';
import { FIXTURES, fixture, ROOT, timeweave } from './helpers.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** The browser; TIMEWEAVE_CHROMIUM points elsewhere (e.g. to check the missing-browser paths). */
const CHROMIUM = process.env.TIMEWEAVE_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
const ARTIFACTS = join(ROOT, '.artifacts/cli');

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `spec/cli/html.spec.ts: SKIPPED — ${CHROMIUM} not found, so the HTML page is not checked in a browser. ` +
      'Install it with `apt-get install -y chromium` (under CI=true this spec fails instead).',
  );
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('timeweave html (in headless Chromium)', () => {
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  const work = mkdtempSync(join(tmpdir(), 'timeweave-html-'));

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) {
      throw new Error(
        `Chromium is required for spec/cli/html.spec.ts under CI but ${CHROMIUM} does not exist. ` +
          'Install it in the CI image: apt-get update && apt-get install -y chromium',
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'timeweave-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 800 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  /** Writes the page with the CLI and opens it; collects page errors and any non-file request. */
  async function open(
    trace: string,
    extra: readonly string[] = [],
  ): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const out = join(work, `${trace.replace(/\W/g, '_')}.html`);
    const r = await timeweave(['html', trace, ...extra, '-o', out]);
    expect(r.stderr).toContain(`wrote ${out}`);
    expect(r.code).toBe(0);
    const page = await context!.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('body[data-rendered="true"]');
    return { page, errors, requests };
  }

  it('renders one lane per task, every step, the deviations, legend and summary', async () => {
    const trace = fixture('pipeline.json');
    const model = buildModel(trace);
    const { page, errors, requests } = await open(`${FIXTURES}/pipeline.json`);
    expect(await page.locator('#names .lane-name').allTextContents()).toEqual([
      'loop',
      ...trace.tasks.map((t) => t.name),
    ]);
    expect(await page.locator('rect.lane').count()).toBe(trace.tasks.length + 1);
    expect(await page.locator('rect.step').count()).toBe(model.steps.length);
    const deviated = trace.decisions.filter((d) => d.chosen !== 0).map((d) => String(d.step));
    expect(deviated.length).toBeGreaterThan(0);
    const marked = await page
      .locator('rect.step.deviation')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
    expect(marked).toEqual(deviated);
    expect(await page.locator('.dev-marker').count()).toBe(deviated.length);
    expect(await page.locator('path.flow').count()).toBe(model.flows.length);
    // Steps of one lane run left to right in step order, and each sits in its task's lane.
    const boxes = await page.locator('rect.step').evaluateAll((els) =>
      els.map((e) => ({
        step: Number(e.getAttribute('data-step')),
        x: Number(e.getAttribute('x')),
        y: Number(e.getAttribute('y')),
      })),
    );
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.x).toBeGreaterThan(boxes[i - 1]!.x);
    const laneY = (task: string | null) => 28 + (task === null ? 0 : model.tasks.indexOf(task) + 1) * 28 + 5;
    for (const [i, s] of model.steps.entries()) expect(boxes[i]!.y).toBe(laneY(s.task));

    const header = await page.locator('header').textContent();
    expect(header).toContain('pipeline (pct, seed 11)');
    expect(header).toContain(`${model.steps.length} (${trace.events.length} events)`);
    expect(header).toContain('t=0 → t=95 (95 ms)');
    expect(header).toContain(`${trace.decisions.length} made, ${deviated.length} deviated from fifo`);
    expect(header).toContain("completed, returned 'fast,slow timed out'");
    const legend = await page.locator('#legend').textContent();
    for (const word of ['start', 'resume', 'timer wakes a task', 'raised', 'cancelled', 'deviated from fifo'])
      expect(legend).toContain(word);

    // Hover: the step's time, task, decision and events.
    const dev = model.steps.find((s) => s.deviated)!;
    await page.locator(`rect.step[data-step="${dev.index}"]`).hover();
    const tip = page.locator('#tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = await tip.textContent();
    expect(text).toContain(`step ${dev.index} · t=${dev.time} ms · ${dev.task}`);
    expect(text).toContain(
      `decision: chose ${dev.decision!.chosen} of ${dev.decision!.count} (deviates from fifo)`,
    );
    for (const { event } of dev.events.filter(({ event }) => event.kind !== 'decision'))
      expect(text).toContain(`${event.task ?? 'loop'}: ${event.detail}`);

    await page.screenshot({ path: join(ARTIFACTS, 'pipeline.png'), fullPage: true });
    // The step-order end of the scale still shows every step, without overlap.
    await page.locator('#scale').fill('0');
    const xs = await page
      .locator('rect.step')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('x'))));
    expect(new Set(xs).size).toBe(model.steps.length);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('is self-contained and shows hostile names as text', async () => {
    const raw = readFileSync(join(ROOT, FIXTURES, 'lost-update.json'), 'utf8');
    const evil = '<img src=x onerror=alert(1)></script>';
    const edited = raw
      .replaceAll('worker-1', evil.replaceAll('"', '\\"'))
      .replace('"title": "lost update (random, seed 4)"', `"title": ${JSON.stringify(`title ${evil}`)}`);
    const file = join(work, 'hostile.json');
    writeFileSync(file, edited);
    const html =
      readFileSync(join(ROOT, FIXTURES, 'lost-update.json'), 'utf8') &&
      (await timeweave(['html', file])).stdout;
    expect(html).not.toMatch(/<(link|img|iframe)[^>]+(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    const { page, errors, requests } = await open(file);
    expect(await page.locator('h1').textContent()).toBe(`title ${evil}`);
    expect(await page.locator('#names .lane-name').allTextContents()).toContain(evil);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('rect.step.k-error, rect.step.k-start').count()).toBeGreaterThan(0);
    expect(await page.locator('#summary .failed').textContent()).toContain("failed: Error('lost update");
    await page.screenshot({ path: join(ARTIFACTS, 'lost-update-hostile.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('draws a window of a long compact trace: bounded page, the whole run in the header and histogram', async () => {
    const loop = new Loop({ policy: 'random', seed: 3 });
    await loop.run(async () => {
      const tasks = [];
      for (let i = 0; i < 300; i++)
        tasks.push(
          createTask(async () => {
            for (let k = 0; k < 10; k++) await sleep(1 + ((i * 7 + k) % 13));
          }),
        );
      await gather(tasks);
    });
    const path = join(work, 'long.twt');
    await saveTrace(loop, path);
    const steps = loop.trace.steps;
    expect(steps).toBeGreaterThan(6000);
    const { page, errors, requests } = await open(path, ['--max-steps', '400']);
    expect(statSync(join(work, `${path.replace(/\W/g, '_')}.html`)).size).toBeLessThan(10e6);
    expect(await page.locator('rect.step').count()).toBe(400);
    expect(await page.locator('#window').textContent()).toContain(
      `showing 400 of ${steps} steps (steps 0–399)`,
    );
    expect(await page.locator('#summary').textContent()).toContain(`${steps} (`);
    const bars = await page.locator('#histogram rect').count();
    expect(bars).toBeGreaterThan(10);
    // The whole run's busiest tasks, a bounded table.
    expect(await page.locator('#tasks tbody tr').count()).toBe(20);
    expect(await page.locator('#tasks summary').textContent()).toContain('(20 of 301, by steps)');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'html-long-window.png') });
    await page.close();
  });
});

describe('timeweave html: usage', () => {
  it('--help and errors', async () => {
    const [help, missing, bad] = await Promise.all([
      timeweave(['html', '--help']),
      timeweave(['html']),
      timeweave(['html', `${FIXTURES}/bad/newer-version.json`, '-o', join(tmpdir(), 'never.html')]),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: timeweave html TRACE.json [-o out.html]');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('html: missing the trace file');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('written by a newer timeweave');
    expect(existsSync(join(tmpdir(), 'never.html'))).toBe(false);
  });
});
