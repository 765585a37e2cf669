/**
 * The secret values inside a Config, for registering with the log scrubber
 * (`SecretRegistry.addAll(configSecretValues(config))`) right after loading.
 */
import type { Config } from './config-types.ts';
import { databaseUrlPassword } from './database-url.ts';

export function configSecretValues(config: Config): string[] {
  const values = [config.telegram.apiHash];
  if (config.telegram.sessionEncryption !== undefined) {
    values.push(
      config.telegram.sessionEncryption.encryptionKey,
      ...config.telegram.sessionEncryption.previousKeys.map((key) => key.encryptionKey),
    );
  }
  if (config.database.kind === 'external') {
    const password = databaseUrlPassword(config.database.url);
    if (password !== undefined) values.push(password);
  }
  return values;
}
