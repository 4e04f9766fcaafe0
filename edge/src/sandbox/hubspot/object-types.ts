// The HubSpot object types the sandbox serves and the default (HUBSPOT_DEFINED) association types
// between them. Paths accept the plural name, the singular and the object type id, as HubSpot does
// (the deals OpenAPI document itself uses `/crm/v3/objects/0-3`).

export type ObjectType = 'contacts' | 'deals' | 'calls' | 'tasks' | 'notes';

export interface ObjectTypeInfo {
  name: ObjectType;
  singular: string;
  typeId: string;
  /** Properties a GET or search returns when the caller names none. */
  defaultProperties: string[];
  createdProperty: string;
  modifiedProperty: string;
  /** OAuth scope family needed to read or write it (engagements ride on the contacts scopes). */
  scope: 'contacts' | 'deals';
}

const engagement = (name: ObjectType, singular: string, typeId: string): ObjectTypeInfo => ({
  name,
  singular,
  typeId,
  defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  createdProperty: 'hs_createdate',
  modifiedProperty: 'hs_lastmodifieddate',
  scope: 'contacts',
});

export const OBJECT_TYPES: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    name: 'contacts',
    singular: 'contact',
    typeId: '0-1',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    createdProperty: 'createdate',
    modifiedProperty: 'lastmodifieddate',
    scope: 'contacts',
  },
  deals: {
    name: 'deals',
    singular: 'deal',
    typeId: '0-3',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    scope: 'deals',
  },
  calls: engagement('calls', 'call', '0-48'),
  tasks: engagement('tasks', 'task', '0-27'),
  notes: engagement('notes', 'note', '0-46'),
};

export function resolveObjectType(segment: string): ObjectTypeInfo | null {
  const s = segment.toLowerCase();
  for (const info of Object.values(OBJECT_TYPES)) {
    if (s === info.name || s === info.singular || s === info.typeId) return info;
  }
  return null;
}

export interface AssociationType {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  /** The name v3 reads show as `associations.{to}.results[].type`. */
  name: string;
  inverse: number;
}

// Reference crm-apis.md §1.8 lists the forward ids (call→contact 194, call→deal 206,
// task→contact 204, task→deal 216, note→contact 202, note→deal 214, deal→contact 3,
// contact→deal 4). The inverse ids (193, 205, 203, 215, 201, 213) are HubSpot's published
// defaults as far as we know; nothing in the reference confirms them.
const PAIRS: [ObjectType, ObjectType, number, number][] = [
  ['deals', 'contacts', 3, 4],
  ['calls', 'contacts', 194, 193],
  ['calls', 'deals', 206, 205],
  ['tasks', 'contacts', 204, 203],
  ['tasks', 'deals', 216, 215],
  ['notes', 'contacts', 202, 201],
  ['notes', 'deals', 214, 213],
];

export const ASSOCIATION_TYPES: AssociationType[] = PAIRS.flatMap(([from, to, forward, inverse]) => [
  { from, to, typeId: forward, name: `${OBJECT_TYPES[from].singular}_to_${OBJECT_TYPES[to].singular}`, inverse },
  {
    from: to,
    to: from,
    typeId: inverse,
    name: `${OBJECT_TYPES[to].singular}_to_${OBJECT_TYPES[from].singular}`,
    inverse: forward,
  },
]);

export function associationType(from: ObjectType, typeId: number): AssociationType | null {
  return ASSOCIATION_TYPES.find((a) => a.from === from && a.typeId === typeId) ?? null;
}

export function associationTypeById(typeId: number): AssociationType | null {
  return ASSOCIATION_TYPES.find((a) => a.typeId === typeId) ?? null;
}
