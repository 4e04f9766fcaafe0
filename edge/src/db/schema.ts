import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

// Times are epoch milliseconds (integer): comparable in SQL, exact to the millisecond, and the
// API formats them as ISO-8601 for people.

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  /** Unguessable: part of webhook URLs that have no signature (Ringostat). */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  defaultCountry: text('default_country').notNull().default('US'),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    email: text('email').notNull(),
    name: text('name'),
    role: text('role', { enum: ['admin', 'manager', 'rep'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('users_tenant_email_uq').on(t.tenantId, t.email)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    userId: text('user_id').references(() => users.id),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'manager', 'rep'] }).notNull(),
    /** SHA-256 of the whole key, hex. The key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    /** The first characters of the key, so people can tell their keys apart. */
    prefix: text('prefix').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId)],
);

export const integrations = sqliteTable(
  'integrations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    kind: text('kind').notNull(),
    /** AES-GCM sealed under CALLSIGHT_ENCRYPTION_KEY, bound to tenant and kind. */
    secretCiphertext: text('secret_ciphertext').notNull(),
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('integrations_tenant_kind_uq').on(t.tenantId, t.kind)],
);

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** Derived from tenant, source and the body's SHA-256: a redelivery lands on the same row. */
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    source: text('source').notNull(),
    eventType: text('event_type').notNull(),
    callId: text('call_id'),
    bodySha256: text('body_sha256').notNull(),
    rawBody: text('raw_body').notNull(),
    contentType: text('content_type'),
    /** Only the headers that matter for audit and replay (signature, content type, user agent). */
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    verdict: text('verdict').notNull(),
    duplicateCount: integer('duplicate_count').notNull().default(0),
    receivedAt: integer('received_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [index('webhook_deliveries_call_idx').on(t.tenantId, t.callId, t.receivedAt)],
);

/** Rejected deliveries are counted, never stored: their bodies are untrusted. */
export const webhookRejections = sqliteTable(
  'webhook_rejections',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    source: text('source').notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull().default(0),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.source, t.reason] })],
);

