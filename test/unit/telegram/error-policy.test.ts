/**
 * The error-policy table is the one place that lists error codes: each must have exactly one
 * decision and a text an operator can act on, and the derived lists must be what the README says.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT_STOPPING_ERRORS,
  CHANNEL_FORBIDDING_ERRORS,
  ERROR_FAMILIES,
  JOB_REASON,
  LISTED_ERROR_CODES,
  UNLISTED_DECISION,
  errorPolicy,
  isReresolvable,
  peerErrorText,
  telegramErrorPolicy,
  unresolvableText,
  type ErrorDecision,
} from '../../../src/telegram/error-policy.ts';

const DECISIONS: readonly ErrorDecision[] = [
  'flood-wait',
  'migrate',
  'isolate-peer',
  're-resolve',
  'unresolvable',
  'account-fatal',
  'transient',
  'job-error',
];

describe('the error-policy table', () => {
  it('lists each code once, in Telegram’s spelling', () => {
    assert.equal(new Set(LISTED_ERROR_CODES).size, LISTED_ERROR_CODES.length, 'a code is listed twice');
    for (const code of LISTED_ERROR_CODES) assert.match(code, /^[A-Z][A-Z0-9_]*$/, code);
  });

  it('gives every code exactly one decision and a text', () => {
    for (const code of LISTED_ERROR_CODES) {
      const policy = errorPolicy(code);
      assert.ok(policy !== undefined, code);
      assert.ok(DECISIONS.includes(policy.decision), `${code}: ${policy.decision}`);
      assert.ok(policy.text.trim().length >= 10, `${code} has no text`);
      // A listed code is never also decided by a pattern family: one code, one decision.
      const families = ERROR_FAMILIES.filter((family) => family.pattern.test(code));
      assert.deepEqual(families, [], `${code} also matches a pattern family`);
      if (policy.decision === 'account-fatal') assert.ok(['needs_login', 'frozen'].includes(policy.accountStatus));
      // Flood waits and migrations carry a number: they belong to the families, never to an entry.
      assert.notEqual(policy.decision, 'flood-wait', code);
      assert.notEqual(policy.decision, 'migrate', code);
    }
  });

  it('decides the texts that carry a number by pattern, each family with a text', () => {
    const decide = (text: string) =>
      ERROR_FAMILIES.filter((family) => family.pattern.test(text)).map((f) => f.decision);
    assert.deepEqual(decide('FLOOD_WAIT_17'), ['flood-wait']);
    assert.deepEqual(decide('FLOOD_PREMIUM_WAIT_5'), ['flood-wait']);
    assert.deepEqual(decide('SLOWMODE_WAIT_9'), ['flood-wait']);
    assert.deepEqual(decide('USER_MIGRATE_3'), ['migrate']);
    assert.deepEqual(decide('NETWORK_MIGRATE_2'), ['migrate']);
    assert.deepEqual(decide('PHONE_MIGRATE_4'), ['migrate']);
    for (const family of ERROR_FAMILIES) assert.ok(family.text.length >= 10);
  });

  it('keeps the job’s reason codes apart from Telegram’s texts', () => {
    for (const reason of Object.values(JOB_REASON)) {
      assert.ok(LISTED_ERROR_CODES.includes(reason), reason);
      assert.equal(telegramErrorPolicy(reason), undefined, `${reason} is not one of Telegram's texts`);
    }
    assert.equal(telegramErrorPolicy('constructor'), undefined);
    assert.equal(errorPolicy('toString'), undefined);
  });

  it('fails open per peer: an unlisted text isolates the peer and says it is unlisted', () => {
    assert.equal(UNLISTED_DECISION, 'isolate-peer');
    assert.equal(errorPolicy('CHANNEL_MONOFORUM_UNSUPPORTED'), undefined);
    assert.match(peerErrorText('CHANNEL_MONOFORUM_UNSUPPORTED'), /does not list/);
  });

  it('stops an account only for the account-fatal codes, AUTH_KEY_UNREGISTERED and the −404 among them', () => {
    assert.ok(ACCOUNT_STOPPING_ERRORS.includes('AUTH_KEY_UNREGISTERED'));
    assert.ok(ACCOUNT_STOPPING_ERRORS.includes('AUTH_KEY_UNKNOWN_404'));
    for (const code of LISTED_ERROR_CODES)
      assert.equal(ACCOUNT_STOPPING_ERRORS.includes(code), errorPolicy(code)?.decision === 'account-fatal', code);
  });

  it('re-resolves only rejected or missing access hashes', () => {
    assert.deepEqual(LISTED_ERROR_CODES.filter(isReresolvable).sort(), [
      'CHANNEL_INVALID',
      'MISSING_ACCESS_HASH',
      'PEER_ID_INVALID',
      'USER_ID_INVALID',
    ]);
  });

  it('marks a channel forbidden only when Telegram says the account cannot read it', () => {
    assert.deepEqual([...CHANNEL_FORBIDDING_ERRORS].sort(), ['CHANNEL_PRIVATE', 'CHANNEL_PUBLIC_GROUP_NA']);
  });

  it('gives the operator the table’s text for peer and resolution failures', () => {
    for (const code of LISTED_ERROR_CODES) {
      const policy = errorPolicy(code)!;
      if (policy.decision === 'isolate-peer' || policy.decision === 're-resolve')
        assert.equal(peerErrorText(code), policy.text, code);
      if (policy.decision === 'unresolvable') assert.equal(unresolvableText(code), policy.text, code);
    }
    assert.equal(unresolvableText('CHAT_ID_INVALID'), 'Telegram answered CHAT_ID_INVALID');
    assert.match(unresolvableText(JOB_REASON.peerNotFound), /no access to this id/);
  });
});
