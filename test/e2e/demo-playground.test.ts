// The zero-setup demo in a real browser: `startDemo` (embedded PostgreSQL, the bot, the Microsoft 365 Agents
// Playground), then headless Chromium types into the Playground's chat like a newcomer would.
// Screenshots of each step: test-output/e2e/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../src/demo/start-demo.js';
import { repoRoot } from '../../src/demo/demo-partnership.js';
import { chromiumAvailable, chromiumPath, openBrowser, type Browser } from './chromium.js';
import { testNow } from '../support/test-clock.js';

const screenshots = path.join(repoRoot, 'test-output', 'e2e');
const haveChromium = chromiumAvailable();
const requireChromium = process.env.E2E_REQUIRE_CHROMIUM === '1';
if (!haveChromium) {
  const line = `Browser end-to-end test NOT RUN: no Chromium at ${chromiumPath} (apt-get install chromium; .ci/run installs it).`;
  console.warn(`\n!! ${line}\n`);
}

describe('the demo in a browser (Microsoft 365 Agents Playground)', () => {
  let dataRoot: string;
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!haveChromium) return;
    dataRoot = await mkdtemp(path.join(tmpdir(), 'pbot-demo-e2e-'));
    await chmod(dataRoot, 0o755); // as root, PostgreSQL runs as `postgres` and must be able to enter it
    await rm(screenshots, { recursive: true, force: true }); // only this run's steps
    await mkdir(screenshots, { recursive: true });
    let t = Date.now();
    // The demo clock stands at testNow() (PBOT_TEST_CLOCK when set): the seeded story is built around that day.
    const realNow = testNow();
    demo = await startDemo({ dataRoot, port: 0, playgroundPort: 0, logLevel: process.env.TEST_LOG_LEVEL ?? 'info', realNow: () => realNow });
    timings.demoStart = Date.now() - t;
    t = Date.now();
    browser = await openBrowser();
    timings.browserStart = Date.now() - t;
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
    if (haveChromium) console.log(`demo e2e timings (ms): ${JSON.stringify(timings)}`);
  });

  const chatBox = (page: Page): Locator => page.locator('[contenteditable="true"][data-lexical-editor="true"]');
  const botCard = (page: Page, text: string): Locator => page.locator('.ac-adaptiveCard', { hasText: text }).last();

  async function send(page: Page, text: string): Promise<void> {
    await chatBox(page).click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  async function step(name: string, run: (page: Page) => Promise<void>): Promise<void> {
    const page = browser!.page;
    const t = Date.now();
    try {
      await run(page);
    } finally {
      await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
      timings[name] = Date.now() - t;
    }
  }

  it('opens the Playground as Alex Demo: help shows the commands, whoami says Alex Demo, the seeded cycle is overdue, a reload greets again with the waiting cards, demo as switches role', async () => {
    if (!haveChromium) {
      expect(requireChromium, `E2E_REQUIRE_CHROMIUM=1 but there is no Chromium at ${chromiumPath}`).toBe(false);
      return;
    }
    await step('01-open', async (page) => {
      await page.goto(demo!.url);
      await expect.poll(() => chatBox(page).isVisible(), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => page.getByText('Hello from Partnership Bot').first().isVisible(), { timeout: 15_000 }).toBe(true);
    });

    await step('02-help', async (page) => {
      await send(page, 'help');
      const card = botCard(page, 'Partnership Bot: what I can do');
      await card.waitFor({ timeout: 15_000 });
      const text = await card.innerText();
      expect(text).toContain('whoami');
      expect(text).toContain('Show who the bot thinks you are');
      expect(text).toContain('demo as agency-lead');
    });

    await step('03-whoami', async (page) => {
      await send(page, 'whoami');
      const card = botCard(page, 'Swindon Safeguarding Partnership');
      await card.waitFor({ timeout: 15_000 });
      const text = await card.innerText();
      expect(text).toContain('Alex Demo');
      expect(text).toContain('Business manager');
    });

    await step('04-cycle-status', async (page) => {
      // The seeded story (src/demo/seed.ts): a QA cycle in its second stage with the first stage overdue.
      await send(page, 'cycle status');
      const card = botCard(page, 'Cycle #');
      await card.waitFor({ timeout: 15_000 });
      const text = await card.innerText();
      expect(text).toContain('Stages');
      expect(text).toContain('Overdue');
      expect(text).toMatch(/0 of \d+ stages done, 1 overdue/);
    });

    await step('05-reload', async (page) => {
      // The Playground reopens the same conversation, empty, on a reload: the greeting and the waiting cards come again.
      await page.reload();
      await expect.poll(() => chatBox(page).isVisible(), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => page.getByText('Hello from Partnership Bot').first().isVisible(), { timeout: 15_000 }).toBe(true);
      const overdue = botCard(page, 'Overdue: ');
      await overdue.waitFor({ timeout: 15_000 });
      await expect.poll(() => overdue.getByRole('button', { name: 'Mark done' }).isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.locator('.ac-adaptiveCard', { hasText: 'Overdue: ' }).count()).toBe(1);
    });

    await step('06-mark-done', async (page) => {
      // Opening the chat brought Alex (a PQA member) a card for each stage waiting for them; the resent overdue one works.
      const card = botCard(page, 'Overdue: ');
      await card.waitFor({ timeout: 15_000 });
      await card.getByRole('button', { name: 'Mark done' }).click();
      await expect.poll(async () => (await page.locator('.ac-adaptiveCard', { hasText: 'Done by Alex Demo' }).count()) > 0, { timeout: 15_000 }).toBe(true);
    });

    await step('07-demo-as-agency-lead', async (page) => {
      await send(page, 'demo as agency-lead');
      await botCard(page, 'You are now').waitFor({ timeout: 15_000 });
      await send(page, 'whoami');
      await expect.poll(async () => (await page.locator('.ac-adaptiveCard', { hasText: 'Safeguarding lead' }).count()) > 0, { timeout: 15_000 }).toBe(true);
      expect(await page.locator('.ac-adaptiveCard').last().innerText()).not.toContain('Alex Demo');
    });
  }, 90_000);

  it('Section 11: `s11 open` carries on from Alex\'s draft at standard 3; a page filled and Next is kept through a reload of the Playground', async () => {
    if (!haveChromium) {
      expect(requireChromium, `E2E_REQUIRE_CHROMIUM=1 but there is no Chromium at ${chromiumPath}`).toBe(false);
      return;
    }
    // The seeded round (src/demo/seed-s11.ts): the council's return, which Alex leads, has standards 1 and 2 answered.
    const returnForm = (page: Page): Locator => botCard(page, 'Self-assessment');
    // The form is taller than the window: its top (step, standard, rating, evidence) is what each screenshot shows.
    const showTop = (page: Page) => returnForm(page).getByRole('heading', { name: 'Self-assessment' }).scrollIntoViewIfNeeded();
    const evidence = 'Structure chart naming the safeguarding lead and deputies, published on the intranet in September.';

    await step('08-s11-open', async (page) => {
      await send(page, 'demo as business-manager');
      await botCard(page, 'You are now Alex Demo').waitFor({ timeout: 15_000 });
      await send(page, 's11 open');
      const form = returnForm(page);
      await form.waitFor({ timeout: 15_000 });
      const text = await form.innerText();
      expect(text).toContain('Step 3 of 9');
      expect(text).toContain('Standard 3: Clear line of accountability');
      expect(await form.getByRole('radio', { name: 'Met (M)', exact: true }).isChecked()).toBe(false);
      await showTop(page);
    });

    await step('09-s11-fill-page', async (page) => {
      const form = returnForm(page);
      await form.getByRole('radio', { name: 'Met (M)', exact: true }).check();
      await form.getByRole('textbox', { name: 'Evidence', exact: true }).fill(evidence);
      await form.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => returnForm(page).innerText(), { timeout: 15_000 }).toContain('Standard 4: ');
      expect(await returnForm(page).innerText()).toContain('Step 4 of 9');
      await showTop(page);
    });

    await step('10-s11-reload-and-open', async (page) => {
      // The Playground reopens the chat empty: the form comes back from the draft, at the page Alex left off.
      await page.reload();
      await expect.poll(() => chatBox(page).isVisible(), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => page.getByText('Hello from Partnership Bot').first().isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.locator('.ac-adaptiveCard', { hasText: 'Self-assessment' }).count()).toBe(0);
      await send(page, 's11 open');
      const form = returnForm(page);
      await form.waitFor({ timeout: 15_000 });
      const text = await form.innerText();
      expect(text).toContain('Step 4 of 9');
      expect(text).toContain('Standard 4: ');
      expect(text).toContain('Carrying on from the draft. Saved by you');
      await showTop(page);
    });

    await step('11-s11-draft-kept', async (page) => {
      await returnForm(page).getByRole('button', { name: 'Back' }).click();
      await expect.poll(() => returnForm(page).innerText(), { timeout: 15_000 }).toContain('Standard 3: ');
      const form = returnForm(page);
      expect(await form.getByRole('radio', { name: 'Met (M)', exact: true }).isChecked()).toBe(true);
      expect(await form.getByRole('radio', { name: 'Partially met (P)', exact: true }).isChecked()).toBe(false);
      expect(await form.getByRole('textbox', { name: 'Evidence', exact: true }).inputValue()).toBe(evidence);
      await showTop(page);
    });

    await step('12-s11-report', async (page) => {
      // The business manager's report: the heat map shows in the chat itself, with the CSV to download.
      await send(page, 's11 report');
      const report = botCard(page, 'heat map');
      await report.waitFor({ timeout: 15_000 });
      const image = report.locator('img[src^="data:image/png"]');
      await expect.poll(() => image.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await image.first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(300);
      expect(await report.innerText()).toContain('.csv');
      await image.first().scrollIntoViewIfNeeded();
    });
  }, 75_000);
});
