// Calls and tasks of several syncs written in one request (`POST /crm/v3/objects/{type}/batch/create`):
// a batch counts once against HubSpot's 190 requests per 10 s, which is what lets a busy tenant
// log a call for fewer than two requests. Each sync still gets its own record or its own error.
import { CrmError } from '../port';
import type { InlineAssociation } from './associations';
import type { HubspotHttp } from './http';
import type { HubspotObject } from './wire';

export interface EngagementInput {
  properties: Record<string, string>;
  associations: InlineAssociation[];
  /** Callsight's id, also in `idProperty`: how a result is told apart when the trace id is missing. */
  externalId: string;
}

/** HubSpot takes at most 100 inputs per batch. */
export const MAX_BATCH_CREATE = 100;

interface BatchAnswer {
  results?: (HubspotObject & { objectWriteTraceId?: string })[];
  errors?: unknown[];
  numErrors?: number;
}

/** One outcome per input, in input order: the record, or why it was not created. */
export async function createEach(
  http: HubspotHttp,
  objectType: string,
  inputs: EngagementInput[],
  idProperty: string,
): Promise<(HubspotObject | CrmError)[]> {
  const single = (input: EngagementInput) =>
    http
      .post<HubspotObject>(`/crm/v3/objects/${objectType}`, {
        properties: input.properties,
        associations: input.associations,
      })
      .catch(asOutcome);
  if (inputs.length === 1) return [await single(inputs[0] as EngagementInput)];

  let answer: BatchAnswer;
  try {
    answer = await http.post<BatchAnswer>(`/crm/v3/objects/${objectType}/batch/create`, {
      inputs: inputs.map((input, i) => ({
        properties: input.properties,
        associations: input.associations,
        // Results may come back in any order: the trace id says whose each one is.
        objectWriteTraceId: String(i),
      })),
    });
  } catch (e) {
    // HubSpot refuses a whole batch for one bad input: send each alone, so the good ones go
    // through and the bad one gets HubSpot's words about itself. Throttling and outages are the
    // same for every input and go back to all of them.
    if (e instanceof CrmError && e.kind === 'permanent') return Promise.all(inputs.map(single));
    throw e;
  }

  const outcomes: (HubspotObject | CrmError | null)[] = inputs.map(() => null);
  for (const result of answer.results ?? []) {
    const byTrace = result.objectWriteTraceId !== undefined ? Number(result.objectWriteTraceId) : NaN;
    const i = Number.isInteger(byTrace)
      ? byTrace
      : inputs.findIndex((input) => result.properties[idProperty] === input.externalId);
    if (i >= 0 && i < inputs.length && outcomes[i] === null) outcomes[i] = result;
  }
  const partial = (answer.errors?.length ?? 0) > 0 || (answer.numErrors ?? 0) > 0;
  return Promise.all(
    outcomes.map(async (outcome, i) => {
      if (outcome) return outcome;
      const input = inputs[i] as EngagementInput;
      // 207: the inputs without a result were refused; alone, each learns why.
      if (partial) return single(input);
      // A complete answer that lacks this input: it may exist all the same. Not created again
      // here; the sync looks for it by Callsight's id before trying again.
      return new CrmError(
        'hubspot',
        'retryable',
        `HubSpot's batch answer did not include ${objectType} ${input.externalId}`,
        null,
      );
    }),
  );
}

function asOutcome(e: unknown): CrmError {
  if (e instanceof CrmError) return e;
  throw e;
}
