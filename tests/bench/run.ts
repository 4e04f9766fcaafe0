// `npm run bench [-- case ...]`: runs the named benchmark cases (all when none is named) and
// prints one JSON document on stdout; progress goes to stderr.
//   npm run bench                 every case
//   npm run bench -- ingest       one case
// A new case is a file exporting a BenchCase, added to `cases` below.
import { execFileSync } from 'node:child_process';
import { killAllServers, repoRoot } from '../support/server-process';
import type { BenchCase } from './harness';
import { analyze } from './analyze';
import { ingest } from './ingest';
import { sync } from './sync';

const cases: Record<string, BenchCase> = { [ingest.name]: ingest, [analyze.name]: analyze, [sync.name]: sync };

/** Which code was measured: the commit, and the files changed on top of it (the tree is shared). */
function product(): Record<string, unknown> {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const changed = git('status', '--porcelain', '--', 'edge/src', 'shared/src');
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    uncommittedProductFiles: changed ? changed.split('\n').length : 0,
  };
}

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    process.stderr.write(
      `usage: npm run bench [-- <case> ...]\ncases:\n${Object.values(cases)
        .map((c) => `  ${c.name.padEnd(10)} ${c.description}`)
        .join('\n')}\n`,
    );
    return 0;
  }
  const unknown = names.filter((n) => !(n in cases));
  if (unknown.length > 0) {
    process.stderr.write(`unknown case(s): ${unknown.join(', ')}; known: ${Object.keys(cases).join(', ')}\n`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(cases);
  const results: Record<string, unknown> = {};
  const startedAt = new Date().toISOString();
  const measured = product();
  for (const name of selected) {
    const c = cases[name];
    if (!c) continue;
    process.stderr.write(`[bench] case ${name}\n`);
    const started = performance.now();
    results[name] = { ...(await c.run()), durationSec: Math.round((performance.now() - started) / 100) / 10 };
  }
  process.stdout.write(`${JSON.stringify({ startedAt, product: measured, cases: results }, null, 2)}\n`);
  return 0;
}

// Servers started by a case die with the benchmark, whatever ends it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void killAllServers().finally(() => process.exit(130));
  });
}

main(process.argv.slice(2))
  .then(async (code) => {
    await killAllServers();
    process.exitCode = code;
  })
  .catch(async (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    await killAllServers();
    process.exitCode = 1;
  });
