import { StringSession } from 'telegram/sessions/index.js';

/**
 * A StringSession that does not keep entities. GramJS adds every user and chat of every reply to the
 * session's entity table (duplicates included), which in a worker that runs for months grows without
 * bound. The job never asks GramJS to look entities up: it builds InputPeers from the database.
 */
export class StatelessStringSession extends StringSession {
  override processEntities(_tlObject: unknown): void {
    // Intentionally empty: see the class comment.
  }
}
