#!/usr/bin/env node
// slides/test/check-static.mjs MANIFEST.json --as root|user [--rootfs DIR]
// [-- PREFIX...]: run each command (after PREFIX, say a command that starts
// it in a cgroup scope of its own) that a `static:` directive shows and compare the real
// output with the slide's. The output of a step that cannot run while the deck
// is built is written into the slides by hand: the root-only steps (02, 03),
// checked with `--as root`, and the steps that need what a build may not have
// (a delegated cgroup, slirp4netns), checked with `--as user` by the ordinary
// user of the test suite.
//
// Prints one line per block, `ok WHERE` or `MISMATCH WHERE` followed by both
// outputs; exits 1 on any mismatch, 2 on bad usage.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT_ONLY = ['02', '03'];

const args = process.argv.slice(2);
const manifestFile = args.shift();
let as = null;
let rootfs = path.join(REPO, 'rootfs', 'busybox');
let prefix = [];
while (args.length) {
  const a = args.shift();
  if (a === '--as') as = args.shift();
  else if (a === '--rootfs') rootfs = path.resolve(args.shift());
  else if (a === '--') prefix = args.splice(0);
  else as = 'bad';
}
if (!manifestFile || !['root', 'user'].includes(as)) {
  console.error('usage: check-static.mjs MANIFEST.json --as root|user [--rootfs DIR] [-- PREFIX...]');
  process.exit(2);
}
if (as === 'root' && process.getuid() !== 0) {
  console.error('check-static: --as root: run this as root');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const blocks = manifest.static.filter((s) => ROOT_ONLY.includes(s.step) === (as === 'root'));

let bad = 0;
for (const s of blocks) {
  const name = fs.readdirSync(path.join(REPO, 'steps')).find((n) => n.startsWith(s.step + '-'));
  const dir = path.join(REPO, 'steps', name);
  const build = spawnSync('make', ['-s', '-C', dir], { encoding: 'utf8' });
  if (build.status !== 0) {
    console.log(`MISMATCH ${s.where}: cannot build steps/${name}:\n${build.stderr}`);
    bad++;
    continue;
  }
  const argv = s.argv.map((w) => w.replace(/^ROOTFS(?=\/|$)/, rootfs));
  const env = ['-i', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'LANG=C', 'TERM=dumb', `HOME=${process.env.HOME || '/'}`];
  const r = spawnSync(prefix[0] ?? 'env', [...prefix.slice(1), ...(prefix.length ? ['env'] : []), ...env,
    'sh', '-c', 'exec "$@" 2>&1', 'sh', './container', ...argv],
    { cwd: dir, encoding: 'utf8', timeout: 30000 });
  const got = (r.stdout || '').replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
  const want = s.expected.map((l) => l.replace(/\s+$/, ''));
  if (r.status === s.exit && got.join('\n') === want.join('\n')) {
    console.log(`ok ${s.where}: ${s.prompt}`);
  } else {
    bad++;
    console.log(`MISMATCH ${s.where}: ${s.prompt}`);
    console.log(`  the slide shows (exit ${s.exit}):\n${want.map((l) => '    ' + l).join('\n')}`);
    console.log(`  a real run gives (exit ${r.status}${r.signal ? ', ' + r.signal : ''}):\n${got.map((l) => '    ' + l).join('\n')}`);
  }
}
console.log(`check-static: ${blocks.length} blocks as ${as}, ${bad} mismatched`);
process.exit(bad ? 1 : 0);
