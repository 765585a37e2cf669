/**
 * The string scrubber: registered secret values + passwords inside connection URLs. Use it for any
 * text that leaves the process without going through the logger, e.g. a CLI's fatal error on stderr:
 *   process.stderr.write(`${scrubSecrets(String(error.message), secrets)}\n`)
 */
import type { SecretRegistry } from './secret-registry.ts';
import { maskUrlPasswords } from './url-passwords.ts';

export function scrubSecrets(text: string, secrets?: SecretRegistry): string {
  return maskUrlPasswords(secrets === undefined ? text : secrets.scrub(text));
}
