#!/usr/bin/env node
// slides/test/pdf-pages.mjs FILE.pdf: print the number of pages in a PDF that
// Chromium wrote (page objects may sit in compressed object streams).
import fs from 'node:fs';
import zlib from 'node:zlib';

const data = fs.readFileSync(process.argv[2]);
const text = data.toString('latin1');
const page = /\/Type\s*\/Page(?![a-z])/g;
let pages = (text.match(page) || []).length;
const stream = /stream\r?\n/g;
let m;
while ((m = stream.exec(text))) {
  const start = m.index + m[0].length;
  const end = text.indexOf('endstream', start);
  if (end < 0) break;
  try {
    pages += (zlib.inflateSync(data.subarray(start, end)).toString('latin1').match(page) || []).length;
  } catch {
    // not a deflated stream (an image, a font): no page objects in it
  }
  stream.lastIndex = end + 'endstream'.length;
}
console.log(pages);
