import { PeersFileError } from './peers-file-error.ts';

const NOTHING_CHANGED = 'nothing was changed';

/**
 * The text of a peers file, from its bytes — or a PeersFileError when the bytes are not a text file
 * that lists peers: empty (a full disk truncates a file to 0 bytes), NUL bytes or invalid UTF-8
 * (a binary file, or UTF-16), or control characters other than tab and line ends. Parsing such a file
 * line by line "works" and yields garbage peers, or none, which would disable every configured peer.
 * A UTF-8 byte-order mark is dropped.
 */
export function decodePeersFileText(file: string, bytes: Uint8Array, fixHint: string): string {
  const hint = `${fixHint}; ${NOTHING_CHANGED}`;
  if (bytes.length === 0) throw new PeersFileError(file, 'is empty (0 bytes)', hint);
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    throw new PeersFileError(
      file,
      `is not a text file (a NUL byte at offset ${nul}${looksLikeUtf16(bytes) ? '; it looks like UTF-16: save it as UTF-8' : ''})`,
      hint,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PeersFileError(
      file,
      `is not a text file (not valid UTF-8 at offset ${firstInvalidUtf8Offset(bytes)})`,
      hint,
    );
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  // Tab, line feed, vertical tab, form feed and carriage return occur in text files; other C0 controls
  // and DEL (ESC, BEL, backspace…) do not.
  const control = /[\u0000-\u0008\u000e-\u001f\u007f]/.exec(text);
  if (control !== null) {
    const line = text.slice(0, control.index).split('\n').length;
    const code = control[0].charCodeAt(0).toString(16).padStart(2, '0');
    throw new PeersFileError(file, `is not a text file (control character 0x${code} on line ${line})`, hint);
  }
  if (text.trim() === '') throw new PeersFileError(file, `is empty (${bytes.length} bytes of white space)`, hint);
  return text;
}

function looksLikeUtf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Where UTF-8 decoding first fails (for the message); the decoder itself does not say. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  const valid = (end: number) => {
    try {
      // In stream mode an incomplete character at the end is kept for later, not an error.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  // The longest prefix without an invalid sequence…
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (valid(middle)) low = middle;
    else high = middle - 1;
  }
  // …may end in the lead byte (and continuations) of the incomplete sequence that breaks: point at its start.
  let start = low;
  while (start > 0 && low - start < 3 && ((bytes[start - 1] ?? 0) & 0xc0) === 0x80) start -= 1;
  const lead = start > 0 ? (bytes[start - 1] ?? 0) : 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length > 1 && low - (start - 1) < length ? start - 1 : low;
}
