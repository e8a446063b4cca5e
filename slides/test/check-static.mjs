#!/usr/bin/env node
// slides/test/check-static.mjs MANIFEST.json: run, as root, each command that a
// `static:` directive shows (the root-only steps' output is written into the
// slides by hand) and compare the real output with the slide's.
//
// Prints one line per block, `ok WHERE` or `MISMATCH WHERE` followed by both
// outputs; exits 1 on any mismatch, 2 when not run as root.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

if (process.getuid() !== 0) {
  console.error('check-static: the static blocks show root-only steps: run this as root');
  process.exit(2);
}

let bad = 0;
for (const s of manifest.static) {
  const name = fs.readdirSync(path.join(REPO, 'steps')).find((n) => n.startsWith(s.step + '-'));
  const dir = path.join(REPO, 'steps', name);
  const build = spawnSync('make', ['-s', '-C', dir], { encoding: 'utf8' });
  if (build.status !== 0) {
    console.log(`MISMATCH ${s.where}: cannot build steps/${name}:\n${build.stderr}`);
    bad++;
    continue;
  }
  const argv = s.argv.map((w) => w.replace(/^ROOTFS(?=\/|$)/, path.join(REPO, 'rootfs', 'busybox')));
  const r = spawnSync('env', ['-i', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'LANG=C', 'TERM=dumb', 'HOME=/root',
    'sh', '-c', 'exec "$@" 2>&1', 'sh', './container', ...argv], { cwd: dir, encoding: 'utf8', timeout: 15000 });
  const got = (r.stdout || '').replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
  const want = s.expected.map((l) => l.replace(/\s+$/, ''));
  if (r.status === s.exit && got.join('\n') === want.join('\n')) {
    console.log(`ok ${s.where}: ${s.prompt}`);
  } else {
    bad++;
    console.log(`MISMATCH ${s.where}: ${s.prompt}`);
    console.log(`  the slide shows (exit ${s.exit}):\n${want.map((l) => '    ' + l).join('\n')}`);
    console.log(`  a real run as root gives (exit ${r.status}${r.signal ? ', ' + r.signal : ''}):\n${got.map((l) => '    ' + l).join('\n')}`);
  }
}
console.log(`check-static: ${manifest.static.length} blocks, ${bad} mismatched`);
process.exit(bad ? 1 : 0);
