/**
 * Rules that involve more than one option (or production mode). They look at which options are
 * set (`texts`) rather than which parsed successfully, so a badly formatted value still counts as
 * "set" and the operator gets both messages at once.
 */
import type { ConfigProblem } from './config-error.ts';
import { OPTION_NAMES, OPTIONS, type OptionName } from './options.ts';
import type { OptionText, OptionValues } from './option-values.ts';

const TEST_DC_OPTIONS = ['TELEGRAM_TEST_DC_HOST', 'TELEGRAM_TEST_DC_PORT', 'TELEGRAM_TEST_DC_PUBLIC_KEY_FILE'] as const;

export function crossCheckOptions(
  texts: ReadonlyMap<OptionName, OptionText>,
  values: OptionValues,
  production: boolean,
): ConfigProblem[] {
  return [
    ...productionRules(texts, production),
    ...(production ? [] : allOrNone(texts, TEST_DC_OPTIONS, 'the local test data center needs all three')),
    ...sessionKeyPair(texts),
    ...notBelow(values, 'SYNC_TRANSIENT_BACKOFF_BASE_MS', 'SYNC_TRANSIENT_BACKOFF_MAX_MS'),
    ...notBelow(values, 'SYNC_PEER_BACKOFF_BASE_SECONDS', 'SYNC_PEER_BACKOFF_MAX_SECONDS'),
  ];
}

function productionRules(texts: ReadonlyMap<OptionName, OptionText>, production: boolean): ConfigProblem[] {
  if (!production) return [];
  const problems: ConfigProblem[] = [];
  if (!texts.has('DATABASE_URL')) {
    problems.push({
      option: 'DATABASE_URL',
      message: 'is required when NODE_ENV=production (the embedded PostgreSQL is only for development and tests)',
      example: OPTIONS.DATABASE_URL.example,
    });
  }
  for (const name of OPTION_NAMES) {
    if (OPTIONS[name].testingOnly && texts.has(name)) {
      // No example on purpose: the fix is to remove the variable, not to change it.
      problems.push({
        option: name,
        message:
          'is for tests against the local Telegram test data center and is refused when NODE_ENV=production; unset it',
      });
    }
  }
  return problems;
}

function allOrNone(
  texts: ReadonlyMap<OptionName, OptionText>,
  group: readonly OptionName[],
  why: string,
): ConfigProblem[] {
  const set = group.filter((name) => texts.has(name));
  if (set.length === 0 || set.length === group.length) return [];
  return group
    .filter((name) => !texts.has(name))
    .map((name) => ({
      option: name,
      message: `is required because ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set: set all of ${group.join(', ')} or none (${why})`,
      example: OPTIONS[name].example,
    }));
}

function sessionKeyPair(texts: ReadonlyMap<OptionName, OptionText>): ConfigProblem[] {
  const hasKey = texts.has('TELEGRAM_SESSION_ENCRYPTION_KEY');
  const hasId = texts.has('TELEGRAM_SESSION_KEY_ID');
  if (hasKey && !hasId) {
    return [
      {
        option: 'TELEGRAM_SESSION_KEY_ID',
        message:
          'is required when TELEGRAM_SESSION_ENCRYPTION_KEY is set: it is stored with each encrypted session so the key can be rotated later',
        example: OPTIONS.TELEGRAM_SESSION_KEY_ID.example,
      },
    ];
  }
  if (texts.has('TELEGRAM_SESSION_PREVIOUS_KEYS') && !hasKey) {
    return [
      {
        option: 'TELEGRAM_SESSION_PREVIOUS_KEYS',
        message:
          'needs a current key: set TELEGRAM_SESSION_ENCRYPTION_KEY and TELEGRAM_SESSION_KEY_ID to the key sessions are re-encrypted under',
        example: OPTIONS.TELEGRAM_SESSION_PREVIOUS_KEYS.example,
      },
    ];
  }
  if (hasId && !hasKey) {
    return [
      {
        option: 'TELEGRAM_SESSION_ENCRYPTION_KEY',
        message: 'is required when TELEGRAM_SESSION_KEY_ID is set (or unset TELEGRAM_SESSION_KEY_ID)',
        example: OPTIONS.TELEGRAM_SESSION_ENCRYPTION_KEY.example,
      },
    ];
  }
  return [];
}

type NumericOption = {
  [N in OptionName]: OptionValues[N] extends number | undefined ? N : never;
}[OptionName];

function notBelow(values: OptionValues, base: NumericOption, max: NumericOption): ConfigProblem[] {
  const baseValue = values[base];
  const maxValue = values[max];
  if (baseValue === undefined || maxValue === undefined || maxValue >= baseValue) return [];
  return [
    {
      option: max,
      message: `must be at least ${base} (${baseValue}), got ${maxValue}`,
      example: String(Math.max(baseValue, Number(OPTIONS[max].default))),
    },
  ];
}
