/**
 * Reads the optional config file (TG_SYNC_CONFIG_FILE) into option texts. YAML and JSON are both
 * parsed with the YAML "failsafe" schema (JSON is YAML), which keeps every scalar as the exact text
 * written: `TELEGRAM_API_HASH: 0123…` stays a string instead of becoming a rounded number, and all
 * values then go through the same text parsers as environment variables.
 *
 * Syntax errors are reported by position and kind only: the parser's own messages can quote the
 * offending source, and that source may be a secret.
 */
import { dirname, extname } from 'node:path';
import { parseDocument } from 'yaml';
import type { ConfigProblem } from './config-error.ts';
import { isOptionName, OPTION_NAMES, OPTIONS } from './options.ts';
import { suggestName } from './suggest-name.ts';

export type ReadTextFile = (path: string) => string;

export interface ConfigFileValues {
  readonly path: string;
  readonly directory: string;
  /** Option name → text, only for known options with a non-empty value. */
  readonly values: ReadonlyMap<string, string>;
  /** False when the file could not be read or parsed, so options it may set are unknown. */
  readonly readable: boolean;
  readonly problems: readonly ConfigProblem[];
}

const FILE_OPTION = 'TG_SYNC_CONFIG_FILE';
const FILE_EXAMPLE = OPTIONS.TG_SYNC_CONFIG_FILE.example;

export function readConfigFile(path: string, readFile: ReadTextFile): ConfigFileValues {
  const result = (values: Map<string, string>, problems: ConfigProblem[], readable = true): ConfigFileValues => ({
    path,
    directory: dirname(path),
    values,
    problems,
    readable,
  });
  const format = formatOf(path);
  if (format === undefined) {
    return result(
      new Map(),
      [{ option: FILE_OPTION, message: `must name a .yaml, .yml or .json file (got ${path})`, example: FILE_EXAMPLE }],
      false,
    );
  }
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return result(
      new Map(),
      [{ option: FILE_OPTION, message: `cannot read ${path}: ${describeReadError(error)}` }],
      false,
    );
  }
  const document = parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return result(
      new Map(),
      document.errors.map((error) => ({
        option: FILE_OPTION,
        message: `${path} is not valid ${format}: ${describeSyntaxError(error.code)} at ${lineAndColumn(text, error.pos[0])}`,
      })),
      false,
    );
  }
  return toOptionValues(path, document.toJS({ maxAliasCount: 100 }) as unknown, result);
}

function toOptionValues(
  path: string,
  contents: unknown,
  result: (values: Map<string, string>, problems: ConfigProblem[], readable?: boolean) => ConfigFileValues,
): ConfigFileValues {
  const values = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  if (contents === null || contents === undefined || contents === '') return result(values, problems);
  if (typeof contents !== 'object' || Array.isArray(contents)) {
    problems.push({
      option: FILE_OPTION,
      message: `${path} must contain a mapping of option names to values, e.g. SYNC_CRON: "*/15 * * * *"`,
    });
    return result(values, problems, false);
  }
  for (const [key, value] of Object.entries(contents)) {
    if (!isOptionName(key)) {
      const suggestion = suggestName(key, OPTION_NAMES);
      problems.push({
        option: key,
        message: `is not a known option (in ${path})${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
      });
    } else if (OPTIONS[key].envOnly) {
      problems.push({ option: key, message: `can only be set as an environment variable, not in ${path}` });
    } else if (typeof value !== 'string') {
      problems.push({
        option: key,
        message: `must be a single value in ${path}, not a list or mapping`,
        example: OPTIONS[key].example,
      });
    } else if (value.trim() !== '') {
      values.set(key, value);
    }
  }
  return result(values, problems);
}

function formatOf(path: string): 'YAML' | 'JSON' | undefined {
  const extension = extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'YAML';
  if (extension === '.json') return 'JSON';
  return undefined;
}

function describeReadError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? 'unknown error';
}

const SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'an option appears twice',
  MISSING_CHAR: 'a closing quote, bracket, comma or colon is missing',
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'tabs are not allowed for indentation',
  BLOCK_AS_IMPLICIT_KEY: 'a key is missing its colon or spans several lines',
  MULTILINE_IMPLICIT_KEY: 'a key is missing its colon or spans several lines',
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  UNEXPECTED_TOKEN: 'unexpected character',
  BAD_SCALAR_START: 'a plain value cannot start with this character (quote it)',
  MULTIPLE_DOCS: 'more than one document',
};

function describeSyntaxError(code: string): string {
  return SYNTAX_ERRORS[code] ?? `syntax error (${code})`;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
