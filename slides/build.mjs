#!/usr/bin/env node
// slides/build.mjs: expand the directives in the talk's Markdown, so that the
// code and the terminal output on the slides come from the repository itself.
//
//   node build.mjs [--out FILE] [--manifest FILE] [SOURCE.md ...]
//
// SOURCE.md defaults to talk/*.md, joined in name order. The result is one
// Markdown file for Marp (default dist/talk.md) and a manifest (default
// dist/manifest.json): the number of slides, every directive and what it
// resolved to, and the static outputs that tests/slides-root.bats checks.
//
// Directives (an HTML comment alone on its line, outside code fences):
//
//   <!-- include: diff 03 04 [match TEXT] [hunk N,M] [context N] [lines A-B] -->
//       the unified diff of steps/03-*/container.c against steps/04-*/container.c,
//       hunks only; `match` keeps the hunks of code (not of the file's header
//       comment) that contain TEXT (repeat it for more: each TEXT must be
//       found), `hunk` picks
//       hunks by number (from 1), `context` sets the lines of context (default 2),
//       `lines` keeps those lines of the chosen hunks.
//   <!-- include: function 04 write_id_maps [comment] [lines A-B,C-D]
//        [omit START END]... [until TEXT] -->
//   <!-- include: function final/src/mounts.c mounts_pivot -->
//       the C function NAME from steps/04-*/container.c (or from a .c file of
//       the repository), from its definition to
//       the `}` in column 0; `comment` adds the comment block above it; `lines`
//       keeps only those lines of it (counted from 1), with `…` for the gaps;
//       `omit START END` leaves out the lines from the one containing START to
//       the next one containing END, `until TEXT` what follows the line
//       containing TEXT (to the closing brace): these fail when the text is
//       gone, so prefer them to `lines`.
//   <!-- include: file steps/01-fork/Makefile [lines 1-5] -->
//       a file of the repository, or some of its lines.
//   <!-- run: 04 [exit=N] [lines=A-B] [show=status] CMD [ARG...] -->
//       runs steps/04-*/container CMD ARG... now and inserts the command and
//       its output (stdout and stderr) as a terminal block. STEP `final` runs
//       final/mvrc instead, STEP `host` runs CMD itself. ROOTFS, as a word or
//       a path's start, stands for the busybox rootfs (a private copy, with
//       slides/demo/*.c compiled static into its /bin), shown as the path a
//       reader types. `exit=N`: the status the command must end with
//       (default 0). `lines=A-B`: keep those output lines. `show=status`: add
//       `$ echo $?` and the status. Runs on consecutive lines share one
//       terminal block. Runs are always made as an ordinary user: the
//       builder, or `nobody` when the builder is root, so the slides show what
//       a reader sees.
//   <!-- static: 02 [exit=N] [show=status] CMD [ARG...] -->
//       for the steps that cannot run while the deck is built: the terminal
//       block that follows is kept as written, and a test runs the command and
//       compares its output with the block (test/check-static.mjs: the
//       root-only steps 02 and 03 in tests/slides-root.bats, as root; the
//       others, which need a delegated cgroup or slirp4netns, in
//       tests/slides.bats, as the test suite's ordinary user).
//
// A ```terminal block appears only through run: or after static:, so that every
// terminal output on the slides is real. Any directive that names a step, file, function, hunk or line that does not
// exist stops the build with `FILE:LINE: what is missing`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SLIDES = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(SLIDES, '..');
const ROOTFS_SHOWN = '../../rootfs/busybox';
const RUN_TIMEOUT_MS = 15000;
const KINDS = ['include', 'run', 'static'];

class SlideError extends Error {}

// ---- small helpers ---------------------------------------------------------

function fail(where, msg) {
  throw new SlideError(`${where}: ${msg}`);
}

