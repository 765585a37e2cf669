/**
 * From raw inputs to typed option values, one option at a time so that every bad option is
 * reported, not only the first: (1) pick each option's text (environment over config file),
 * (2) parse it with the option's zod schema (or its default), (3) resolve relative paths.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ConfigProblem } from './config-error.ts';
import type { ConfigFileValues } from './config-file.ts';
import { maskUrlPasswords, redactDatabaseUrl } from '../observability/redaction.ts';
import { OPTION_NAMES, OPTIONS, optionSpec, type OptionName, type OptionSpec, type OptionValue } from './options.ts';
import { SECRET_FILE_VARIABLES } from './secret-files.ts';
import { suggestName } from './suggest-name.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export type ValueSource =
  | { readonly kind: 'env' }
  | { readonly kind: 'file'; readonly path: string; readonly directory: string }
  | { readonly kind: 'default' };

export interface OptionText {
  readonly text: string;
  readonly source: ValueSource;
}

export type OptionValues = { -readonly [N in OptionName]?: OptionValue<N> };

/** Variables with these prefixes belong to this program, so an unknown one is probably a typo. */
const OWN_PREFIXES = ['TG_SYNC_', 'SYNC_', 'TELEGRAM_', 'EMBEDDED_PG_'];

export function pickOptionTexts(env: Environment, file: ConfigFileValues | undefined): Map<OptionName, OptionText> {
  const texts = new Map<OptionName, OptionText>();
  for (const name of OPTION_NAMES) {
    // Values are trimmed: a trailing newline from `$(cat secret-file)` is a mistake, never intended.
    const fromEnv = env[name]?.trim();
    const fromFile = file?.values.get(name)?.trim();
    if (fromEnv !== undefined && fromEnv !== '') {
      texts.set(name, { text: fromEnv, source: { kind: 'env' } });
    } else if (file !== undefined && fromFile !== undefined && fromFile !== '') {
      texts.set(name, { text: fromFile, source: { kind: 'file', path: file.path, directory: file.directory } });
    }
  }
  return texts;
}

export function unknownOwnVariables(env: Environment): string[] {
  return Object.keys(env)
    .filter((name) => OWN_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .filter((name) => !Object.hasOwn(OPTIONS, name) && !SECRET_FILE_VARIABLES.has(name))
    .sort()
    .map((name) => {
      const suggestion = suggestName(name, OPTION_NAMES);
      return `environment variable ${name} is not a tg-dialog-sync option and is ignored${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`;
    });
}

export function parseOptionTexts(
  texts: ReadonlyMap<OptionName, OptionText>,
  {
    cwd,
    reportMissing,
    inScope = () => true,
  }: { readonly cwd: string; readonly reportMissing: boolean; readonly inScope?: (name: OptionName) => boolean },
): { values: OptionValues; problems: ConfigProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const name of OPTION_NAMES.filter(inScope)) {
    const spec = optionSpec(name);
    const given = texts.get(name);
    const input =
      given ?? (spec.default === undefined ? undefined : { text: spec.default, source: { kind: 'default' } as const });
    if (input === undefined) {
      if (spec.requirement === 'required' && reportMissing) {
        problems.push({ option: name, message: `is required: ${spec.description}`, example: spec.example });
      }
      continue;
    }
    const parsed = spec.schema.safeParse(input.text);
    if (!parsed.success) {
      const reasons = [...new Set(parsed.error.issues.map((issue) => issue.message))].join('; ');
      problems.push({ option: name, message: `${reasons}${describeReceived(spec, input)}`, example: spec.example });
      continue;
    }
    values[name] = spec.isPath ? resolvePath(parsed.data as string, input.source, cwd) : parsed.data;
  }
  return { values: values as OptionValues, problems };
}

/** The "(got …)" suffix of an error: plain for ordinary options, masked or absent for secrets. */
export function describeReceived(spec: OptionSpec, input: OptionText): string {
  const where = input.source.kind === 'file' ? ` in ${input.source.path}` : '';
  switch (spec.secret) {
    case 'whole':
      return where === '' ? '' : ` (set${where})`;
    case 'url-password':
      return ` (got ${redactDatabaseUrl(input.text)}${where})`;
    case 'none':
      // Masked anyway, in case a connection URL with a password was pasted into the wrong option.
      return ` (got ${JSON.stringify(shorten(maskUrlPasswords(input.text)))}${where})`;
  }
}

function shorten(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

function resolvePath(path: string, source: ValueSource, cwd: string): string {
  if (isAbsolute(path)) return path;
  return resolve(source.kind === 'file' ? source.directory : cwd, path);
}
