import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './src/db/schema.ts',
  out: './migrations',
  dbCredentials: { url: process.env.CALLSIGHT_DB_URL ?? 'file:../.data/callsight.db' },
});