// words: split a directive's arguments the way sh(1) would ('...', "...", \x).
function words(text, where) {
  const out = [];
  let cur = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (cur !== null) out.push(cur);
      cur = null;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail(where, 'unterminated \' in directive');
      cur = (cur ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        s += text[j++];
      }
      if (j >= text.length) fail(where, 'unterminated " in directive');
      cur = (cur ?? '') + s;
      i = j + 1;
    } else if (c === '\\' && i + 1 < text.length) {
      cur = (cur ?? '') + text[i + 1];
      i += 2;
    } else {
      cur = (cur ?? '') + c;
      i++;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}

// ranges "3-5,9" -> [[3,5],[9,9]], checked against 1..max.
function parseRanges(spec, max, where, what) {
  const out = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) fail(where, `bad line range "${spec}" (want A-B or A-B,C-D)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a) fail(where, `bad line range "${part}"`);
    if (b > max) fail(where, `${what} has ${max} lines: no line ${b}`);
    out.push([a, b]);
  }
  return out;
}

// pick: the lines in the ranges, with a "…" line for each gap between them.
function pick(lines, ranges, gapIndent = '') {
  const out = [];
  ranges.forEach(([a, b], k) => {
    if (k > 0 && a > ranges[k - 1][1] + 1) out.push(gapIndent + '…');
    out.push(...lines.slice(a - 1, b));
  });
  return out;
}

function stepDir(nn, where) {
  if (!/^\d\d$/.test(nn)) fail(where, `"${nn}" is not a step number (want two digits, like 04)`);
  const stepsDir = path.join(REPO, 'steps');
  const names = fs.existsSync(stepsDir) ? fs.readdirSync(stepsDir) : [];
  const name = names.filter((n) => n.startsWith(nn + '-')).sort()[0];
  if (!name || !fs.existsSync(path.join(stepsDir, name, 'container.c'))) {
    fail(where, `no step ${nn}: steps/${nn}-*/container.c does not exist`);
  }
  return { name, dir: path.join(stepsDir, name) };
}

// shortPath: FILE relative to the current directory when it is below it.
function shortPath(file) {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function readLines(file) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function fence(lang, lines) {
  const body = lines.join('\n').replace(/```/g, '`\u200b``');
  return ['```' + lang, body, '```'];
}

// options: leading words of the form key=value or known flags.
function takeOptions(args, known) {
  const opts = {};
  while (args.length) {
    const m = /^([a-z]+)=(.*)$/.exec(args[0]);
    if (!m || !known.includes(m[1])) break;
    opts[m[1]] = m[2];
    args.shift();
  }
  return opts;
}

// ---- include ---------------------------------------------------------------

// cut: BODY without the lines from one holding START to the next one holding
// END (each omit, in turn), and without what follows the line holding UNTIL;
// a "…" line stands for each cut. Text that is not there is an error, so an
// excerpt cannot silently drift when the code changes.
function cut(body, omits, until, where, what) {
  const find = (text, from) => {
    const i = body.findIndex((l, k) => k >= from && l.includes(text));
    if (i < 0) fail(where, `${what} has no line with "${text}"${from ? ' after the one before it' : ''}`);
    return i;
  };
  const indent = (l) => /^\s*/.exec(l)[0];
  for (const [start, end] of omits) {
    const a = find(start, 0);
    const b = find(end, a);
    body = [...body.slice(0, a), indent(body[a]) + '…', ...body.slice(b + 1)];
  }
  if (until !== null) {
    const u = find(until, 0);
    const last = body[body.length - 1];
    if (u < body.length - 2) body = [...body.slice(0, u + 1), '\t…', last];
  }
  return body;
}

