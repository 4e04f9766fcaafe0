import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock';
import { createSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce';
import { API, INSTANCE, sandboxToken } from './support';

// The sandbox against Salesforce's documented behaviour: paths, status codes, error arrays.

let sandbox: SalesforceSandbox;
let clock: ManualClock;
afterEach(() => sandbox?.close());

async function open(options: Parameters<typeof createSalesforceSandbox>[0] = {}) {
  clock = new ManualClock();
  sandbox = createSalesforceSandbox({ clock, ...options });
  return sandboxToken(sandbox);
}

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await sandbox.app.request(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
};
const q = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;
const find = (sosl: string) => `/search?q=${encodeURIComponent(sosl)}`;
const PHONE_SOSL = (terms: string) =>
  `FIND {${terms}} IN PHONE FIELDS RETURNING Contact(Id, Phone, MobilePhone, OwnerId, LastModifiedDate, Name), Lead(Id, Phone, MobilePhone, Name WHERE IsConverted = false)`;

describe('OAuth client credentials', () => {
  const token = (form: Record<string, string>) =>
    sandbox.app.request(`${INSTANCE}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('issues a bearer token with the instance it was asked on', async () => {
    await open();
    const res = await token({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({
      token_type: 'Bearer',
      instance_url: INSTANCE,
      issued_at: String(clock.now()),
      scope: 'api',
    });
    expect(body.access_token).toMatch(/^00D\w{12}!/);
    expect(body.id).toMatch(new RegExp(`^${INSTANCE}/id/00D\\w{15}/005\\w{15}$`));
  });

  it("answers a bad client with Salesforce's OAuth errors", async () => {
    await open();
    const wrongSecret = await token({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: 'nope',
    });
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    const unknown = await token({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'x' });
    expect(await unknown.json()).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    const grant = await token({ grant_type: 'password', client_id: sandbox.clientId });
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('refuses missing, unknown and expired sessions with 401 INVALID_SESSION_ID', async () => {
    const good = await open({ sessionTtlMs: 60_000 });
    const expected = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
    expect(await call('made-up', 'GET', q('SELECT Id FROM User'))).toMatchObject({ status: 401, body: expected });
    expect((await call(good, 'GET', q('SELECT Id FROM User'))).status).toBe(200);
    clock.advance(60_000);
    expect(await call(good, 'GET', q('SELECT Id FROM User'))).toMatchObject({ status: 401, body: expected });
  });
});

describe('versions', () => {
  it('lists versions without a session and 404s the ones it does not serve', async () => {
    const token = await open();
    const res = await sandbox.app.request(`${INSTANCE}/services/data/`);
    const versions = (await res.json()) as Array<{ version: string; label: string; url: string }>;
    expect(versions).toContainEqual({ label: "Spring '24", url: '/services/data/v60.0', version: '60.0' });
    expect(versions).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    const old = await sandbox.app.request(`${INSTANCE}/services/data/v20.0/limits`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(old.status).toBe(404);
    expect(await old.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
});

describe('sObject rows', () => {
  it('creates a Lead (201 {id, success, errors}) and reads it by the 18- and 15-character id', async () => {
    const token = await open();
    const created = await call(token, 'POST', '/sobjects/Lead', {
      LastName: 'Mills',
      Company: 'Acme',
      Phone: '(214) 865-4559',
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    expect(created.body).toEqual({ id, success: true, errors: [] });
    expect(id).toMatch(/^00Q\w{15}$/);
    const read = await call(token, 'GET', `/sobjects/Lead/${id.slice(0, 15)}`);
    expect(read.body).toMatchObject({
      attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${id}` },
      Id: id,
      Name: 'Mills',
      Status: 'Open - Not Contacted',
      DoNotCall: false,
      IsConverted: false,
      CreatedDate: '2026-11-22T12:00:00.000+0000',
    });
  });

  it('rejects a Lead without LastName and Company with REQUIRED_FIELD_MISSING naming both', async () => {
    const token = await open();
    const res = await call(token, 'POST', '/sobjects/Lead', { FirstName: 'Kay', Phone: '+14155550100' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'Required fields are missing: [LastName, Company]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName', 'Company'],
      },
    ]);
  });

  it('rejects unknown fields, read-only fields, bad picklist values, wrong types and bad JSON', async () => {
    const token = await open();
    const lead = { LastName: 'M', Company: 'C' };
    expect((await call(token, 'POST', '/sobjects/Lead', { ...lead, Shoe_Size__c: 9 })).body).toEqual([
      { message: "No such column 'Shoe_Size__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' },
    ]);
    expect((await call(token, 'POST', '/sobjects/Lead', { ...lead, Name: 'X' })).body).toMatchObject([
      { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] },
    ]);
    expect((await call(token, 'POST', '/sobjects/Task', { CallType: 'Sideways' })).body).toEqual([
      {
        message: 'Call Type: bad value for restricted picklist field: Sideways',
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        fields: ['CallType'],
      },
    ]);
    expect((await call(token, 'POST', '/sobjects/Task', { CallDurationInSeconds: 'long' })).body).toMatchObject([
      { errorCode: 'JSON_PARSER_ERROR' },
    ]);
    expect((await call(token, 'POST', '/sobjects/Lead', '{not json')).body).toMatchObject([
      { errorCode: 'JSON_PARSER_ERROR' },
    ]);
    expect((await call(token, 'POST', '/sobjects/Widget__c', lead)).status).toBe(404);
  });

  it('checks references: a Task WhoId must be an existing Contact or Lead', async () => {
    const token = await open();
    const [user] = await sandbox.records('User');
    expect((await call(token, 'POST', '/sobjects/Task', { WhoId: user?.Id })).body).toMatchObject([
      { errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhoId'] },
    ]);
    expect((await call(token, 'POST', '/sobjects/Task', { WhoId: '003000000000000AAA' })).body).toMatchObject([
      { errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['WhoId'] },
    ]);
  });

  it('updates with PATCH (204) and keeps LastModifiedDate on the sandbox clock', async () => {
    const token = await open();
    const id = await sandbox.create('Contact', { LastName: 'Mills' });
    clock.advance(5_000);
    expect((await call(token, 'PATCH', `/sobjects/Contact/${id}`, { DoNotCall: true })).status).toBe(204);
    expect(await sandbox.record(id)).toMatchObject({
      DoNotCall: true,
      LastModifiedDate: '2026-11-22T12:00:05.000+0000',
    });
    expect((await call(token, 'GET', '/sobjects/Contact/003000000000000AAA')).status).toBe(404);
    expect((await call(token, 'GET', '/sobjects/Contact/not-an-id')).body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: not-an-id' },
    ]);
  });

  it('blocks a Lead with an existing phone when the duplicate rule is on, naming the match', async () => {
    const token = await open({ duplicateRules: true });
    const first = (await call(token, 'POST', '/sobjects/Lead', { LastName: 'A', Company: 'C', Phone: '415-555-0100' }))
      .body as { id: string };
    const second = await call(token, 'POST', '/sobjects/Lead', {
      LastName: 'B',
      Company: 'C',
      Phone: '(415) 555 0100',
    });
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject([
      {
        errorCode: 'DUPLICATES_DETECTED',
        duplicateResult: { matchResults: [{ matchRecords: [{ record: { Id: first.id } }] }] },
      },
    ]);
  });
});

