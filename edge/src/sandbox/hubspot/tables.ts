// The HubSpot sandbox's own tables. They live beside (or instead of) the product's tables in a
// libSQL database and are created at start with CREATE TABLE IF NOT EXISTS: the product's
// migrations never know about them, and the `hubspot_` prefix keeps them apart from the other
// CRM sandboxes sharing the same file.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { PropertyDefinition, PropertyGroupDefinition } from './property-catalog';

export const hubspotObjects = sqliteTable('hubspot_objects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectType: text('object_type').notNull(),
  properties: text('properties', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
});

/**
 * What search sees: one row per write, visible from `visible_at` on. HubSpot's search index lags
 * its writes by seconds, so a search answers from the newest row already visible, not from
 * `hubspot_objects`.
 */
export const hubspotSearchIndex = sqliteTable('hubspot_search_index', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').notNull(),
  objectType: text('object_type').notNull(),
  properties: text('properties', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  visibleAt: integer('visible_at').notNull(),
});

export const hubspotAssociations = sqliteTable(
  'hubspot_associations',
  {
    fromType: text('from_type').notNull(),
    fromId: integer('from_id').notNull(),
    toType: text('to_type').notNull(),
    toId: integer('to_id').notNull(),
    category: text('category').notNull(),
    typeId: integer('type_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromType, t.fromId, t.toType, t.toId, t.typeId] })],
);

export const hubspotOwners = sqliteTable('hubspot_owners', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  firstName: text('first_name'),
  lastName: text('last_name'),
  userId: integer('user_id').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
});

export const hubspotProperties = sqliteTable(
  'hubspot_properties',
  {
    objectType: text('object_type').notNull(),
    name: text('name').notNull(),
    definition: text('definition', { mode: 'json' }).$type<PropertyDefinition>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.objectType, t.name] })],
);

export const hubspotPropertyGroups = sqliteTable(
  'hubspot_property_groups',
  {
    objectType: text('object_type').notNull(),
    name: text('name').notNull(),
    definition: text('definition', { mode: 'json' }).$type<PropertyGroupDefinition>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.objectType, t.name] })],
);

export const HUBSPOT_SANDBOX_DDL = [
  `CREATE TABLE IF NOT EXISTS hubspot_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    object_type TEXT NOT NULL,
    properties TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX IF NOT EXISTS hubspot_objects_type ON hubspot_objects (object_type, id)`,
  `CREATE TABLE IF NOT EXISTS hubspot_search_index (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    object_id INTEGER NOT NULL,
    object_type TEXT NOT NULL,
    properties TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS hubspot_search_index_type ON hubspot_search_index (object_type, visible_at)`,
  `CREATE INDEX IF NOT EXISTS hubspot_search_index_object ON hubspot_search_index (object_id, visible_at)`,
  `CREATE TABLE IF NOT EXISTS hubspot_associations (
    from_type TEXT NOT NULL,
    from_id INTEGER NOT NULL,
    to_type TEXT NOT NULL,
    to_id INTEGER NOT NULL,
    category TEXT NOT NULL,
    type_id INTEGER NOT NULL,
    PRIMARY KEY (from_type, from_id, to_type, to_id, type_id)
  )`,
  `CREATE TABLE IF NOT EXISTS hubspot_owners (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS hubspot_properties (
    object_type TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (object_type, name)
  )`,
  `CREATE TABLE IF NOT EXISTS hubspot_property_groups (
    object_type TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (object_type, name)
  )`,
];

/** HubSpot ids are large numbers; starting high keeps sandbox ids from looking like row counters. */
export const FIRST_OBJECT_ID = 30_000_001;