function includeDiff(args, where) {
  if (args.length < 2) fail(where, 'usage: include: diff STEP STEP [match TEXT] [hunk N,M] [context N] [lines A-B]');
  const [a, b] = [stepDir(args[0], where), stepDir(args[1], where)];
  const match = [];
  let hunks = null;
  let context = 2;
  let lineSpec = null;
  for (let i = 2; i < args.length; i += 2) {
    const v = args[i + 1];
    if (v === undefined) fail(where, `"${args[i]}" needs a value`);
    if (args[i] === 'match') match.push(v);
    else if (args[i] === 'hunk') hunks = v;
    else if (args[i] === 'context' && /^\d+$/.test(v)) context = Number(v);
    else if (args[i] === 'lines') lineSpec = v;
    else fail(where, `unknown diff option "${args[i]} ${v}"`);
  }
  const r = spawnSync('diff', [`-U${context}`, path.join(a.dir, 'container.c'), path.join(b.dir, 'container.c')], {
    encoding: 'utf8',
  });
  if (r.error) fail(where, `cannot run diff: ${r.error.message}`);
  if (r.status === 0) fail(where, `steps ${args[0]} and ${args[1]} have the same container.c: no diff`);
  if (r.status !== 1) fail(where, `diff failed: ${r.stderr.trim()}`);
  const all = [];
  const header = [];
  // The opening comment of the newer file (the step's header: prose).
  const newLines = readLines(path.join(b.dir, 'container.c'));
  const headerEnd = newLines[0]?.startsWith('/*') ? newLines.findIndex((l) => l.includes('*/')) + 1 : 0;
  for (const line of r.stdout.split('\n').slice(2)) {
    if (line.startsWith('@@')) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      const start = Number(m[1]);
      const len = m[2] === undefined ? 1 : Number(m[2]);
      header.push(start + len - 1 <= headerEnd);
      all.push([line.replace(/^(@@ [^@]* @@).*$/, '$1')]);
    } else if (line !== '' || all.length) all[all.length - 1]?.push(line);
  }
  for (const h of all) while (h.length && h[h.length - 1] === '') h.pop();
  let chosen = all.map((h, i) => ({ h, n: i + 1, header: header[i] }));
  if (hunks !== null) {
    const want = parseRanges(hunks, all.length, where, `the diff ${args[0]}→${args[1]} (in hunks)`);
    chosen = chosen.filter(({ n }) => want.some(([x, y]) => n >= x && n <= y));
  }
  // `match` looks at code only: the hunks inside the header comment are prose.
  if (match.length) chosen = chosen.filter(({ header }) => !header);
  for (const text of match) {
    if (!chosen.some(({ h }) => h.some((l) => l.includes(text)))) {
      fail(where, `no hunk of the diff ${args[0]}→${args[1]} contains "${text}"`);
    }
  }
  if (match.length) chosen = chosen.filter(({ h }) => h.some((l) => match.some((text) => l.includes(text))));
  let lines = chosen.flatMap(({ h }) => h);
  if (lineSpec !== null) lines = pick(lines, parseRanges(lineSpec, lines.length, where, 'the chosen hunks'), ' ');
  return { lang: 'diff', lines, source: `diff ${a.name} ${b.name}` };
}

