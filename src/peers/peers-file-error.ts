/**
 * A peers file that cannot be used as a whole: empty, binary, not valid YAML/JSON, or shaped wrong.
 * Syncing from it would disable every configured peer (the file is the source of truth), so the run
 * stops with this one line and nothing stored changes. Callers branch on `kind`.
 */
import { AppError } from '../errors/app-error.ts';
import { printableText } from './printable-text.ts';

export class PeersFileError extends AppError<'peers_file'> {
  constructor(
    readonly file: string,
    /** What is wrong, e.g. "is empty (0 bytes)". */
    readonly problem: string,
    /** How to fix it. */
    override readonly hint: string,
  ) {
    // The name too may be anything (an argument, SYNC_PEERS_FILE): cut and printable like the file's lines.
    super(`peers file ${printableText(file, 120)} ${problem}; ${hint}`, {
      kind: 'peers_file',
      userMistake: true,
      hint,
    });
  }
}
