// Account information (`GET /account-info/v3/details`): the portal id that record links need and
// the time zone HubSpot's daily limit resets in. Not among the stored OpenAPI documents: the shape
// follows HubSpot's account-info v3 documentation as we know it.
import { Hono } from 'hono';
import type { SandboxCore, SandboxEnv } from '../core';

function utcOffset(now: number, timeZone: string): { text: string; ms: number } {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(now))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return { text: '+00:00', ms: 0 };
  const ms = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000);
  return { text: `${m[1]}${m[2]}:${m[3]}`, ms };
}

export function accountRoutes(core: SandboxCore) {
  return new Hono<SandboxEnv>().get('/account-info/v3/details', (c) => {
    const offset = utcOffset(core.clock.now(), core.timeZone);
    return c.json({
      portalId: core.portalId,
      accountType: 'STANDARD',
      timeZone: core.timeZone,
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: offset.text,
      utcOffsetMilliseconds: offset.ms,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });
}