describe('upsert by external id', () => {
  const path = '/sobjects/Task/Callsight_Call_Id__c/call%3A42';

  it('creates (201, created: true), then updates the same Task (200, created: false)', async () => {
    const token = await open();
    const first = await call(token, 'PATCH', path, { Subject: 'Call', TaskSubtype: 'Call' });
    expect(first.status).toBe(201);
    const { id } = first.body as { id: string };
    expect(first.body).toEqual({ id, success: true, errors: [], created: true });
    const second = await call(token, 'PATCH', path, { Subject: 'Call, again' });
    expect(second).toMatchObject({ status: 200, body: { id, success: true, errors: [], created: false } });
    expect(await sandbox.records('Task')).toHaveLength(1);
    expect((await call(token, 'GET', path)).body).toMatchObject({
      Id: id,
      Subject: 'Call, again',
      Callsight_Call_Id__c: 'call:42',
    });
  });

  it('answers 204 to an update before v46.0', async () => {
    const token = await open();
    await call(token, 'PATCH', path, { Subject: 'Call' });
    const res = await sandbox.app.request(`${INSTANCE}/services/data/v45.0${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ Subject: 'Call 2' }),
    });
    expect(res.status).toBe(204);
  });

  it('refuses to update the create-only TaskSubtype, and a value not on the field', async () => {
    const token = await open();
    await call(token, 'PATCH', path, { Subject: 'Call', TaskSubtype: 'Call' });
    expect((await call(token, 'PATCH', path, { TaskSubtype: 'Call' })).body).toMatchObject([
      { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['TaskSubtype'] },
    ]);
    expect((await call(token, 'PATCH', '/sobjects/Task/Subject/x', {})).body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: Subject' },
    ]);
    expect((await call(token, 'PATCH', `${path.replace('42', '43')}?updateOnly=true`, {})).status).toBe(404);
  });

  it('refuses a second record with the same unique external id', async () => {
    const token = await open();
    await call(token, 'PATCH', path, {});
    expect((await call(token, 'POST', '/sobjects/Task', { Callsight_Call_Id__c: 'CALL:42' })).body).toMatchObject([
      { errorCode: 'DUPLICATE_VALUE', fields: ['Callsight_Call_Id__c'] },
    ]);
  });
});

describe('SOSL phone search', () => {
  it('finds phone numbers by their digits, whatever their formatting, with or without the country code', async () => {
    const token = await open();
    const ids = {
      parens: await sandbox.create('Contact', { LastName: 'Parens', Phone: '(415) 555-0100' }),
      dotted: await sandbox.create('Contact', { LastName: 'Mobile', MobilePhone: '+1.415.555.0100' }),
      lead: await sandbox.create('Lead', { LastName: 'Lead', Company: 'C', Phone: '001 415 555 0100' }),
      other: await sandbox.create('Contact', { LastName: 'Other', Phone: '(415) 555-0199' }),
    };
    for (const term of ['4155550100', '14155550100', '"415-555-0100"']) {
      const res = await call(token, 'GET', find(PHONE_SOSL(term)));
      const found = (res.body as { searchRecords: Array<{ Id: string; attributes: { type: string } }> }).searchRecords;
      expect(found.map((r) => r.Id).sort(), term).toEqual([ids.parens, ids.dotted, ids.lead].sort());
      expect(found.find((r) => r.Id === ids.lead)?.attributes.type).toBe('Lead');
    }
  });

  it('only returns the fields asked for, in RETURNING order, and honours OR between terms', async () => {
    const token = await open();
    const uk = await sandbox.create('Contact', { LastName: 'Uk', Phone: '020 7946 0958' });
    const res = await call(token, 'GET', find(PHONE_SOSL('"442079460958" OR "2079460958"')));
    expect(res.body).toEqual({
      searchRecords: [
        {
          attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${uk}` },
          Id: uk,
          Phone: '020 7946 0958',
          MobilePhone: null,
          OwnerId: expect.stringMatching(/^005/),
          LastModifiedDate: '2026-11-22T12:00:00.000+0000',
          Name: 'Uk',
        },
      ],
    });
  });

  it('sees new records and changed numbers only after the index lag', async () => {
    const token = await open({ searchLagMs: 10_000 });
    const id = await sandbox.create('Contact', { LastName: 'Fresh', Phone: '+1 415 555 0100' });
    const hits = async (term: string) =>
      ((await call(token, 'GET', find(PHONE_SOSL(term)))).body as { searchRecords: unknown[] }).searchRecords.length;
    expect(await hits('4155550100')).toBe(0);
    expect((await call(token, 'GET', `/sobjects/Contact/${id}`)).status).toBe(200);
    clock.advance(10_000);
    expect(await hits('4155550100')).toBe(1);
    await sandbox.update(id, { Phone: '+1 415 555 0177' });
    expect([await hits('4155550100'), await hits('4155550177')]).toEqual([1, 0]);
    clock.advance(10_000);
    expect([await hits('4155550100'), await hits('4155550177')]).toEqual([0, 1]);
  });

  it('answers searches it does not understand with MALFORMED_SEARCH, short terms with INVALID_SEARCH', async () => {
    const token = await open();
    expect((await call(token, 'GET', find('FIND {Mills} IN NAME FIELDS RETURNING Contact'))).body).toMatchObject([
      { errorCode: 'MALFORMED_SEARCH' },
    ]);
    expect((await call(token, 'GET', find('SELECT Id FROM Contact'))).body).toMatchObject([
      { errorCode: 'MALFORMED_SEARCH' },
    ]);
    expect((await call(token, 'GET', find(PHONE_SOSL('4')))).body).toMatchObject([{ errorCode: 'INVALID_SEARCH' }]);
  });
});

