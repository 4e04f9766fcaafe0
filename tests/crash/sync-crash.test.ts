// Crash test of the CRM sync: the real server process, connected to its own HubSpot sandbox (the
// demo tenant, CALLSIGHT_SANDBOXES=1), is SIGKILLed while slow HubSpot creates are under way and
// restarted on the same data dir (the sandbox's records are in a file there too). Once every sync
// has finished, HubSpot must hold exactly what one clean run would have written: one contact per
// caller, one deal per contact, one call record per Callsight call (DESIGN.md §6: "every object
// created is written to the ledger before the next step, so a retry after a crash resumes where
// the last attempt stopped").
import type { Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callrailHeaders } from '../../edge/src/demo/sign';
import { callrailCall } from '../../edge/src/demo/samples';
import { openFileClient } from '../support/db';
import { HttpClient } from '../support/http';
import { killAllServers, ServerProcess } from '../support/server-process';
import { callrailPath } from '../support/webhooks';
import { until } from '../support/wait';

/** Short, so that the jobs a dead process held run again soon; longer than one slow sync. */
const LEASE_MS = 4_000;
const CALLERS = 10;
/** Sent before the first kill; the rest arrive after the first restart, before the second kill. */
const FIRST_BATCH = 20;
const TOTAL = 30;
const TOP_MANAGER = '75000001';

/** Every HubSpot create, alone or in a batch, is slow (300-600 ms): a sync spends most of its time inside a create. */
const LATENCY = [
  { method: 'POST', path: '/crm/v3/objects/contacts', latencyMs: 400 },
  { method: 'POST', path: '/crm/v3/objects/deals', latencyMs: 300 },
  { method: 'POST', path: '/crm/v3/objects/calls', latencyMs: 600 },
  { method: 'POST', path: '/crm/v3/objects/tasks', latencyMs: 300 },
  // Syncs running at the same moment log their calls and tasks together (batch create).
  { method: 'POST', path: '/crm/v3/objects/calls/batch/create', latencyMs: 600 },
  { method: 'POST', path: '/crm/v3/objects/tasks/batch/create', latencyMs: 300 },
];

const KITCHEN =
  "Hi, I'm interested in remodeling my kitchen. I've been thinking about it for a while and I'm ready to get some estimates. The kitchen is about 200 square feet and I'm looking to do this in the next 2-3 months. My budget is around $30,000 to $40,000. Can someone come out to give me an estimate?";

/** Running HubSpot sync jobs: the dedupe key is `sync_call:{callId}:{crm}:…`. */
const RUNNING_HUBSPOT_JOBS = `SELECT id FROM jobs WHERE kind = 'sync_call' AND status = 'running' AND dedupe_key LIKE 'sync_call:%:hubspot:%'`;

interface Delivery {
  index: number;
  sourceCallId: string;
  phone: string;
  missed: boolean;
  body: string;
}

/** Ten callers ringing three times each; every fourth call is missed, the others are kitchen leads. */
function deliveries(): Delivery[] {
  return Array.from({ length: TOTAL }, (_, index) => {
    const caller = index % CALLERS;
    const phone = `+1303555${String(150 + caller).padStart(4, '0')}`;
    const missed = index % 4 === 3;
    const sourceCallId = `CALSYNCCRASH${String(index).padStart(3, '0')}`;
    const body = JSON.stringify(
      callrailCall({
        id: sourceCallId,
        phone,
        name: `Caller ${String.fromCharCode(65 + caller)} Crash`,
        answered: !missed,
        duration: missed ? 0 : 120 + index,
        startTime: new Date(Date.UTC(2026, 10, 20, 15) + index * 60_000).toISOString(),
        ...(missed ? {} : { transcription: KITCHEN }),
      }),
    );
    return { index, sourceCallId, phone, missed, body };
  });
}

