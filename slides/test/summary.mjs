#!/usr/bin/env node
// slides/test/summary.mjs REPORT.json MANIFEST.json: judge check-deck.mjs's
// report the way tests/slides.bats does, in one go (for `make check`).
import fs from 'node:fs';

const [reportFile, manifestFile] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const problems = [
  ...report.errors,
  ...report.network.map((u) => `network request: ${u}`),
  ...report.overflow,
  ...report.withoutNotes.map((n) => `slide ${n} has no speaker notes`),
];
if (report.slides !== manifest.slides) problems.push(`the deck shows ${report.slides} slides, the source has ${manifest.slides}`);
for (const [name, min] of [['title', 0.005], ['code', 0.05]]) {
  const s = report.shots[name];
  if (!s) problems.push(`no ${name} slide to screenshot`);
  else if (s.content < min) problems.push(`the ${name} slide (${s.slide}) looks blank: ${s.content} of its pixels are content`);
}
console.log(`${report.browser}: ${report.slides} slides; screenshots: ` +
  Object.entries(report.shots).map(([k, s]) => `${k} (slide ${s.slide}, ${(s.content * 100).toFixed(1)}% content) ${s.file}`).join(', '));
for (const p of problems) console.log(`  problem: ${p}`);
process.exit(problems.length ? 1 : 0);
