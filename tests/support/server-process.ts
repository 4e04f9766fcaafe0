// The real Node server as a child process: `node --import tsx edge/src/node.ts` in a temp data
// dir on a free port. Crash tests and benchmarks use it to kill, restart and load the product
// exactly as it runs (`npm start`), with nothing of the server in the test's own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoTenant } from '../../edge/src/demo/demo-tenant';

/** The monorepo root: the child runs from here so `--import tsx` and workspace imports resolve. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcessOptions {
  /** Extra environment for the server (CALLSIGHT_JOB_LEASE_MS, CALLSIGHT_JOB_CONCURRENCY, ...). */
  env?: Record<string, string>;
  /** An existing data dir to run against; a fresh temp dir when unset (removed by `cleanup`). */
  dataDir?: string;
  /** How long to wait for /readyz and demo.json. */
  readyTimeoutMs?: number;
  /** Extra node flags before the script, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  /** The checkout to run (a worktree with a change to compare, say); this repo when unset. */
  root?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const MAX_LOG_LINES = 2000;

/** Every child started here and not yet exited: killed on process exit, whatever happens. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A port nobody listens on right now: bind port 0, read what the OS gave, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '0.0.0.0', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from the OS'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
  });
}

/**
 * One server over one data dir. `start` spawns it; `kill` ends it (SIGKILL by default, as a
 * crash would); `restart` runs a new process on the same database and data dir.
 */
export class ServerProcess {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly dbUrl: string;
  port = 0;
  url = '';
  demo: DemoTenant | null = null;
  /** How long the last start took, from spawn to /readyz answering 200 with demo.json present. */
  startMs = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<ExitInfo> = Promise.resolve({ code: null, signal: null });
  private readonly ownsDataDir: boolean;
  /** Output lines of each process started so far, the current one last. */
  private readonly runs: string[][] = [];
  private env: Record<string, string>;
  private readonly readyTimeoutMs: number;
  private readonly nodeArgs: string[];
  private readonly root: string;

  private constructor(options: ServerProcessOptions) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'callsight-'));
    this.dbPath = join(this.dataDir, 'callsight.db');
    this.dbUrl = `file:${this.dbPath}`;
    this.env = options.env ?? {};
    this.readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    this.nodeArgs = options.nodeArgs ?? [];
    this.root = options.root ?? repoRoot;
  }

  static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    try {
      await server.spawnAndWait();
    } catch (e) {
      await server.cleanup();
      throw e;
    }
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private get lines(): string[] {
    return this.runs.at(-1) ?? [];
  }

  /** The stdout and stderr of the current (or last) process: the banner, JSON log lines. */
  logs(): string[] {
    return [...this.lines];
  }

  /** Log lines at warn or error level of the current (or last) process, parsed. */
  problems(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.lines) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.level === 'warn' || entry.level === 'error') out.push(entry);
      } catch {
        // not a log line
      }
    }
    return out;
  }

  requireDemo(): DemoTenant {
    if (!this.demo) throw new Error(`no demo tenant in ${this.dataDir}/demo.json`);
    return this.demo;
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitInfo> {
    const child = this.child;
    if (!child || !this.running) return this.exited;
    child.kill(signal);
    return this.exited;
  }

  /** SIGTERM (the server closes cleanly), then SIGKILL if it is not gone within `graceMs`. */
  async stop(graceMs = 5_000): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      return await this.kill('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A new process on the same data dir and database, after the old one is gone: on a new free
   * port, or with `samePort` on the old one, as `npm start` with a fixed PORT comes back (the demo
   * tenant's CRM sandboxes are connected at the server's own address).
   */
  async restart(env: Record<string, string> = {}, options: { samePort?: boolean } = {}): Promise<void> {
    await this.kill('SIGKILL');
    this.env = { ...this.env, ...env };
    await this.spawnAndWait(options.samePort ? this.port : undefined);
  }

  /** Kills the process if it still runs and removes the temp data dir this instance created. */
  async cleanup(): Promise<void> {
    await this.kill('SIGKILL');
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async spawnAndWait(port?: number): Promise<void> {
    // The port is free when probed, but another process may take it before the server binds:
    // a start that dies early is retried on a new port (or, for a fixed port, on it again).
    for (let attempt = 1; ; attempt++) {
      try {
        await this.spawnOnce(port ?? (await freePort()));
        return;
      } catch (e) {
        if (attempt >= 3 || this.running) throw e;
      }
    }
  }

  private async spawnOnce(port: number): Promise<void> {
    const started = performance.now();
    const child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', 'edge/src/node.ts'], {
      cwd: this.root,
      env: {
        ...process.env,
        CALLSIGHT_LOG_LEVEL: 'warn',
        // These processes test intake and the job queue: no CRM connections (and so no sync
        // jobs, rate-limited by the sandboxes) unless a test asks for them.
        CALLSIGHT_SANDBOXES: '0',
        ...this.env,
        PORT: String(port),
        CALLSIGHT_DATA_DIR: this.dataDir,
        CALLSIGHT_DB_URL: this.dbUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    installExitHook();
    live.add(child);
    this.child = child;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      });
    });
    const lines: string[] = [];
    this.runs.push(lines);
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) if (line.trim() !== '') lines.push(line);
        if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
      });
    }
    await this.waitReady(child);
    this.startMs = performance.now() - started;
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    let exitInfo: ExitInfo | null = null;
    void this.exited.then((info) => (exitInfo = info));
    const fail = (why: string) =>
      new Error(`callsight server on port ${this.port} ${why}\n${this.lines.slice(-30).join('\n')}`);

    // 1. /readyz answers 200: the database is open and migrated.
    for (;;) {
      if (exitInfo) throw fail(`exited before it was ready (${JSON.stringify(exitInfo)})`);
      if (Date.now() > deadline) throw fail(`not ready after ${this.readyTimeoutMs} ms`);
      try {
        if ((await getStatus(`${this.url}/readyz`, 1_000)) === 200) break;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    // 2. demo.json: written just after the server starts listening, on a database with no tenant.
    const file = join(this.dataDir, 'demo.json');
    for (;;) {
      if (exitInfo) throw fail(`exited while writing demo.json (${JSON.stringify(exitInfo)})`);
      if (existsSync(file)) {
        try {
          this.demo = JSON.parse(readFileSync(file, 'utf8')) as DemoTenant;
          return;
        } catch {
          // half written: read again
        }
      }
      if (Date.now() > deadline) {
        // A database with a tenant of its own gets no demo tenant: that is not a failure here.
        if (child.exitCode === null) return;
        throw fail('did not write demo.json');
      }
      await sleep(25);
    }
  }
}

/** Kills every server started by this process (for an afterAll that lost track of one). */
export async function killAllServers(): Promise<void> {
  const exits = [...live].map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
  for (const child of live) child.kill('SIGKILL');
  await Promise.all(exits);
}