export const calls = sqliteTable(
  'calls',
  {
    /** Derived from tenant, source and source call id, so one batch can reference it. */
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    source: text('source').notNull(),
    sourceCallId: text('source_call_id').notNull(),
    status: text('status').notNull(),
    direction: text('direction').notNull(),
    outcome: text('outcome').notNull(),
    customerPhoneE164: text('customer_phone_e164'),
    customerPhoneRaw: text('customer_phone_raw'),
    customerPhoneValid: integer('customer_phone_valid', { mode: 'boolean' }),
    customerPhoneCountry: text('customer_phone_country'),
    customerName: text('customer_name'),
    trackingNumberE164: text('tracking_number_e164'),
    trackingNumberRaw: text('tracking_number_raw'),
    agentEmail: text('agent_email'),
    agentPhone: text('agent_phone'),
    agentName: text('agent_name'),
    startedAt: integer('started_at'),
    durationSeconds: integer('duration_seconds'),
    recordingUrl: text('recording_url'),
    transcript: text('transcript'),
    attribution: text('attribution', { mode: 'json' }).$type<Record<string, string | null>>().notNull(),
    sourceAnalysis: text('source_analysis', { mode: 'json' }).$type<Record<string, unknown>>(),
    eventType: text('event_type').notNull(),
    eventRank: integer('event_rank').notNull(),
    /** SHA-256 of the normalised event: an identical event changes nothing. */
    contentHash: text('content_hash').notNull(),
    // The latest analysis, copied onto the call so lists can filter and sort on it.
    leadScore: integer('lead_score'),
    band: text('band'),
    intent: text('intent'),
    disposition: text('disposition'),
    analyzedAt: integer('analyzed_at'),
    firstCall: integer('first_call', { mode: 'boolean' }),
    priorCalls: integer('prior_calls'),
    /** started_at when known, otherwise when first received: the list's sort key. */
    sortAt: integer('sort_at').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('calls_source_call_uq').on(t.tenantId, t.source, t.sourceCallId),
    index('calls_tenant_sort_idx').on(t.tenantId, t.sortAt, t.id),
    index('calls_tenant_phone_idx').on(t.tenantId, t.customerPhoneE164, t.sortAt),
  ],
);

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** Enqueueing the same work twice is a no-op: the second insert meets this key. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /**
     * Jobs of one lane never run at the same time (the syncs of one caller into one CRM: two at
     * once would both find no contact and create two). Null: no such constraint.
     */
    lane: text('lane'),
    status: text('status', { enum: ['queued', 'running', 'done', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    runAt: integer('run_at').notNull(),
    leaseUntil: integer('lease_until'),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    index('jobs_runnable_idx').on(t.status, t.runAt),
    index('jobs_tenant_idx').on(t.tenantId, t.kind, t.status),
    index('jobs_lane_idx').on(t.lane, t.status),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** `key:<id>` for API keys, `cli` for the command line. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_log_tenant_idx').on(t.tenantId, t.at)],
);

/** Every analysis a call has had, newest last: re-analysis adds a version, never overwrites. */
export const analyses = sqliteTable(
  'analyses',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    callId: text('call_id').notNull(),
    version: integer('version').notNull(),
    extractor: text('extractor').notNull(),
    extractorVersion: text('extractor_version').notNull(),
    model: text('model'),
    latencyMs: integer('latency_ms').notNull(),
    /** What the transcript's content hash was when analysed: the same input is not analysed twice. */
    inputHash: text('input_hash').notNull(),
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('analyses_call_version_uq').on(t.tenantId, t.callId, t.version)],
);

/** Per-tenant settings that admins change through the API (scoring weights and rules…). */
export const tenantSettings = sqliteTable(
  'tenant_settings',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

/**
 * One call's sync into one CRM. The plan is computed on the first attempt and kept: a retry runs
 * the same plan, so what the CRM had at the first attempt decides, not a lagging fresh search.
 */
export const crmSyncs = sqliteTable(
  'crm_syncs',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    callId: text('call_id').notNull(),
    crm: text('crm').notNull(),
    status: text('status', {
      enum: ['pending', 'processing', 'synced', 'retrying', 'failed', 'dead', 'resolved'],
    }).notNull(),
    /** The SyncPlan and the inputs it was computed from (contact match, owners, analysis version). */
    plan: text('plan', { mode: 'json' }).$type<Record<string, unknown>>(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The CRM's own words for the last failure, shown to managers as is. */
    crmMessage: text('crm_message'),
    nextAttemptAt: integer('next_attempt_at'),
    /**
     * A create may have reached the CRM without being recorded (the process died, or the request
     * timed out or met a 5xx after sending): the next attempt looks for it before creating again.
     */
    inDoubt: integer('in_doubt', { mode: 'boolean' }).notNull().default(false),
    resolvedNote: text('resolved_note'),
    resolvedBy: text('resolved_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.callId, t.crm] }),
    index('crm_syncs_status_idx').on(t.tenantId, t.status, t.updatedAt),
  ],
);

/** The ledger: every CRM object a sync created, written before the next step runs. */
export const crmLinks = sqliteTable(
  'crm_links',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    callId: text('call_id').notNull(),
    crm: text('crm').notNull(),
    /** contact, deal, call, task:callback, task:hot_lead, task:agent_mapping, do_not_call. */
    step: text('step').notNull(),
    objectType: text('object_type').notNull(),
    crmId: text('crm_id').notNull(),
    url: text('url'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.callId, t.crm, t.step] }),
    index('crm_links_object_idx').on(t.tenantId, t.crm, t.crmId),
  ],
);

/** Phone → CRM contact, so a caller's next call finds the contact even while CRM search lags. */
export const crmPhoneCache = sqliteTable(
  'crm_phone_cache',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    crm: text('crm').notNull(),
    e164: text('e164').notNull(),
    contactId: text('contact_id').notNull(),
    objectType: text('object_type').notNull(),
    ownerId: text('owner_id'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.crm, t.e164] })],
);
