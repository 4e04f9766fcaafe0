// The admin's checks on a CRM connection, run with the stored (sealed) credentials.
import type { Services } from '../context';
import { adapterFor, type FetchLike } from '../crm/connection';
import type { HubspotAdapter } from '../crm/hubspot';
import { CrmError, type ConnectionCheck, type CrmKind } from '../crm/port';
import { ApiError } from '../errors';

async function connected(services: Services, tenantId: string, crm: CrmKind) {
  const integration = await services.integrations.get(tenantId, crm);
  if (!integration) throw new ApiError(404, 'not_found', `${crm} is not connected: PUT /v1/integrations/${crm} first`);
  const base: FetchLike = services.crmFetch ?? ((input, init) => fetch(input, init));
  return adapterFor(crm, integration.secret, integration.options, {
    clock: services.clock,
    // Through the syncs' windows: an admin's test must not be the request that draws a 429.
    fetch: services.crmRateLimits ? services.crmRateLimits.wrap(tenantId, crm, base) : base,
  });
}

export async function connectionCheck(services: Services, tenantId: string, crm: CrmKind): Promise<ConnectionCheck> {
  const adapter = await connected(services, tenantId, crm);
  try {
    return await adapter.testConnection();
  } catch (e) {
    // A refused token or an unreachable CRM is the answer to the question, not a server error.
    if (e instanceof CrmError) return { ok: false, account: null, message: e.crmMessage };
    throw e;
  }
}

export async function hubspotSetup(services: Services, tenantId: string) {
  const adapter = (await connected(services, tenantId, 'hubspot')) as HubspotAdapter;
  try {
    return await adapter.setupProperties();
  } catch (e) {
    if (e instanceof CrmError) {
      throw new ApiError(502, 'crm_error', `HubSpot: ${e.crmMessage}`, { kind: e.kind, status: e.status });
    }
    throw e;
  }
}
