/**
 * `loadConfig`: the only place that reads configuration. A pure function of its inputs (env object,
 * working directory, file reader); `process.env`, `process.cwd()` and `fs` appear only as defaults.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assembleConfig, assembleDatabaseOnlyConfig } from './assemble-config.ts';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { readConfigFile, type ConfigFileValues, type ReadTextFile } from './config-file.ts';
import type { Config, DatabaseOnlyConfig } from './config-types.ts';
import { crossCheckOptions } from './cross-checks.ts';
import { OPTIONS, type OptionGroup, type OptionName } from './options.ts';
import {
  parseOptionTexts,
  pickOptionTexts,
  unknownOwnVariables,
  type Environment,
  type OptionValues,
} from './option-values.ts';
import { readSecretFiles } from './secret-files.ts';

export interface LoadConfigOptions {
  /** Defaults to process.env. */
  readonly env?: Environment;
  /** Base for relative paths given in the environment; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Reads the config file; defaults to fs.readFileSync(path, 'utf8'). */
  readonly readFile?: ReadTextFile;
}

/** Validates all configuration at once. @throws ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const { values, warnings } = validateOptions(options, () => true);
  return deepFreeze(assembleConfig(values, warnings));
}

const DATABASE_ONLY_GROUPS: ReadonlySet<OptionGroup> = new Set(['runtime', 'database', 'log']);

/**
 * Like `loadConfig`, but validates only NODE_ENV, the database and logging options, so commands
 * that never talk to Telegram (db:migrate, db:check-drift) run without Telegram credentials.
 * The config file is still checked for unknown names. @throws ConfigError
 */
export function loadDatabaseConfig(options: LoadConfigOptions = {}): DatabaseOnlyConfig {
  const { values, warnings } = validateOptions(options, (name) => DATABASE_ONLY_GROUPS.has(OPTIONS[name].group));
  return deepFreeze(assembleDatabaseOnlyConfig(values, warnings));
}

function validateOptions(
  {
    env: givenEnv = process.env,
    cwd = process.cwd(),
    readFile = (path) => readFileSync(path, 'utf8'),
  }: LoadConfigOptions,
  inScope: (name: OptionName) => boolean,
): { values: OptionValues; warnings: string[] } {
  const secretFiles = readSecretFiles(givenEnv, cwd, readFile);
  const env = secretFiles.env;
  const file = readFileNamedBy(env, cwd, readFile);
  const texts = pickOptionTexts(env, file);
  // An unreadable file may hold the missing values: then "is required" would be misleading noise,
  // so only the file's own problems and the values actually given are reported.
  const complete = file?.readable ?? true;
  const { values, problems } = parseOptionTexts(texts, { cwd, reportMissing: complete, inScope });
  const crossProblems = complete ? crossCheckOptions(texts, values, values.NODE_ENV === 'production') : [];
  const allProblems: ConfigProblem[] = [
    ...secretFiles.problems.filter((problem) => inScope(problem.option.slice(0, -'_FILE'.length) as OptionName)),
    ...(file?.problems ?? []),
    ...problems.filter((problem) => !secretFiles.unusable.has(problem.option as OptionName)),
    ...crossProblems.filter(
      (problem) => inScope(problem.option as OptionName) && !secretFiles.unusable.has(problem.option as OptionName),
    ),
  ];
  if (allProblems.length > 0) throw new ConfigError(allProblems);
  return { values, warnings: unknownOwnVariables(env) };
}

function readFileNamedBy(env: Environment, cwd: string, readFile: ReadTextFile): ConfigFileValues | undefined {
  const named = env[OPTIONS.TG_SYNC_CONFIG_FILE.name]?.trim();
  if (named === undefined || named === '') return undefined;
  return readConfigFile(resolve(cwd, named), readFile);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