describe('SOQL', () => {
  it('finds a User by email, case-insensitively, with only the selected fields', async () => {
    const token = await open();
    const res = await call(
      token,
      'GET',
      q("SELECT Id, Name, Email FROM User WHERE Email = 'ADMIN@sandbox.callsight.test' AND IsActive = true LIMIT 1"),
    );
    expect(res.body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'User', url: expect.stringMatching(/\/sobjects\/User\/005/) },
          Id: expect.stringMatching(/^005/),
          Name: 'Sandra Admin',
          Email: 'admin@sandbox.callsight.test',
        },
      ],
    });
  });

  it("finds a Contact's open Opportunities, newest first", async () => {
    const token = await open();
    const contact = await sandbox.create('Contact', { LastName: 'Mills' });
    const opp = (name: string, stage: string) =>
      sandbox.create('Opportunity', { Name: name, StageName: stage, CloseDate: '2026-12-31', ContactId: contact });
    await opp('old', 'Prospecting');
    clock.advance(1000);
    await opp('won', 'Closed Won');
    clock.advance(1000);
    const newest = await opp('new', 'Qualification');
    const res = await call(
      token,
      'GET',
      q(
        `SELECT Id, Name FROM Opportunity WHERE ContactId = '${contact.slice(0, 15)}' AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT 5`,
      ),
    );
    const records = (res.body as { records: Array<{ Id: string; Name: string }> }).records;
    expect(records.map((r) => r.Name)).toEqual(['new', 'old']);
    expect(records[0]?.Id).toBe(newest);
  });

  it('answers shapes it does not know with MALFORMED_QUERY, unknown names with INVALID_FIELD / INVALID_TYPE', async () => {
    const token = await open();
    const error = async (soql: string) =>
      ((await call(token, 'GET', q(soql))).body as Array<{ errorCode: string }>)[0]?.errorCode;
    expect(await error("SELECT Id FROM User WHERE Email = 'a' OR Email = 'b'")).toBe('MALFORMED_QUERY');
    expect(await error("SELECT Id FROM User WHERE Email LIKE 'a%'")).toBe('MALFORMED_QUERY');
    expect(await error('SELECT COUNT() FROM User')).toBe('MALFORMED_QUERY');
    expect(await error('SELECT Shoe FROM User')).toBe('INVALID_FIELD');
    expect(await error('SELECT Id FROM Account__x')).toBe('INVALID_TYPE');
    expect(await error("SELECT Id FROM User WHERE Email = 'it\\'s'")).toBeUndefined();
  });
});

