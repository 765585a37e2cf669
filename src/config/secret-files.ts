/**
 * `<NAME>_FILE` for the secret options (Docker and Compose secrets, Kubernetes secret volumes): the
 * value is read from the named file instead of the environment, so it never shows in
 * `docker inspect` or `/proc/<pid>/environ`. Which options qualify comes from the registry
 * (`secret` is not `none`), so a new secret option gets its `_FILE` form without a change here.
 *
 * Environment only (a config file can hold the value itself). Errors name the variable and the path,
 * never the file's content.
 */
import { resolve } from 'node:path';
import type { ConfigProblem } from './config-error.ts';
import type { ReadTextFile } from './config-file.ts';
import { OPTION_NAMES, OPTIONS, type OptionName } from './options.ts';
import type { Environment } from './option-values.ts';

export const SECRET_FILE_SUFFIX = '_FILE';

/** The options that may be given as `<NAME>_FILE`: every secret one. */
export const SECRET_FILE_OPTIONS: readonly OptionName[] = OPTION_NAMES.filter(
  (name) => OPTIONS[name].secret !== 'none',
);

/** `TELEGRAM_API_HASH_FILE` and the like: known variables, not typos. */
export const SECRET_FILE_VARIABLES: ReadonlySet<string> = new Set(
  SECRET_FILE_OPTIONS.map((name) => `${name}${SECRET_FILE_SUFFIX}`),
);

/**
 * The environment with each `<NAME>_FILE` replaced by `<NAME>` = the file's content (trimmed: the
 * trailing newline of `echo … > file` is never part of a secret), plus a problem for every such
 * variable that cannot be used.
 */
export function readSecretFiles(
  env: Environment,
  cwd: string,
  readFile: ReadTextFile,
): { env: Environment; problems: ConfigProblem[]; unusable: ReadonlySet<OptionName> } {
  const result: Record<string, string | undefined> = { ...env };
  const problems: ConfigProblem[] = [];
  // Options whose file could not be used: "is required" for them would only repeat the problem.
  const unusable = new Set<OptionName>();
  for (const name of SECRET_FILE_OPTIONS) {
    const variable = `${name}${SECRET_FILE_SUFFIX}`;
    const given = env[variable]?.trim();
    if (given === undefined || given === '') continue;
    const example = `/run/secrets/${name.toLowerCase()}`;
    if ((env[name]?.trim() ?? '') !== '') {
      problems.push({
        option: variable,
        message: `is set and so is ${name}; set only one of them (the file is for Docker secrets)`,
        example,
      });
      unusable.add(name);
      continue;
    }
    const path = resolve(cwd, given);
    let content: string;
    try {
      content = readFile(path);
    } catch (error) {
      problems.push({
        option: variable,
        message: `cannot read ${path} (${describeReadError(error)}); point it at the file that holds ${name}`,
        example,
      });
      unusable.add(name);
      continue;
    }
    const value = content.trim();
    if (value === '') {
      problems.push({ option: variable, message: `${path} is empty; it must hold the value of ${name}`, example });
      unusable.add(name);
      continue;
    }
    result[name] = value;
    delete result[variable];
  }
  return { env: result, problems, unusable };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return code ?? 'unreadable';
  }
}
