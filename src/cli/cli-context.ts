/**
 * What `main.ts` hands every command: the secret registry the output is scrubbed with, and the
 * configuration loader. A leaf module, so the commands do not import `main.ts` (which imports them).
 */
import type { Config } from '../config/index.ts';
import type { SecretRegistry } from '../observability/secret-registry.ts';

export interface CliContext {
  readonly secrets: SecretRegistry;
  readonly loadConfig: () => Config;
}