describe('daily request allocation', () => {
  it('reports usage in Sforce-Limit-Info and answers 403 REQUEST_LIMIT_EXCEEDED over the limit, never 429', async () => {
    const token = await open({ dailyRequestLimit: 3 });
    const first = await call(token, 'GET', '/limits');
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=1/3');
    expect(first.body).toEqual({ DailyApiRequests: { Max: 3, Remaining: 2 } });
    await call(token, 'GET', '/limits');
    expect((await call(token, 'GET', '/limits')).headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    const over = await call(token, 'POST', '/sobjects/Lead', { LastName: 'M', Company: 'C' });
    expect(over.status).toBe(403);
    expect(over.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    expect(over.headers.get('retry-after')).toBeNull();
    expect(await sandbox.records('Lead')).toHaveLength(0);
    // The versions list never counts; the token endpoint is not an API call either.
    expect((await sandbox.app.request(`${INSTANCE}/services/data/`)).status).toBe(200);
  });

  it('frees the allocation as the rolling 24 hours move on', async () => {
    const token = await open({ dailyRequestLimit: 2, sessionTtlMs: 48 * 3600_000 });
    await call(token, 'GET', '/limits');
    clock.advance(12 * 3600_000);
    await call(token, 'GET', '/limits');
    expect((await call(token, 'GET', '/limits')).status).toBe(403);
    clock.advance(12 * 3600_000);
    expect((await call(token, 'GET', '/limits')).headers.get('sforce-limit-info')).toBe('api-usage=2/2');
  });
});

describe('mounting, faults and persistence', () => {
  it('works mounted under /sandbox/salesforce: instance_url and fault paths follow the mount', async () => {
    clock = new ManualClock();
    sandbox = createSalesforceSandbox({ clock });
    const node = new Hono().route('/sandbox/salesforce', sandbox.app);
    const tokenRes = await node.request('http://localhost:8787/sandbox/salesforce/services/oauth2/token', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
      }),
    });
    const { access_token, instance_url } = (await tokenRes.json()) as Record<string, string>;
    expect(instance_url).toBe('http://localhost:8787/sandbox/salesforce');
    sandbox.faults.add({
      path: '/services/data/*/sobjects/**',
      times: 1,
      respond: { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }] },
    });
    const post = () =>
      node.request(`${instance_url}/services/data/v62.0/sobjects/Lead`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}` },
        body: JSON.stringify({ LastName: 'M', Company: 'C' }),
      });
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(201);
  });

  it('takes faults over HTTP at /__faults, outside auth and the faults themselves', async () => {
    const token = await open();
    const admin = (method: string, body?: unknown) =>
      sandbox.app.request(`${INSTANCE}/__faults`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const added = await admin('POST', {
      path: '/services/data/**',
      respond: { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }] },
    });
    expect(added.status).toBe(201);
    expect((await call(token, 'GET', '/limits')).status).toBe(503);
    expect(((await (await admin('GET')).json()) as { faults: unknown[] }).faults).toHaveLength(1);
    expect((await admin('POST', { path: 1 })).status).toBe(400);
    expect((await admin('DELETE')).status).toBe(204);
    expect((await call(token, 'GET', '/limits')).status).toBe(200);
  });

  it('keeps its org in a libSQL file across restarts (tables created if missing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-sandbox-'));
    try {
      const url = `file:${join(dir, 'salesforce.db')}`;
      const first = createSalesforceSandbox({ db: url });
      const id = await first.create('Lead', { LastName: 'Kept', Company: 'C' });
      const [org] = await first.records('Organization');
      first.close();
      sandbox = createSalesforceSandbox({ db: url });
      expect(await sandbox.record(id)).toMatchObject({ Name: 'Kept' });
      expect((await sandbox.records('Organization')).map((o) => o.Id)).toEqual([org?.Id]);
      expect(await sandbox.records('User')).toHaveLength(1);
    } finally {
      sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
