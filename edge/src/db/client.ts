import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema';

export { schema };

/**
 * The database as the app sees it. On Node and Workers it is drizzle over libSQL; in the Workers
 * test pool a D1 binding stands in behind the same sqlite dialect and schema (see worker.ts).
 */
export type Db = LibSQLDatabase<typeof schema>;
