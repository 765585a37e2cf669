// Column defaults in one canonical form, for both sides of the drift check: the database's
// (pg_get_expr output) and the schema's @default(dbgenerated("…")).
import type { DefaultShape } from './schema-shape.ts';

/** JSON re-serialised without insignificant whitespace (jsonb normalises it the same way). */
export function canonicalJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** pg_get_expr output → DefaultShape, recognising what Prisma renders for its defaults. */
export function parseDefault(sql: string | null, type: string): DefaultShape {
  if (sql === null) return { kind: 'none' };
  const text = sql.trim();
  if (/^nextval\(/i.test(text)) return { kind: 'autoincrement' };
  if (/^(CURRENT_TIMESTAMP(\(\d+\))?|now\(\))$/i.test(text)) return { kind: 'now' };

  // ARRAY['a'::text, 'b'::text]::text[]  or  ARRAY[]::text[]
  const arrayMatch = /^ARRAY\[(.*?)\]((?:::[\w\s."]+(?:\[\])*)*)$/is.exec(text);
  if (arrayMatch) {
    const items =
      (arrayMatch[1] ?? '').trim() === '' ? [] : splitTopLevel(arrayMatch[1] ?? '').map((item) => literalText(item));
    if (items.every((item) => item !== null)) return { kind: 'literal', value: JSON.stringify(items) };
    return { kind: 'expression', sql: text };
  }
  const literal = literalText(text);
  if (literal === null) return { kind: 'expression', sql: text };
  if (type.endsWith('[]')) {
    // '{a,b}'::text[] — simple (unquoted) array literals only
    const inner = /^\{(.*)\}$/s.exec(literal)?.[1];
    if (inner === undefined) return { kind: 'expression', sql: text };
    return { kind: 'literal', value: JSON.stringify(inner === '' ? [] : inner.split(',')) };
  }
  if (type === 'jsonb' || type === 'json') return { kind: 'literal', value: canonicalJson(literal) };
  return { kind: 'literal', value: literal };
}

/** `'it''s'::text` → `it's`; `(-1)` / `42` / `false` → as written; anything else → null. */
function literalText(expression: string): string | null {
  let text = expression.trim();
  // Strip trailing casts, possibly several ('x'::character varying::text).
  for (;;) {
    const cast = /^(.*?)::[a-z_][\w\s."]*(\(\d+(,\d+)?\))?(\[\])*$/is.exec(text);
    if (!cast || cast[1] === undefined) break;
    text = cast[1].trim();
  }
  while (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
  const quoted = /^'((?:[^']|'')*)'$/s.exec(text);
  if (quoted) return (quoted[1] ?? '').replaceAll("''", "'");
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) || /^(true|false)$/i.test(text)) return text.toLowerCase();
  return null;
}

/** Splits "a, 'b,c', d" on top-level commas (outside quotes and parentheses). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let current = '';
  for (const char of text) {
    if (char === "'") inQuote = !inQuote;
    else if (!inQuote && char === '(') depth++;
    else if (!inQuote && char === ')') depth--;
    if (!inQuote && depth === 0 && char === ',') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
