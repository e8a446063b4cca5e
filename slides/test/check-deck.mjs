#!/usr/bin/env node
// slides/test/check-deck.mjs: open the built deck in headless Chromium, from
// disk and with the network cut off, and report what a person would see.
//
//   node test/check-deck.mjs DECK.html SHOTS_DIR > report.json
//
// The browser is Debian's /usr/bin/chromium (or $CHROME_PATH); nothing is
// ever downloaded. The report (JSON on stdout) holds:
//   slides         the number of slides the deck shows
//   withoutNotes   the slides (from 1) that have no speaker notes
//   errors         console errors, page errors and failed loads
//   network        requests for anything but the file itself (there must be none)
//   overflow       slides whose content does not fit: "slide N: <why>"
//   shots          for the title slide and the first slide with C code: the
//                  PNG's path and the fraction of its pixels that are content
//                  (those that differ from the same slide with its content hidden)
// It exits 0 when it could produce the report, whatever the report says;
// tests/slides.bats judges it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [deckArg, shotsArg] = process.argv.slice(2);
if (!deckArg || !shotsArg) {
  console.error('usage: node test/check-deck.mjs DECK.html SHOTS_DIR');
  process.exit(2);
}
const deck = path.resolve(deckArg);
const shots = path.resolve(shotsArg);
const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
const deckUrl = pathToFileURL(deck).href;

fs.mkdirSync(shots, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mvrc-chromium.'));

const report = { deck, browser: null, slides: 0, withoutNotes: [], errors: [], network: [], overflow: [], shots: {} };

const browser = await puppeteer.launch({
  executablePath: chrome,
  headless: true,
  userDataDir: profile,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--font-render-hinting=none',
  ],
  defaultViewport: { width: 1280, height: 720 },
});

try {
  report.browser = await browser.version();
  const page = await browser.newPage();
  await page.setOfflineMode(true);
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url === deckUrl || url.startsWith(deckUrl + '#') || url.startsWith('data:')) {
      req.continue();
    } else {
      report.network.push(url);
      req.abort();
    }
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') report.errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => report.errors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (!report.network.includes(req.url())) report.errors.push(`failed to load ${req.url()}`);
  });

  await page.goto(deckUrl, { waitUntil: 'load', timeout: 30000 });
  await page.evaluate(() => document.fonts.ready);

  report.slides = await page.$$eval('svg[data-marpit-svg]', (s) => s.length);
  report.withoutNotes = await page.evaluate((count) => {
    const missing = [];
    for (let i = 0; i < count; i++) {
      const note = document.querySelector(`.bespoke-marp-note[data-index="${i}"]`);
      if (!note || !note.textContent.trim()) missing.push(i + 1);
    }
    return missing;
  }, report.slides);

  // Walk through the deck as the presenter would (the bespoke template shows
  // one slide at a time) and measure the slide on screen.
  let codeSlide = 0;
  for (let n = 1; n <= report.slides; n++) {
    await goTo(page, n);
    const m = await page.evaluate((n) => {
      const svg = document.querySelectorAll('svg[data-marpit-svg]')[n - 1];
      const section = svg.querySelector('section');
      const problems = [];
      if (section.scrollHeight > section.clientHeight + 1) {
        problems.push(`content is ${section.scrollHeight}px tall in a ${section.clientHeight}px slide`);
      }
      if (section.scrollWidth > section.clientWidth + 1) {
        problems.push(`content is ${section.scrollWidth}px wide in a ${section.clientWidth}px slide`);
      }
      section.querySelectorAll('pre').forEach((pre, i) => {
        if (pre.scrollWidth > pre.clientWidth + 1) {
          const first = (pre.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a), ''));
          problems.push(`code block ${i + 1} is cut off on the right (${pre.scrollWidth}px in ${pre.clientWidth}px): "${first.trim().slice(0, 60)}"`);
        }
      });
      const hasC = !!section.querySelector('pre code.language-c');
      return { problems, hasC };
    }, n);
    for (const p of m.problems) report.overflow.push(`slide ${n}: ${p}`);
    if (m.hasC && !codeSlide) codeSlide = n;
  }

  // MVRC_SHOOT_ALL=1: a PNG of every slide too, for a person to look through.
  if (process.env.MVRC_SHOOT_ALL === '1') {
    await page.addStyleTag({ content: '.bespoke-marp-osc { display: none !important; }' });
    for (let n = 1; n <= report.slides; n++) {
      await goTo(page, n);
      await page.screenshot({ path: path.join(shots, `slide-${String(n).padStart(2, '0')}.png`) });
    }
  }
  report.shots.title = await shoot(page, 1, 'title');
  if (codeSlide) report.shots.code = await shoot(page, codeSlide, 'code');
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

console.log(JSON.stringify(report, null, 2));

// goTo: show slide N (1-based) and wait until the template has switched to it.
async function goTo(page, n) {
  await page.evaluate((n) => { location.hash = '#' + n; }, n);
  await page.waitForFunction(
    (n) => {
      const svgs = document.querySelectorAll('svg[data-marpit-svg]');
      const active = document.querySelector('.bespoke-marp-active');
      return active && (active === svgs[n - 1] || active.contains(svgs[n - 1]));
    },
    { timeout: 5000 },
    n,
  );
}

// shoot: screenshot slide N, then again with its content hidden; the pixels
// that differ are the content. A blank or failed render has (almost) none.
async function shoot(page, n, name) {
  await goTo(page, n);
  // The template's on-screen controller is for the mouse, not the slide.
  await page.addStyleTag({ content: '.bespoke-marp-osc { display: none !important; }' });
  const file = path.join(shots, `${name}.png`);
  const shown = await page.screenshot({ path: file });
  await page.evaluate((n) => {
    const s = document.querySelectorAll('svg[data-marpit-svg]')[n - 1].querySelector('section');
    s.dataset.hidden = s.getAttribute('style') ?? '';
    s.style.color = 'transparent';
    for (const el of s.querySelectorAll('*')) el.style.visibility = 'hidden';
  }, n);
  const bare = await page.screenshot();
  await page.evaluate((n) => {
    const s = document.querySelectorAll('svg[data-marpit-svg]')[n - 1].querySelector('section');
    for (const el of s.querySelectorAll('*')) el.style.visibility = '';
    s.setAttribute('style', s.dataset.hidden);
    delete s.dataset.hidden;
  }, n);
  const fraction = await compare(page.browser(), shown, bare);
  return { slide: n, file, content: Number(fraction.toFixed(4)) };
}

// compare: the fraction of pixels that differ between two PNGs, decoded by
// the browser itself on a blank page.
async function compare(browser, a, b) {
  const p = await browser.newPage();
  try {
    return await p.evaluate(async (a, b) => {
      const load = (b64) => new Promise((ok, ko) => {
        const img = new Image();
        img.onload = () => ok(img);
        img.onerror = () => ko(new Error('cannot decode screenshot'));
        img.src = 'data:image/png;base64,' + b64;
      });
      const [ia, ib] = await Promise.all([load(a), load(b)]);
      const pixels = (img) => {
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, c.width, c.height).data;
      };
      const da = pixels(ia);
      const db = pixels(ib);
      let diff = 0;
      for (let i = 0; i < da.length; i += 4) {
        if (Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]) > 48) diff++;
      }
      return diff / (da.length / 4);
    }, Buffer.from(a).toString('base64'), Buffer.from(b).toString('base64'));
  } finally {
    await p.close();
  }
}


