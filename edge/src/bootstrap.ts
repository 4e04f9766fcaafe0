// Node-only start-up pieces shared by the server (node.ts) and the CLI.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SecretBox } from './auth/secret-box';
import type { NodeConfig } from './config';
import { migrate } from './db/migrate';
import { openLibsqlDb, type LibsqlDbHandle } from './db/libsql';

export async function openDatabase(config: NodeConfig): Promise<LibsqlDbHandle & { applied: string[] }> {
  if (config.dbUrl.startsWith('file:')) {
    const path = config.dbUrl.slice('file:'.length);
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const handle = await openLibsqlDb(config.dbUrl, config.dbAuthToken);
  const applied = await migrate(handle.db);
  return { ...handle, applied };
}

/**
 * The key that seals integration secrets. Production sets CALLSIGHT_ENCRYPTION_KEY; a local run
 * without it gets a key generated once and kept beside the database (mode 600).
 */
export async function loadSecretBox(config: NodeConfig): Promise<SecretBox> {
  if (config.encryptionKey) return SecretBox.fromBase64Key(config.encryptionKey);
  const file = join(config.dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${SecretBox.generateKey()}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return SecretBox.fromBase64Key(readFileSync(file, 'utf8'));
}