// findFunction: [first, last] line indexes (0-based) of NAME's definition.
function findFunction(lines, name) {
  const head = new RegExp(`^(?=[A-Za-z_])(?:.*\\W)?${name}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    if (!head.test(lines[i])) continue;
    // A definition: before any ';' a '{' follows (on this line or later ones).
    let j = i;
    let isDef = false;
    for (; j < lines.length; j++) {
      const l = lines[j].replace(/\/\*.*?\*\//g, '');
      if (l.includes('{')) { isDef = true; break; }
      if (l.includes(';')) break;
    }
    if (!isDef) continue;
    let end = j;
    while (end < lines.length && lines[end] !== '}') end++;
    if (end >= lines.length) return null;
    // The declaration may start on earlier lines (storage class, attributes).
    let start = i;
    while (start > 0 && /^[A-Za-z_]/.test(lines[start - 1]) && !/[;}]\s*$/.test(lines[start - 1])) start--;
    return [start, end];
  }
  return null;
}

function includeFunction(args, where) {
  if (args.length < 2) fail(where, 'usage: include: function STEP NAME [comment] [lines A-B]');
  // The function's file: a step's container.c (by number) or a .c file of the repository.
  let file;
  let label;
  if (/^\d\d$/.test(args[0])) {
    const s = stepDir(args[0], where);
    file = path.join(s.dir, 'container.c');
    label = `steps/${s.name}/container.c`;
  } else {
    file = path.resolve(REPO, args[0]);
    label = args[0];
    if (!file.startsWith(REPO + path.sep) || !fs.existsSync(file)) fail(where, `no file ${label} in the repository`);
  }
  const name = args[1];
  if (!/^[A-Za-z_]\w*$/.test(name)) fail(where, `"${name}" is not a C identifier`);
  let comment = false;
  let spec = null;
  const omits = [];
  let until = null;
  for (let i = 2; i < args.length; i++) {
    if (args[i] === 'comment') comment = true;
    else if (args[i] === 'lines' && args[i + 1]) spec = args[++i];
    else if (args[i] === 'omit' && args[i + 2] !== undefined) omits.push([args[++i], args[++i]]);
    else if (args[i] === 'until' && args[i + 1] !== undefined) until = args[++i];
    else fail(where, `unknown function option "${args[i]}"`);
  }
  const lines = readLines(file);
  const found = findFunction(lines, name);
  if (!found) fail(where, `no function ${name}() in ${label}`);
  let [start, end] = found;
  if (comment && start > 0 && /\*\/\s*$/.test(lines[start - 1])) {
    let c = start - 1;
    while (c > 0 && !/^\s*\/\*/.test(lines[c])) c--;
    start = c;
  }
  let body = lines.slice(start, end + 1);
  if (spec !== null) body = pick(body, parseRanges(spec, body.length, where, `${name}() in ${label}`), '\t');
  body = cut(body, omits, until, where, `${name}() in ${label}`);
  return { lang: 'c', lines: body, source: `${label}:${name}` };
}

function includeFile(args, where) {
  if (args.length < 1) fail(where, 'usage: include: file PATH [lines A-B]');
  const rel = args[0];
  const file = path.resolve(REPO, rel);
  if (!file.startsWith(REPO + path.sep)) fail(where, `${rel} is outside the repository`);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail(where, `no file ${rel} in the repository`);
  const lines = readLines(file);
  let body = lines;
  if (args.length > 1) {
    if (args[1] !== 'lines' || args.length !== 3) fail(where, `unknown file option "${args.slice(1).join(' ')}"`);
    body = pick(lines, parseRanges(args[2], lines.length, where, rel));
  }
  const base = path.basename(rel);
  const ext = path.extname(rel).slice(1);
  const lang = base === 'Makefile' ? 'makefile' : { c: 'c', h: 'c', sh: 'bash', md: 'markdown', json: 'json' }[ext] ?? 'text';
  return { lang, lines: body, source: rel };
}

// ---- run -------------------------------------------------------------------

const runner = {
  tmp: null,
  rootfs: null,
  built: new Set(),
  // As root the commands run as `nobody`: what an ordinary user would see.
  asRoot: process.getuid() === 0,
  user: process.env.MVRC_SLIDES_USER || 'nobody',
  ids: null,
};

function sh(cmd, args, where, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) fail(where, `${what} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
}

function runnerSetup(where) {
  if (runner.tmp) return;
  runner.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvrc-slides.'));
  fs.chmodSync(runner.tmp, 0o755);
  if (runner.asRoot) {
    const uid = sh('id', ['-u', runner.user], where, `id -u ${runner.user}`).trim();
    if (uid === '0') fail(where, `runs are made as an ordinary user, and ${runner.user} is root`);
    const gid = sh('id', ['-g', runner.user], where, `id -g ${runner.user}`).trim();
    runner.ids = { uid, gid };
  }
}

function runnerCleanup() {
  if (!runner.tmp) return;
  // Runs may leave files owned by the runner's user inside the rootfs copy.
  fs.rmSync(runner.tmp, { recursive: true, force: true });
}

function giveToRunner(p) {
  if (runner.asRoot) spawnSync('chown', ['-R', `${runner.ids.uid}:${runner.ids.gid}`, p]);
}

// program: what a run directive's STEP names. A step NN is steps/NN-*/container,
// typed as ./container from the step's folder; `final` is final/mvrc, typed from
// the top of the repository; `host` runs CMD itself.
function program(step, where) {
  if (step === 'host') return { shown: '', rootfs: 'rootfs/busybox' };
  let dir;
  let binary;
  let shown;
  let rootfs;
  if (step === 'final') {
    dir = path.join(REPO, 'final');
    if (!fs.existsSync(path.join(dir, 'Makefile'))) fail(where, 'no final/Makefile: final/ does not exist');
    [binary, shown, rootfs] = ['mvrc', 'final/mvrc ', 'rootfs/busybox'];
  } else {
    dir = stepDir(step, where).dir;
    [binary, shown, rootfs] = ['container', './container ', ROOTFS_SHOWN];
  }
  const dest = path.join(runner.tmp, path.basename(dir));
  if (!runner.built.has(step)) {
    const r = spawnSync('make', ['-s', '-C', dir], { encoding: 'utf8' });
    if (r.status !== 0) fail(where, `cannot build ${path.relative(REPO, dir)}: ${(r.stderr || r.stdout).trim()}`);
    fs.mkdirSync(dest);
    fs.copyFileSync(path.join(dir, binary), path.join(dest, binary));
    fs.chmodSync(path.join(dest, binary), 0o755);
    giveToRunner(dest);
    runner.built.add(step);
  }
  return { cwd: dest, argv0: './' + binary, shown, rootfs };
}

function rootfsCopy(where) {
  if (runner.rootfs) return runner.rootfs;
  const src = path.join(REPO, 'rootfs', 'busybox');
  if (!fs.existsSync(path.join(src, 'bin', 'busybox'))) {
    const r = spawnSync('make', ['-s', '-C', REPO, 'rootfs'], { encoding: 'utf8' });
    if (r.status !== 0) fail(where, `no rootfs/busybox, and \`make rootfs\` failed: ${(r.stderr || r.stdout).trim()}`);
  }
  runner.rootfs = path.join(runner.tmp, 'rootfs');
  sh('cp', ['-a', src, runner.rootfs], where, 'copying rootfs/busybox');
  // The talk's demo programs (slides/demo/*.c), static, in the copy's /bin.
  const demos = path.join(SLIDES, 'demo');
  for (const f of fs.existsSync(demos) ? fs.readdirSync(demos).filter((n) => n.endsWith('.c')) : []) {
    sh('cc', ['-std=gnu11', '-Wall', '-Wextra', '-Werror', '-O2', '-static', '-o',
      path.join(runner.rootfs, 'bin', f.slice(0, -2)), path.join(demos, f)], where, `compiling demo/${f} (static)`);
  }
  giveToRunner(runner.rootfs);
  return runner.rootfs;
}

// runArgs: the argv that runs `argv` in cwd as an ordinary user, in a clean env.
function runArgs(argv) {
  const env = ['env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'LANG=C', 'TERM=dumb'];
  if (!runner.asRoot) return [...env, `HOME=${os.homedir()}`, ...argv];
  return ['setpriv', `--reuid=${runner.ids.uid}`, `--regid=${runner.ids.gid}`, '--clear-groups', '--',
    ...env, 'HOME=/', ...argv];
}

function quoteShown(w) {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function directiveCommand(kind, args, where) {
  const usage = `usage: ${kind}: STEP [exit=N] [lines=A-B] CMD [ARG...]`;
  if (args.length < 2) fail(where, usage);
  const step = args.shift();
  const opts = takeOptions(args, kind === 'run' ? ['exit', 'lines', 'show'] : ['exit', 'show']);
  if (opts.show !== undefined && opts.show !== 'status') fail(where, `bad show=${opts.show} (want show=status)`);
  if (!args.length) fail(where, usage);
  const exit = opts.exit === undefined ? 0 : Number(opts.exit);
  if (!Number.isInteger(exit)) fail(where, `bad exit=${opts.exit}`);
  return { step, opts, exit, args };
}

function prompt(d, prog) {
  return '$ ' + prog.shown + d.args.map((w) => quoteShown(w.replace(/^ROOTFS(?=\/|$)/, prog.rootfs))).join(' ');
}

function runCommand(args, where) {
  const d = directiveCommand('run', args, where);
  runnerSetup(where);
  const prog = program(d.step, where);
  d.prompt = prompt(d, prog);
  let argv = d.args.map((w) => (/^ROOTFS(\/|$)/.test(w) ? rootfsCopy(where) + w.slice(6) : w));
  const cwd = prog.cwd ?? runner.tmp;
  if (prog.argv0) argv = [prog.argv0, ...argv];
  // One stream, in the order a terminal shows it: stderr goes where stdout goes.
  const full = runArgs(['sh', '-c', 'exec "$@" 2>&1', 'sh', ...argv]);
  const r = spawnSync(full[0], full.slice(1), {
    cwd,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) fail(where, `cannot run ${d.prompt}: ${r.error.message}`);
  if (r.signal) fail(where, `${d.prompt} was killed by ${r.signal} (timeout ${RUN_TIMEOUT_MS / 1000}s?)`);
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  if (r.status !== d.exit) {
    fail(where, `${d.prompt} exited ${r.status}, the slide expects ${d.exit}:\n${out.trimEnd()}`);
  }
  let lines = out.replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
  if (lines.length === 1 && lines[0] === '') lines = [];
  if (d.opts.lines !== undefined) {
    const ranges = parseRanges(d.opts.lines, Math.max(lines.length, 1), where, `the output of ${d.prompt}`);
    const last = ranges[ranges.length - 1][1];
    lines = pick(lines, ranges);
    if (last < out.trimEnd().split('\n').length) lines.push('…');
  }
  // show=status: the status the shell saw, as `echo $?` prints it.
  if (d.opts.show === 'status') lines.push('$ echo $?', String(r.status));
  return { lang: 'terminal', lines: [d.prompt, ...lines], source: `run ${d.step}` };
}

// ---- the source --------------------------------------------------------------

function expand(sources) {
  const out = [];
  const manifest = { sources: [], slides: 0, directives: [], static: [] };
  let frontmatterSeen = false;
  sources.forEach((file, fileIndex) => {
    const rel = shortPath(file);
    manifest.sources.push(rel);
    const lines = readLines(file);
    let inFence = false;
    let pendingStatic = null;
    let lastRun = -2;
    if (fileIndex > 0) out.push('', '---', '');
    lines.forEach((line, i) => {
      const where = `${rel}:${i + 1}`;
      if (i === 0 && line === '---') {
        if (fileIndex > 0 || frontmatterSeen) fail(where, 'front matter is allowed in the first source file only');
        frontmatterSeen = true;
      }
      if (/^\s*(```|~~~)/.test(line)) {
        if (!inFence && /^\s*```terminal\b/.test(line) && !pendingStatic) {
          fail(where, 'a ```terminal block holds real output: write a run: directive, or static: for the root-only steps');
        }
        if (!inFence && pendingStatic) {
          pendingStatic.start = i + 1;
          pendingStatic.expected = [];
        } else if (inFence && pendingStatic?.expected) {
          checkStatic(pendingStatic, manifest);
          pendingStatic = null;
        }
        inFence = !inFence;
        out.push(line);
        return;
      }
      if (inFence) {
        if (pendingStatic?.expected) pendingStatic.expected.push(line);
        out.push(line);
        return;
      }
      if (pendingStatic && line.trim() !== '') {
        fail(pendingStatic.where, 'static: must be followed by a ```terminal block');
      }
      const m = /^\s*<!--\s*([a-z]+)\s*:(.*?)-->\s*$/.exec(line);
      const loose = /^\s*<!--\s*(include|run|static)\b/.exec(line);
      if (!m || !KINDS.includes(m[1])) {
        if (loose) fail(where, `malformed ${loose[1]} directive: ${line.trim()}`);
        out.push(line);
        return;
      }
      const kind = m[1];
      const args = words(m[2].trim(), where);
      let block;
      if (kind === 'include') {
        const what = args.shift();
        if (what === 'diff') block = includeDiff(args, where);
        else if (what === 'function') block = includeFunction(args, where);
        else if (what === 'file') block = includeFile(args, where);
        else fail(where, `unknown include "${what}" (want diff, function or file)`);
      } else if (kind === 'run') {
        block = runCommand(args, where);
      } else {
        const d = directiveCommand('static', args, where);
        d.prompt = prompt(d, { shown: './container ', rootfs: ROOTFS_SHOWN });
        stepDir(d.step, where);
        pendingStatic = { where, rel, line: i + 1, ...d };
        manifest.directives.push({ where, kind, text: m[2].trim() });
        return;
      }
      manifest.directives.push({ where, kind, text: m[2].trim(), source: block.source, lines: block.lines.length });
      if (kind === 'run' && lastRun === i - 1) {
        // Runs on consecutive lines share one terminal, as typed one after the other.
        out.splice(out.length - 1, 0, ...block.lines);
      } else {
        out.push(...fence(block.lang, block.lines));
      }
      if (kind === 'run') lastRun = i;
    });
    if (inFence) fail(`${rel}:${lines.length}`, 'a code fence is not closed');
    if (pendingStatic) fail(pendingStatic.where, 'static: must be followed by a ```terminal block');
  });
  manifest.slides = countSlides(out);
  return { markdown: out.join('\n') + '\n', manifest };
}

function checkStatic(p, manifest) {
  if (p.expected[0] !== p.prompt) {
    fail(`${p.rel}:${p.start + 1}`, `the block after static: must start with "${p.prompt}"`);
  }
  if (p.opts.show === 'status') {
    const tail = p.expected.slice(-2);
    if (tail[0] !== '$ echo $?' || tail[1] !== String(p.exit)) {
      fail(`${p.rel}:${p.start + 1}`, `show=status: the block must end with "$ echo $?" and "${p.exit}"`);
    }
    p.expected = p.expected.slice(0, -2);
  }
  manifest.static.push({
    where: p.where,
    step: p.step,
    argv: p.args,
    exit: p.exit,
    prompt: p.prompt,
    expected: p.expected.slice(1),
  });
}

// countSlides: Marp starts a slide at every `---` line outside code fences.
export function countSlides(lines) {
  let n = 1;
  let inFence = false;
  let i = 0;
  if (lines[0] === '---') {
    i = lines.indexOf('---', 1) + 1;
  }
  for (; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i])) inFence = !inFence;
    else if (!inFence && lines[i] === '---') n++;
  }
  return n;
}

// ---- main ----------------------------------------------------------------------

function main(argv) {
  let outFile = path.join(SLIDES, 'dist', 'talk.md');
  let manifestFile = null;
  const sources = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outFile = path.resolve(argv[++i]);
    else if (argv[i] === '--manifest') manifestFile = path.resolve(argv[++i]);
    else if (argv[i].startsWith('-')) throw new SlideError(`unknown option ${argv[i]}`);
    else sources.push(path.resolve(argv[i]));
  }
  if (!sources.length) {
    const dir = path.join(SLIDES, 'talk');
    sources.push(...fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(dir, f)));
  }
  manifestFile ??= path.join(path.dirname(outFile), 'manifest.json');
  for (const s of sources) if (!fs.existsSync(s)) throw new SlideError(`no slide source ${s}`);
  let result;
  try {
    result = expand(sources);
  } finally {
    runnerCleanup();
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, result.markdown);
  fs.writeFileSync(manifestFile, JSON.stringify(result.manifest, null, 2) + '\n');
  const m = result.manifest;
  console.log(`slides: ${m.slides} slides, ${m.directives.length} directives resolved -> ${path.relative(process.cwd(), outFile)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof SlideError)) throw e;
    console.error(`slides: ${e.message}`);
    process.exit(1);
  }
}