interface SyncRow {
  callId: string;
  crm: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

interface HubspotObject {
  id: string;
  properties: Record<string, string | null>;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

interface Round {
  syncedBeforeKill: number;
  runningAtKill: number;
  statesAtKill: Record<string, number>;
  restartMs: number;
}

let server: ServerProcess | undefined;
let db: Client | undefined;

beforeAll(async () => {
  // The lease is written by the process that claims a job: every process gets the short one.
  server = await ServerProcess.start({
    env: {
      CALLSIGHT_SANDBOXES: '1',
      CALLSIGHT_DEMO: '1',
      CALLSIGHT_JOB_LEASE_MS: String(LEASE_MS),
      CALLSIGHT_JOB_CONCURRENCY: '6',
    },
    readyTimeoutMs: 45_000,
  });
  db = await openFileClient(server.dbPath);
}, 60_000);

afterAll(async () => {
  db?.close();
  await server?.cleanup();
  await killAllServers();
});

describe('crash: SIGKILL while calls sync into the HubSpot sandbox, restart on the same data dir', () => {
  it('ends with one contact per caller, one deal per contact and one HubSpot call per Callsight call', async () => {
    if (!server || !db) throw new Error('server did not start');
    const s = server;
    const file = db;
    const t0 = performance.now();
    const demo = s.requireDemo();
    const admin = { authorization: `Bearer ${demo.adminKey}` };
    const hooks = deliveries();
    const callIdOf = new Map<string, string>();
    const rounds: Round[] = [];
    const heldJobIds = new Set<string>();

    /**
     * The banner is printed once the demo tenant is connected to the sandboxes at this run's
     * address (after /readyz and demo.json): it names the sandbox and its private-app token.
     */
    const sandboxOfThisRun = () =>
      until('the banner naming the HubSpot sandbox', 30_000, async () => {
        for (const line of s.logs()) {
          const m = /HubSpot\s+(\S+\/sandbox\/hubspot)\s+private app token (\S+)/.exec(line);
          if (m?.[1] && m[2]) return { token: m[2] };
        }
        return null;
      });
    let { token } = await sandboxOfThisRun();

    let http = new HttpClient(s.url, { maxSockets: 8 });
    const hubspotGet = async <T>(path: string): Promise<T> => {
      const res = await http.get(`/sandbox/hubspot${path}`, { authorization: `Bearer ${token}` });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body) as T;
    };
    const addLatency = async () => {
      const res = await http.request('POST', '/sandbox/hubspot/__faults', {
        body: JSON.stringify(LATENCY),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, res.body).toBe(201);
    };
    const send = async (batch: Delivery[]) => {
      for (const hook of batch) {
        const res = await http.post(
          callrailPath(demo.slug),
          hook.body,
          await callrailHeaders(demo.secrets.callrail, hook.body),
        );
        expect(res.status, res.body).toBe(202);
        callIdOf.set(hook.sourceCallId, (JSON.parse(res.body) as { callId: string }).callId);
      }
    };
    const hubspotSyncs = async (): Promise<SyncRow[]> => {
      const res = await http.get(
        '/v1/syncs?status=pending,processing,synced,retrying,failed,dead,resolved&crm=hubspot&limit=200',
        admin,
      );
      expect(res.status, res.body).toBe(200);
      return (JSON.parse(res.body) as { data: SyncRow[] }).data;
    };
    const countByStatus = (rows: SyncRow[]) => {
      const out: Record<string, number> = {};
      for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
      return out;
    };

    /** Waits until HubSpot syncs are under way (some done since `syncedBefore`, not all, one running), then SIGKILL. */
    const killMidSync = async (syncedBefore: number, expected: number) => {
      const seen = await until('HubSpot syncs under way', 30_000, async () => {
        const synced = (await hubspotSyncs()).filter((r) => r.status === 'synced').length;
        const running = (await file.execute(RUNNING_HUBSPOT_JOBS)).rows.length;
        return synced > syncedBefore && synced < expected && running > 0 ? { synced } : null;
      });
      const exit = await s.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      const killedAt = performance.now();
      http.close();
      // What the dead process left, read with nothing else writing.
      const running = await file.execute(RUNNING_HUBSPOT_JOBS);
      for (const row of running.rows) heldJobIds.add(String(row.id));
      const states = await file.execute(
        `SELECT status, count(*) AS n FROM crm_syncs WHERE crm = 'hubspot' GROUP BY status`,
      );
      const statesAtKill = Object.fromEntries(states.rows.map((r) => [String(r.status), Number(r.n)]));

      // Back on the same data dir and port, as `npm start` with a fixed PORT comes back.
      await s.restart({}, { samePort: true });
      ({ token } = await sandboxOfThisRun());
      http = new HttpClient(s.url, { maxSockets: 8 });
      rounds.push({
        syncedBeforeKill: seen.synced,
        runningAtKill: running.rows.length,
        statesAtKill,
        restartMs: Math.round(performance.now() - killedAt),
      });
    };

    // Round 1: slow HubSpot, twenty calls, kill in the middle of their syncs.
    await addLatency();
    await send(hooks.slice(0, FIRST_BATCH));
    await killMidSync(0, FIRST_BATCH);

    // Round 2: HubSpot slow again (faults live in the dead process's memory), ten more calls
    // while the first ones resume, kill again.
    await addLatency();
    const syncedAfterRestart = (await hubspotSyncs()).filter((r) => r.status === 'synced').length;
    await send(hooks.slice(FIRST_BATCH));
    await killMidSync(syncedAfterRestart, TOTAL);

    // HubSpot is fast again: every sync must finish, the held ones once their lease expired.
    const cleared = await http.request('DELETE', '/sandbox/hubspot/__faults');
    expect(cleared.status).toBe(204);
    expect(JSON.parse((await http.get('/sandbox/hubspot/__faults')).body)).toEqual({ faults: [] });
    const lastRestartAt = performance.now();
    const finalSyncs = await until('every HubSpot sync synced', 45_000, async () => {
      const rows = await hubspotSyncs();
      const done = rows.length === TOTAL && rows.every((r) => r.status === 'synced');
      return done ? rows : null;
    }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}: ${JSON.stringify(countByStatus(await hubspotSyncs()))}`);
    });
    const settleMs = Math.round(performance.now() - lastRestartAt);

    // Every delivery was acknowledged with a call of its own, and every call synced into HubSpot.
    const callIds = hooks.map((h) => callIdOf.get(h.sourceCallId));
    expect(callIds.every(Boolean)).toBe(true);
    expect(new Set(callIds).size).toBe(TOTAL);
    expect(finalSyncs.map((r) => r.callId).sort()).toEqual([...(callIds as string[])].sort());

    // What HubSpot holds, read over HTTP with the sandbox's private-app token.
    const all = async (type: string, query: string): Promise<HubspotObject[]> => {
      const out: HubspotObject[] = [];
      let after: string | undefined;
      do {
        const page = await hubspotGet<{ results: HubspotObject[]; paging?: { next?: { after: string } } }>(
          `/crm/v3/objects/${type}?limit=100&${query}${after ? `&after=${after}` : ''}`,
        );
        out.push(...page.results);
        after = page.paging?.next?.after;
      } while (after);
      return out;
    };
    const contacts = await all('contacts', 'properties=phone,firstname,lastname,hubspot_owner_id');
    const deals = await all('deals', 'properties=dealname&associations=contacts');
    const logged = await all('calls', 'properties=callsight_call_id,hs_call_direction&associations=contacts');
    const tasks = await all('tasks', 'properties=callsight_task_id,hs_task_subject,hubspot_owner_id');

    const groupBy = <T>(items: T[], key: (t: T) => string | null | undefined) => {
      const out = new Map<string, T[]>();
      for (const item of items) {
        const k = key(item) ?? '(none)';
        out.set(k, [...(out.get(k) ?? []), item]);
      }
      return out;
    };
    const twice = <T extends { id: string }>(groups: Map<string, T[]>) =>
      Object.fromEntries([...groups].filter(([, v]) => v.length > 1).map(([k, v]) => [k, v.map((o) => o.id)]));
    const sourceOf = new Map([...callIdOf].map(([source, id]) => [id, source]));
    /** For duplicated HubSpot records: the calls whose ledger names each, and how their syncs went. */
    const provenance = async (crmIds: string[], step: string) => {
      const out: Record<string, unknown>[] = [];
      for (const crmId of crmIds) {
        const links = await file.execute({
          sql: `SELECT l.call_id, l.step, l.created_at, s.attempts, s.plan FROM crm_links l
                  JOIN crm_syncs s ON s.tenant_id = l.tenant_id AND s.call_id = l.call_id AND s.crm = l.crm
                 WHERE l.crm = 'hubspot' AND l.step = ? AND l.crm_id = ?`,
          args: [step, crmId],
        });
        out.push({
          crmId,
          ledger: links.rows.map((r) => {
            const plan = JSON.parse(String(r.plan)) as {
              matchedVia?: string | null;
              inputs?: { existing?: unknown };
              plan?: { actions?: { kind: string }[] };
            };
            return {
              call: sourceOf.get(String(r.call_id)),
              recordedAt: Number(r.created_at),
              attempts: Number(r.attempts),
              matchedVia: plan.matchedVia ?? null,
              existing: plan.inputs?.existing,
              actions: plan.plan?.actions?.map((a) => a.kind),
            };
          }),
        });
      }
      return out;
    };
    const summary = {
      rounds,
      heldHubspotJobs: heldJobIds.size,
      settleAfterLastRestartMs: settleMs,
      hubspot: { contacts: contacts.length, deals: deals.length, calls: logged.length, tasks: tasks.length },
      totalMs: Math.round(performance.now() - t0),
    };
    console.log(`sync crash summary ${JSON.stringify(summary)}`);

    // One contact per caller's number.
    const byPhone = groupBy(contacts, (c) => c.properties.phone);
    const phones = [...new Set(hooks.map((h) => h.phone))].sort();
    expect.soft(twice(byPhone), 'contacts created twice for a number (phone → HubSpot ids)').toEqual({});
    expect([...byPhone.keys()].sort()).toEqual(phones);
    expect.soft(contacts.length).toBe(CALLERS);

    // One HubSpot call record per Callsight call: nothing lost, nothing logged twice.
    const byCallId = groupBy(logged, (c) => c.properties.callsight_call_id);
    expect.soft(twice(byCallId), 'calls logged twice (Callsight call id → HubSpot call ids)').toEqual({});
    expect([...byCallId.keys()].sort()).toEqual([...(callIds as string[])].sort());
    expect.soft(logged.length).toBe(TOTAL);

    // One deal per contact, on that contact.
    const contactIds = new Set(contacts.map((c) => c.id));
    const dealContacts = deals.map((d) => (d.associations?.contacts?.results ?? []).map((r) => r.id));
    expect(dealContacts.every((ids) => ids.length === 1 && contactIds.has(ids[0]!))).toBe(true);
    const dealsByContact = groupBy(deals, (d) => d.associations?.contacts?.results[0]?.id);
    expect
      .soft(
        twice(dealsByContact),
        `deals created twice for a contact (contact id → deal ids); who wrote them: ${JSON.stringify(
          await provenance(
            [...dealsByContact.values()].filter((v) => v.length > 1).flatMap((v) => v.map((d) => d.id)),
            'deal',
          ),
        )}`,
      )
      .toEqual({});
    expect([...dealsByContact.keys()].sort()).toEqual([...contactIds].sort());

    // Each call is on its caller's contact, and each missed call has one callback task.
    const contactOfPhone = new Map(contacts.map((c) => [c.properties.phone, c.id]));
    for (const hook of hooks) {
      const [call] = byCallId.get(callIdOf.get(hook.sourceCallId)!) ?? [];
      expect(call?.associations?.contacts?.results.map((r) => r.id)).toEqual([contactOfPhone.get(hook.phone)]);
    }
    const byTaskId = groupBy(tasks, (t) => t.properties.callsight_task_id);
    expect.soft(twice(byTaskId), 'tasks created twice (Callsight task id → HubSpot task ids)').toEqual({});
    for (const hook of hooks.filter((h) => h.missed)) {
      const [task] = byTaskId.get(`${callIdOf.get(hook.sourceCallId)}:callback`) ?? [];
      expect(task?.properties.hs_task_subject, `callback task of ${hook.sourceCallId}`).toMatch(/^Call back /);
      expect(task?.properties.hubspot_owner_id).toBe(TOP_MANAGER);
    }

    // The ledger names the very records HubSpot holds.
    for (const callId of callIds as string[]) {
      const res = await http.get(`/v1/calls/${callId}`, admin);
      const view = JSON.parse(res.body) as { sync: { crm: string; records: { step: string; id: string }[] }[] };
      const records = view.sync.find((x) => x.crm === 'hubspot')?.records ?? [];
      const ledgerId = records.find((r) => r.step === 'call')?.id;
      expect(ledgerId, `the ledger's HubSpot call of ${callId}`).toBeDefined();
      expect((byCallId.get(callId) ?? []).map((c) => c.id)).toContain(ledgerId);
    }

    // The kills left HubSpot syncs claimed, and a later process ran them again.
    expect(heldJobIds.size, `no kill left a HubSpot sync running: ${JSON.stringify(rounds)}`).toBeGreaterThan(0);
    const held = [...heldJobIds];
    // The ledger says `synced` a moment before the runner marks the job done.
    const rerun = await until('the held jobs done', 10_000, async () => {
      const rs = await file.execute({
        sql: `SELECT id, status, attempts FROM jobs WHERE id IN (${held.map(() => '?').join(',')})`,
        args: held,
      });
      return rs.rows.every((r) => r.status === 'done') ? rs.rows : null;
    });
    expect(rerun.length).toBe(held.length);
    for (const row of rerun)
      expect(Number(row.attempts), `attempts of held job ${String(row.id)}`).toBeGreaterThanOrEqual(2);
    http.close();
  }, 120_000);
});
