// The default (HUBSPOT_DEFINED) association type ids the adapter writes inline on create
// (reference crm-apis.md §1.8: 194, 206, 204, 216 [S]; deal→contact 3 [U]). Association types
// are one-directional: the id names the direction from the record being created.
export const ASSOCIATION = {
  dealToContact: 3,
  callToContact: 194,
  callToDeal: 206,
  taskToContact: 204,
  taskToDeal: 216,
} as const;

export interface InlineAssociation {
  to: { id: string };
  types: { associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }[];
}

export function associateTo(id: string, associationTypeId: number): InlineAssociation {
  return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] };
}
