// `callsight`: the command line for operators. Each command opens the database named by
// CALLSIGHT_DB_URL (default file:.data/callsight.db), applying migrations first.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { analyzeTranscript } from './analysis';
import { formatAnalysis } from './analysis-report';
import { RoleSchema, CallSourceSchema } from '@callsight/shared';
import { loadConfig } from './config';
import { loadSecretBox, openDatabase } from './bootstrap';
import { TenantRepo } from './db/repos/tenants';
import { ApiKeyRepo } from './db/repos/api-keys';
import { IntegrationRepo } from './db/repos/integrations';
import { auditInsert } from './db/repos/audit';
import { checkIntegrationOptions } from './sources/options';
import { readDemoTenant } from './demo/demo-tenant';
import { postDemo } from './demo/post-demo';

const usage = `callsight <command>

  migrate                                    apply pending migrations to CALLSIGHT_DB_URL
  tenant create --name NAME [--slug S] [--country CC]
  tenant list
  key create --tenant SLUG --role admin|manager|rep [--name LABEL]
  key revoke --tenant SLUG KEY_ID
  integration set --tenant SLUG callrail|retell|ringostat --secret SECRET [--option key=value ...]
                  [--options-json '{"fieldAliases":{"callId":["my_id"]}}']
  demo [--url http://localhost:8787]         post signed sample webhooks to a running server
  analyze [--json] [--direction inbound|outbound] [--answered true|false] [--duration S] FILE|-
                                             analyse one transcript, as the analyze_call job does
  analyze --jsonl FILE|-                     one call per line ({id, transcript, direction, answered,
                                             duration_s, call_date}) → one JSON result per line
`;

class UsageError extends Error {}

function optionValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export async function runCli(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      country: { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string' },
      secret: { type: 'string' },
      option: { type: 'string', multiple: true },
      'options-json': { type: 'string' },
      url: { type: 'string' },
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      direction: { type: 'string' },
      answered: { type: 'string' },
      duration: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    print(usage);
    return command ? 0 : 1;
  }
  if (command === 'analyze') return analyzeCommand(values, sub, print);
  const config = loadConfig();

  if (command === 'demo') {
    const demo = readDemoTenant(config.dataDir);
    if (!demo) throw new UsageError(`no demo tenant in ${config.dataDir}/demo.json: run \`npm start\` once first`);
    const url = values.url ?? `http://localhost:${config.port}`;
    print(`Posting signed sample webhooks to ${url} for tenant ${demo.slug}`);
    const ok = await postDemo(url, demo, print);
    print(`\nRead them back: curl -H "Authorization: Bearer ${demo.adminKey}" ${url}/v1/calls`);
    return ok ? 0 : 1;
  }

  const { db, close, applied } = await openDatabase(config);
  try {
    const now = Date.now();
    const tenants = new TenantRepo(db);
    const tenantBySlug = async () => {
      if (!values.tenant) throw new UsageError('--tenant SLUG is required');
      const t = await tenants.byIdOrSlug(values.tenant);
      if (!t) throw new UsageError(`no tenant "${values.tenant}" (see \`callsight tenant list\`)`);
      return t;
    };
    switch (`${command} ${sub ?? ''}`.trim()) {
      case 'migrate':
        print(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
        return 0;
      case 'tenant create': {
        if (!values.name) throw new UsageError('--name is required');
        const t = await tenants.create({ name: values.name, slug: values.slug, defaultCountry: values.country }, now);
        print(`created tenant ${t.name}\n  id   ${t.id}\n  slug ${t.slug}`);
        return 0;
      }
      case 'tenant list':
        for (const t of await tenants.list()) print(`${t.id}  ${t.slug}  ${t.name}`);
        return 0;
      case 'key create': {
        const tenant = await tenantBySlug();
        const role = RoleSchema.safeParse(values.role);
        if (!role.success) throw new UsageError('--role must be admin, manager or rep');
        const key = await new ApiKeyRepo(db).issue(tenant.id, role.data, values.name ?? `${role.data} key`, now);
        await auditInsert(
          db,
          tenant.id,
          { actor: 'cli', action: 'key.create', target: key.id, details: { role: role.data } },
          now,
        );
        print(`created ${role.data} key ${key.id} for ${tenant.slug}\n${key.key}\n(shown once: store it now)`);
        return 0;
      }
      case 'key revoke': {
        const tenant = await tenantBySlug();
        if (!arg) throw new UsageError('the key id to revoke is required');
        const revoked = await new ApiKeyRepo(db).revoke(tenant.id, arg, now);
        if (revoked) await auditInsert(db, tenant.id, { actor: 'cli', action: 'key.revoke', target: arg }, now);
        print(revoked ? `revoked ${arg}` : `no active key ${arg} in ${tenant.slug}`);
        return revoked ? 0 : 1;
      }
      case 'integration set': {
        const tenant = await tenantBySlug();
        const kind = CallSourceSchema.safeParse(arg);
        if (!kind.success) throw new UsageError('the source must be callrail, retell or ringostat');
        if (!values.secret || values.secret.length < 8)
          throw new UsageError('--secret (at least 8 characters) is required');
        const options: Record<string, unknown> = values['options-json'] ? JSON.parse(values['options-json']) : {};
        for (const pair of values.option ?? []) {
          const eq = pair.indexOf('=');
          if (eq < 1) throw new UsageError(`--option must be key=value, got "${pair}"`);
          options[pair.slice(0, eq)] = optionValue(pair.slice(eq + 1));
        }
        const checked = checkIntegrationOptions(kind.data, options);
        if (!checked.ok) throw new UsageError(checked.message);
        await new IntegrationRepo(db, await loadSecretBox(config)).set(
          tenant.id,
          kind.data,
          values.secret,
          checked.options,
          now,
        );
        await auditInsert(
          db,
          tenant.id,
          { actor: 'cli', action: 'integration.set', target: kind.data, details: { options: checked.options } },
          now,
        );
        print(`${kind.data} connected for ${tenant.slug}`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${positionals.join(' ')}"\n\n${usage}`);
    }
  } finally {
    close();
  }
}

async function readInput(file: string | undefined): Promise<string> {
  if (!file) throw new UsageError('give a transcript file, or - for standard input');
  if (file !== '-') return readFileSync(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const AnalyzeLine = z.object({
  id: z.union([z.string(), z.number()]),
  transcript: z.string().nullable().default(null),
  direction: z.enum(['inbound', 'outbound']).default('inbound'),
  answered: z.boolean().default(true),
  duration_s: z.number().nonnegative().nullable().default(null),
  call_date: z.string().optional(),
});

async function analyzeCommand(
  values: { json?: boolean; jsonl?: boolean; direction?: string; answered?: string; duration?: string },
  file: string | undefined,
  print: (line: string) => void,
): Promise<number> {
  if (values.jsonl) {
    const text = await readInput(file);
    let failed = 0;
    for (const [i, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      let parsed;
      try {
        parsed = AnalyzeLine.safeParse(JSON.parse(line));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        failed++;
        const field = parsed?.error.issues[0]?.path.join('.') || 'line';
        print(JSON.stringify({ line: i + 1, error: `${field}: ${parsed?.error.issues[0]?.message ?? 'not JSON'}` }));
        continue;
      }
      const c = parsed.data;
      const analysis = await analyzeTranscript({
        transcript: c.transcript,
        direction: c.direction,
        answered: c.answered,
        durationSeconds: c.duration_s,
        callDate: c.call_date ?? new Date(),
      });
      print(JSON.stringify({ id: c.id, ...analysis }));
    }
    return failed ? 1 : 0;
  }
  const direction = values.direction ?? 'inbound';
  if (direction !== 'inbound' && direction !== 'outbound')
    throw new UsageError('--direction must be inbound or outbound');
  if (values.answered !== undefined && !['true', 'false'].includes(values.answered)) {
    throw new UsageError('--answered must be true or false');
  }
  const duration = values.duration === undefined ? null : Number(values.duration);
  if (duration !== null && !(Number.isFinite(duration) && duration >= 0)) {
    throw new UsageError('--duration must be a number of seconds');
  }
  const text = await readInput(file);
  const analysis = await analyzeTranscript({
    transcript: text,
    direction,
    answered: values.answered !== 'false',
    durationSeconds: duration,
    callDate: new Date(),
  });
  print(values.json ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));
  return 0;
}

const invokedDirectly = process.argv[1]?.replace(/\\/g, '/').endsWith('/cli.ts') || process.env.CALLSIGHT_CLI === '1';
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof UsageError || e instanceof Error ? `callsight: ${e.message}` : String(e));
      process.exit(2);
    },
  );
}
