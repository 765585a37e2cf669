/**
 * Readers for the deployment files (Dockerfile, .dockerignore, docker-compose.yml, the Grafana
 * provisioning and dashboard, README's example queries), shared by the unit tests in this folder and
 * test/integration/deploy. Small on purpose: each parser handles exactly the syntax these files use
 * and throws on anything else, so a test can never pass by silently misreading a file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function readProjectFile(relative: string): string {
  return readFileSync(path.join(PROJECT_ROOT, relative), 'utf8');
}

// ---------------------------------------------------------------- Dockerfile

export interface DockerInstruction {
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
  readonly line: number;
}

export interface DockerStage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: DockerInstruction[];
}

/** Instructions in order: comments and blank lines dropped, `\` continuations joined. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending: { text: string; line: number } | null = null;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index]!.replace(/\r$/, '');
    const trimmed = raw.trim();
    // Comment lines are dropped even inside a continuation (as Docker does).
    if (trimmed.startsWith('#') || (trimmed === '' && pending === null)) continue;
    const continued = trimmed.endsWith('\\');
    const body = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending =
      pending === null
        ? { text: body, line: index + 1 }
        : { text: `${pending.text} ${body}`.trim(), line: pending.line };
    if (continued) continue;
    const match = /^([A-Za-z]+)\s+([\s\S]*)$/.exec(pending.text);
    if (match === null) throw new Error(`Dockerfile line ${pending.line}: cannot parse "${pending.text}"`);
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: pending.line });
    pending = null;
  }
  if (pending !== null) throw new Error('Dockerfile ends inside a line continuation');
  return instructions;
}

export function dockerStages(instructions: readonly DockerInstruction[]): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (match === null) throw new Error(`FROM line ${instruction.line}: cannot parse "${instruction.args}"`);
      stages.push({ image: match[1]!, name: match[2] ?? null, instructions: [] });
    } else if (instruction.keyword !== 'ARG' || stages.length > 0) {
      const stage = stages.at(-1);
      if (stage === undefined)
        throw new Error(`${instruction.keyword} before the first FROM (line ${instruction.line})`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** The exec (JSON array) form of CMD / ENTRYPOINT / HEALTHCHECK CMD, or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string'))
    throw new Error(`not a JSON string array: ${args}`);
  return parsed;
}

/** KEY=value pairs of an ENV instruction (values may be double-quoted). */
export function envPairs(args: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const pattern = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  let consumed = '';
  for (const match of args.matchAll(pattern)) {
    const value = match[2]!;
    pairs.set(match[1]!, value.startsWith('"') ? (JSON.parse(value) as string) : value);
    consumed += match[0];
  }
  if (consumed.replace(/\s/g, '').length !== args.replace(/\s/g, '').length)
    throw new Error(`ENV not in KEY=value form: ${args}`);
  return pairs;
}

// ---------------------------------------------------------------- .dockerignore

function ignorePatternToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  let source = '';
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index]!;
    if (body.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (body.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Is this path (relative to the context, `/`-separated) part of the build context? The last
 * matching pattern wins; `!` re-includes; a pattern matching a parent folder matches its content.
 */
export function dockerContextIncludes(dockerignore: string, file: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) =>
      line.startsWith('!')
        ? { include: true, regex: ignorePatternToRegExp(line.slice(1)) }
        : { include: false, regex: ignorePatternToRegExp(line) },
    );
  const parts = file.split('/');
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let included = true;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) included = rule.include;
  }
  return included;
}

