/**
 * Text that came from a user's file or argument, made safe to put into an error or a log line: a
 * peers file can be binary or hold a 10,000-character line, and echoing either whole writes escape
 * sequences to the operator's terminal (ESC, BEL, NUL…) or buries the message. Control characters
 * become visible escapes (\x1b, \n, \u0085) and the text is cut to `max` characters.
 */
export function printableText(text: string, max = 80): string {
  const characters = [...text];
  const kept = characters.length > max ? characters.slice(0, max) : characters;
  const escaped = kept.map(escapeControl).join('');
  return characters.length > max ? `${escaped}… (${characters.length} characters)` : escaped;
}

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeControl(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  // C0 controls, DEL, C1 controls (U+0080–U+009F: some terminals act on them), and the bidirectional
  // overrides that can make a line read backwards.
  const control =
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069);
  if (!control) return character;
  return (
    NAMED[character] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}
