/**
 * Secret canaries: distinctive fake secrets to plant in configuration, sessions and log calls, and
 * an assertion that captured output (stdout, stderr, log files, HTTP responses, DB dumps of log
 * tables…) contains none of them. Reuse it in any test that runs real code paths:
 *
 *   const env = { ...process.env, ...canaryEnvironment() };
 *   // run the job / CLI with env, capture its output, then:
 *   assertNoSecretCanaries(output);
 *
 * Each canary is checked in every form it could leak in: as is, URL-encoded, JSON-escaped and, for
 * the phone number, digits only.
 */
import assert from 'node:assert/strict';

export const SECRET_CANARIES = {
  /** 32 hex characters, valid as TELEGRAM_API_HASH. */
  apiHash: 'ca11ab1ec0ffee15ca11ab1ec0ffee15',
  /** Shaped like a GramJS StringSession ("1" + base64). */
  sessionString: '1CanarySessionStringQm9ndXNTZXNzaW9uQ2FuYXJ5U3RyaW5n',
  phoneNumber: '+15550104242',
  loginCode: '47193',
  twoFactorPassword: 'Canary-2FA-Pa55phrase',
  /** Contains characters that must be percent-encoded in a URL, to exercise both forms. */
  databasePassword: 'Canary-DB-p@ss/w0rd',
  /** Base64 of 32 bytes, valid as TELEGRAM_SESSION_ENCRYPTION_KEY. */
  sessionEncryptionKey: Buffer.from('CANARY-session-encryption-key-32').toString('base64'),
} as const;

export type SecretCanaryName = keyof typeof SECRET_CANARIES;

/** A valid DATABASE_URL whose password is the database canary. */
export function canaryDatabaseUrl(host = 'db.invalid', database = 'tg_sync'): string {
  return `postgres://tg_sync:${encodeURIComponent(SECRET_CANARIES.databasePassword)}@${host}:5432/${database}`;
}

/** Environment variables that configure every secret option with a canary (all valid). */
export function canaryEnvironment(): Record<string, string> {
  return {
    TELEGRAM_API_ID: '1234567',
    TELEGRAM_API_HASH: SECRET_CANARIES.apiHash,
    DATABASE_URL: canaryDatabaseUrl(),
    TELEGRAM_SESSION_ENCRYPTION_KEY: SECRET_CANARIES.sessionEncryptionKey,
    TELEGRAM_SESSION_KEY_ID: 'canary-key',
  };
}

/** Every textual form in which a canary could appear in output. */
export function canaryForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  if (/^\+?[\d\s-]+$/.test(value)) forms.add(value.replace(/\D/g, ''));
  return [...forms];
}

/** The canaries (by name) found in `text`, in any form. */
export function findSecretCanaries(text: string): SecretCanaryName[] {
  return (Object.keys(SECRET_CANARIES) as SecretCanaryName[]).filter((name) =>
    canaryForms(SECRET_CANARIES[name]).some((form) => text.includes(form)),
  );
}

export function assertNoSecretCanaries(text: string, where = 'output'): void {
  const found = findSecretCanaries(text);
  assert.deepEqual(found, [], `${where} leaks secret canaries: ${found.join(', ')}\n--- ${where} ---\n${text}`);
}