// ---------------------------------------------------------------- docker-compose.yml

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: unknown;
  depends_on?: Record<string, { condition?: string }> | string[];
  entrypoint?: string | string[];
  healthcheck?: { test?: unknown; interval?: string; timeout?: string; retries?: number; start_period?: string };
  init?: boolean;
  stop_grace_period?: string;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  profiles?: string[];
  restart?: string;
  ports?: unknown[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readCompose(): ComposeFile {
  // Compose supports YAML merge keys (`<<: *app`).
  return parseYaml(readProjectFile('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/** A service's environment as name → raw (uninterpolated) value. */
export function serviceEnvironment(service: ComposeService): Map<string, string> {
  const env = new Map<string, string>();
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const at = entry.indexOf('=');
      env.set(at < 0 ? entry : entry.slice(0, at), at < 0 ? '' : entry.slice(at + 1));
    }
  } else if (service.environment !== undefined) {
    for (const [name, value] of Object.entries(service.environment)) env.set(name, value === null ? '' : String(value));
  }
  return env;
}

const INTERPOLATION = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The variables a Compose value interpolates (`${X}`, `${X:-default}`, `${X:?message}`, `$X`). */
export function interpolatedVariables(value: string): string[] {
  const names: string[] = [];
  for (const match of value.matchAll(INTERPOLATION)) {
    const name = match[1] ?? match[4];
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** Compose interpolation with the given variables; `${X:?…}` with X unset throws, like Compose. */
export function interpolate(value: string, variables: Readonly<Record<string, string | undefined>>): string {
  return value.replace(
    INTERPOLATION,
    (
      whole,
      braced: string | undefined,
      operator: string | undefined,
      argument: string | undefined,
      bare: string | undefined,
    ) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const current = variables[name];
      const unsetOrEmpty = current === undefined || current === '';
      switch (operator) {
        case undefined:
          return current ?? '';
        case ':-':
          return unsetOrEmpty ? (argument ?? '') : current!;
        case '-':
          return current === undefined ? (argument ?? '') : current;
        case ':?':
        case '?':
          if (operator === ':?' ? unsetOrEmpty : current === undefined)
            throw new Error(`required variable ${name} is missing: ${argument}`);
          return current!;
        default:
          throw new Error(`unsupported interpolation ${whole}`);
      }
    },
  );
}

/** Every `${X}` / `$X` in the whole compose file (raw text, so nothing is missed). */
export function composeVariables(): Set<string> {
  const text = readProjectFile('docker-compose.yml')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return new Set(interpolatedVariables(text));
}

/** A Compose duration (`30s`, `1m30s`, `500ms`, `1h`) in milliseconds. */
export function composeDurationMs(value: string): number {
  const units: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value.trim();
  if (rest === '') throw new Error('empty duration');
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)/.exec(rest);
    if (match === null) throw new Error(`not a Compose duration: ${value}`);
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** `(source, target)` of each volume entry. */
export function volumeMounts(service: ComposeService): Array<{ source: string; target: string; readOnly: boolean }> {
  return (service.volumes ?? []).map((entry) => {
    if (typeof entry !== 'string') return { source: entry.source ?? '', target: entry.target ?? '', readOnly: false };
    const [source = '', target = '', mode = ''] = entry.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

// ---------------------------------------------------------------- Grafana

export interface DashboardTarget {
  refId: string;
  datasource?: { type?: string; uid?: string };
  rawSql?: string;
  rawQuery?: boolean;
  format?: string;
  /** PromQL, in the Prometheus panels. */
  expr?: string;
}

export interface DashboardPanel {
  id: number;
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: DashboardTarget[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  query?: string;
  multi?: boolean;
  includeAll?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating?: { list: DashboardVariable[] };
}

export const POSTGRES_DATASOURCE_TYPE = 'grafana-postgresql-datasource';

/** The panels that query PostgreSQL (the others read the Prometheus of the `prometheus` variable). */
export function sqlPanels(dashboard: Dashboard = readDashboard()): DashboardPanel[] {
  return dashboard.panels.filter((panel) => panel.datasource?.type === POSTGRES_DATASOURCE_TYPE);
}

export const DASHBOARD_FILE = 'deploy/grafana/dashboards/tg-dialog-sync.json';
export const DATASOURCE_FILE = 'deploy/grafana/provisioning/datasources/tg-dialog-sync.yaml';
export const DASHBOARD_PROVIDER_FILE = 'deploy/grafana/provisioning/dashboards/tg-dialog-sync.yaml';

export function readDashboard(): Dashboard {
  return JSON.parse(readProjectFile(DASHBOARD_FILE)) as Dashboard;
}

/** Every SQL panel's SQL, in panel order. */
export function dashboardQueries(
  dashboard: Dashboard = readDashboard(),
): Array<{ panel: string; format: string | undefined; sql: string }> {
  return sqlPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      if (typeof target.rawSql !== 'string' || target.rawSql.trim() === '')
        throw new Error(`panel "${panel.title}" target ${target.refId} has no rawSql`);
      return { panel: panel.title, format: target.format, sql: target.rawSql };
    }),
  );
}

/** The macros the dashboard may use; {@link expandGrafanaMacros} knows exactly these. */
export const SUPPORTED_MACROS = ['$__timeFilter', '$__timeGroupAlias', '$__interval', '${account:sqlstring}'] as const;

export interface MacroContext {
  readonly from: Date;
  readonly to: Date;
  /** What Grafana would pick for $__interval, in seconds. */
  readonly intervalSeconds: number;
  /** The accounts selected in the `$account` variable ("All" = every account); without them `${account:…}` throws. */
  readonly accounts?: readonly string[];
}

/**
 * A tiny stand-in for Grafana's PostgreSQL macro engine, producing the same SQL Grafana does:
 * `$__timeFilter(col)` → `col BETWEEN '<from>' AND '<to>'`,
 * `$__timeGroupAlias(col, $__interval)` → `floor(extract(epoch from col)/<s>)*<s> AS "time"`,
 * `${account:sqlstring}` → `'a','b'` (the selected accounts, quotes doubled).
 * Anything else starting with `$` (another macro or a template variable) throws.
 */
export function expandGrafanaMacros(sql: string, context: MacroContext): string {
  const seconds = String(context.intervalSeconds);
  const accounts = context.accounts;
  const expanded = sql
    .replace(/\$\{account:sqlstring\}/g, (whole) =>
      accounts === undefined ? whole : accounts.map((account) => `'${account.replaceAll("'", "''")}'`).join(','),
    )
    .replace(
      /\$__timeGroupAlias\(\s*([^,()]+?)\s*,\s*\$__interval\s*\)/g,
      (_, column: string) => `floor(extract(epoch from ${column})/${seconds})*${seconds} AS "time"`,
    )
    .replace(
      /\$__timeFilter\(\s*([^()]+?)\s*\)/g,
      (_, column: string) => `${column} BETWEEN '${context.from.toISOString()}' AND '${context.to.toISOString()}'`,
    );
  const leftover = /\$[A-Za-z_{][\w{}]*/.exec(expanded);
  if (leftover !== null) throw new Error(`unsupported Grafana macro or variable ${leftover[0]} in: ${sql}`);
  return expanded;
}

/** Relations a query reads (after FROM / JOIN), lower-cased and unquoted. */
export function referencedRelations(sql: string): string[] {
  const relations: string[] = [];
  for (const match of sql.matchAll(/\b(?:from|join)\s+(?!\()("?[A-Za-z_][\w]*"?(?:\."?[A-Za-z_][\w]*"?)?)/gi)) {
    relations.push(match[1]!.replaceAll('"', '').toLowerCase());
  }
  return relations;
}

/** Names of the views and tables the migrations create. */
export function migrationRelations(): { views: Set<string>; tables: Set<string> } {
  const folder = 'prisma/migrations';
  const views = new Set<string>();
  const tables = new Set<string>();
  for (const entry of readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sql = readProjectFile(`${folder}/${entry.name}/migration.sql`);
    for (const match of sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+"?(\w+)"?/gi))
      views.add(match[1]!.toLowerCase());
    for (const match of sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi))
      tables.add(match[1]!.toLowerCase());
  }
  return { views, tables };
}

// ---------------------------------------------------------------- README

/** The statements of the ```sql blocks under "### Example queries", each with its `--` title. */
export function readmeExampleQueries(
  readme: string = readProjectFile('README.md'),
): Array<{ title: string; sql: string }> {
  const start = readme.indexOf('### Example queries');
  if (start < 0) throw new Error('README.md has no "### Example queries" section');
  const rest = readme.slice(start + 1);
  const end = rest.search(/\n#{1,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  if (blocks.length === 0) throw new Error('no ```sql block under "Example queries"');
  const queries: Array<{ title: string; sql: string }> = [];
  for (const block of blocks) {
    for (const chunk of block.split(/;\s*(?:\n|$)/)) {
      const lines = chunk
        .split('\n')
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== '');
      if (lines.length === 0) continue;
      const titleLines = lines.filter((line) => line.trimStart().startsWith('--'));
      const sqlLines = lines.filter((line) => !line.trimStart().startsWith('--'));
      if (sqlLines.length === 0) throw new Error(`a comment without a query: ${chunk}`);
      if (titleLines.length === 0) throw new Error(`a query without a "-- title" comment: ${chunk}`);
      queries.push({
        title: titleLines.map((line) => line.trim().replace(/^--\s*/, '')).join(' '),
        sql: sqlLines.join('\n'),
      });
    }
  }
  return queries;
}
