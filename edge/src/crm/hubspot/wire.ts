// The parts of HubSpot's JSON the adapter reads (OpenAPI `SimplePublicObject`, v4
// `MultiAssociatedObjectWithLabel`, `Pipeline`, account-info details). Values HubSpot leaves
// empty may come as null.

export interface HubspotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: string;
  updatedAt?: string;
}

export interface Page<T> {
  results?: T[];
  paging?: { next?: { after?: string } };
}

export interface V4Association {
  /** A string in the OpenAPI document; a number in some live answers. */
  toObjectId: string | number;
}

export interface AccountDetails {
  portalId?: number | string;
  timeZone?: string;
  uiDomain?: string;
}

export interface PipelineStages {
  id: string;
  stages?: { id: string; metadata?: Record<string, string> }[];
}

export interface HubspotOwner {
  id: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}

/** Only set values: HubSpot treats "" as "clear this property". */
export function compact(values: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== '') out[k] = v;
  return out;
}

/** ISO 8601 in UTC; a value that is not a time goes as is, for HubSpot to reject with its own words. */
export function hubspotTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

export function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
