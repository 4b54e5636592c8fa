// The native CLI's figures: reading pages (against `cat` and a bare html5ever tokenizer pass
// over the same file), diagnosing logs read line by line (time and peak memory against `grep`),
// all measured in this run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeManyApisLog, writeProductionLog } from './logs.mjs';
import { bigAppPage } from './pages.mjs';
import { figure, heading, mb, ms, note, times } from './report.mjs';

const TIME = '/usr/bin/time';

/**
 * Wall time (ms) of one run of `cmd`. Its output is read and dropped: GNU grep writing to
 * /dev/null stops at the first match, which would make it no baseline at all.
 */
function wall(cmd, args) {
  const start = performance.now();
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
  return performance.now() - start;
}

/** The best of `runs` wall times: the run least disturbed by the rest of the machine. */
const best = (runs, cmd, args) => Math.min(...Array.from({ length: runs }, () => wall(cmd, args)));

/** Peak resident memory (bytes) and wall time (ms) of one run, from GNU time; null without it. */
function peak(cmd, args) {
  if (!existsSync(TIME)) return null;
  const out = path.join(os.tmpdir(), `sd-bench-time-${process.pid}`);
  const start = performance.now();
  const run = spawnSync(TIME, ['-f', '%M', '-o', out, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - start;
  if (run.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${run.stderr}`);
  const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  rmSync(out, { force: true });
  return { bytes: kb * 1024, ms: elapsed };
}

/** Builds tests/bench/tokenize (html5ever's tokenizer alone, the CLI's release profile). */
function tokenizer(root) {
  const dir = path.join(root, 'tests/bench/tokenize');
  const run = spawnSync('cargo', ['build', '--release', '--offline', '--quiet'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) {
    note(`tokenizer baseline not built: ${String(run.stderr).trim().split('\n').pop()}`);
    return null;
  }
  return path.join(dir, 'target/release/tokenize-baseline');
}

export function nativeFigures({ root, cli, pages, logGigabytes }) {
  heading('Native CLI');
  const catMs = best(3, 'cat', pages);
  const readMs = best(3, cli, ['read', ...pages, '--json']);
  figure(`scope-doctor read, ${pages.length} fixture pages`, ms(readMs), { baseline: `cat ${ms(catMs)}`, ratio: times(readMs, catMs) });

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-'));
  try {
    const page = path.join(tmp, 'app-calllog-20000.html');
    writeFileSync(page, bigAppPage(20000));
    const size = statSync(page).size;
    const tokenize = tokenizer(root);
    const pageMs = best(5, cli, ['read', page, '--json']);
    if (tokenize) {
      const tokenMs = best(5, tokenize, [page]);
      figure(`read the 20,000-row app page (${mb(size)})`, ms(pageMs), {
        baseline: `html5ever tokenizer ${ms(tokenMs)}`,
        ratio: times(pageMs, tokenMs),
        target: '≤ 2× the tokenizer',
        met: pageMs <= 2 * tokenMs,
      });
    } else {
      figure(`read the 20,000-row app page (${mb(size)})`, ms(pageMs), { baseline: `cat ${ms(best(3, 'cat', [page]))}` });
    }
    const timings = spawnSync(cli, ['read', page, '--json', '--timings'], { encoding: 'utf8' }).stderr.trim();
    if (timings) note(`where the time goes: ${timings}`);
    const pageMemory = peak(cli, ['read', page, '--json']);
    const tokenMemory = tokenize && peak(tokenize, [page]);
    if (pageMemory) {
      figure('peak memory reading the 20,000-row page', mb(pageMemory.bytes), {
        baseline: tokenMemory ? `tokenizer ${mb(tokenMemory.bytes)}` : `file ${mb(size)}`,
        ratio: tokenMemory ? times(pageMemory.bytes, tokenMemory.bytes) : times(pageMemory.bytes, size),
      });
    }

    const appPage = path.join(root, 'www/console/app-detail.html');
    const many = path.join(tmp, 'apis-100000.log');
    const manySize = writeManyApisLog(many, 100000);
    const manyRun = peak(cli, ['diagnose', appPage, '--failure-file', many, '--json']);
    const manyGrep = best(3, 'grep', ['-c', 'scope', many]);
    if (manyRun) {
      figure(`diagnose a log of 100,000 different APIs (${mb(manySize)})`, ms(manyRun.ms, 0), { baseline: `grep -c ${ms(manyGrep)}`, ratio: times(manyRun.ms, manyGrep) });
      figure('  its peak memory', mb(manyRun.bytes), { baseline: `the log ${mb(manySize)}`, ratio: times(manyRun.bytes, manySize) });
    }
    const json = execFileSync(cli, ['diagnose', appPage, '--failure-file', many, '--json'], { maxBuffer: 1 << 30 });
    note(`its JSON: ${mb(json.length)} (${JSON.parse(json).findings.length} findings; the parser keeps at most 10,000 distinct failures and counts the rest)`);
    rmSync(many, { force: true });

    const free = freeBytes(tmp);
    const wanted = Math.round(logGigabytes * 1e9);
    const bytes = free === null ? wanted : Math.min(wanted, Math.floor((free - 2e9) / 1e8) * 1e8);
    if (bytes < wanted) note(`only ${mb(free)} free under ${tmp}: the log is ${mb(bytes)} instead of ${mb(wanted)}`);
    if (bytes > 0) {
      const log = path.join(tmp, 'production.log');
      const start = performance.now();
      const logSize = writeProductionLog(log, bytes);
      note(`generated a ${mb(logSize)} production-like log in ${ms(performance.now() - start, 0)} (a call and its response per two lines, one call in 16 failing)`);
      const grepMs = wall('grep', ['-c', 'scope', log]);
      const run = peak(cli, ['diagnose', appPage, '--failure-file', log, '--json']);
      if (run) {
        const rate = logSize / 1e6 / (run.ms / 1000);
        figure(`diagnose --failure-file, ${(logSize / 1e9).toFixed(2)} GB log, streamed`, `${(run.ms / 1000).toFixed(1)} s`, {
          baseline: `grep -c ${(grepMs / 1000).toFixed(1)} s`,
          ratio: `${times(run.ms, grepMs)} (${rate.toFixed(0)} MB/s)`,
        });
        figure('  its peak memory', mb(run.bytes), { baseline: `the log ${mb(logSize)}`, ratio: times(run.bytes, logSize), target: '≤ 100 MB', met: run.bytes <= 100 * 1024 * 1024 });
      }
      rmSync(log, { force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Free bytes on the file system holding `dir`, or null when `df` cannot say. */
function freeBytes(dir) {
  try {
    const out = execFileSync('df', ['-Pk', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    return Number(out.split(/\s+/)[3]) * 1024;
  } catch {
    return null;
  }
}
