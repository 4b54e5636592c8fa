// The bench's figures: each printed as it is measured (figure, baseline, ratio, target) and
// collected, so `--write-readme-table` can write them all as one markdown table.
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const figures = [];
let section = '';

/** Starts a section of the printout and of the table. */
export function heading(title) {
  section = title;
  console.log(`\n== ${title}`);
}

/**
 * Records one figure. `value` and `baseline` are display strings; `ratio` says how the figure
 * compares with the baseline; `target` is the goal (issue 10), `met` whether this run meets it
 * (undefined: no target).
 */
export function figure(what, value, { baseline = '', ratio = '', target = '', met } = {}) {
  figures.push({ section, what, value: String(value), baseline, ratio, target, met });
  const goal = target ? `   [target ${target}: ${met === undefined ? '-' : met ? 'met' : 'NOT met'}]` : '';
  const against = baseline ? `   baseline ${baseline}${ratio ? ` → ${ratio}` : ''}` : ratio ? `   ${ratio}` : '';
  console.log(`${what.padEnd(58)} ${String(value).padStart(18)}${against}${goal}`);
}

/** A free-form line under the current section (not in the table). */
export function note(text) {
  console.log(`   ${text}`);
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ms = (value, digits = 1) => `${value.toFixed(digits)} ms`;
export const times = (value, baseline) => `${(value / baseline).toFixed(2)}×`;

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);

/** The machine the run was on: figures from a busy machine are slower, ratios less so. */
export function machine() {
  const [one, five] = os.loadavg();
  return `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'CPU'}, load ${one.toFixed(1)} / ${five.toFixed(1)} (1 / 5 min) at the start, ${os.platform()} ${os.release()}`;
}

/** Writes every figure of this run as a markdown table (the README's size-and-speed table). */
export function writeTable(file, { started, context }) {
  const cell = (text) => String(text).replace(/\|/g, '\\|');
  const lines = [
    '<!-- Written by `node tests/bench/bench.mjs --write-readme-table` (./build.sh bench). Do not edit by hand. -->',
    '',
    `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cell(context)}. Every figure has a baseline measured in the same run.`,
    '',
    '| | what | figure | baseline | ratio | target |',
    '|---|---|---|---|---|---|',
  ];
  let last = null;
  for (const f of figures) {
    const target = f.target ? `${f.target} ${f.met === undefined ? '' : f.met ? '✅' : '❌'}`.trim() : '';
    lines.push(`| ${f.section === last ? '' : `**${cell(f.section)}**`} | ${cell(f.what)} | ${cell(f.value)} | ${cell(f.baseline)} | ${cell(f.ratio)} | ${cell(target)} |`);
    last = f.section;
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
