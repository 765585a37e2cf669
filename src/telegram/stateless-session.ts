import { StringSession } from 'telegram/sessions/index.js';

/**
 * A StringSession that does not keep entities. GramJS adds every user and chat of every reply to the
 * session's entity table (duplicates included), which in a worker that runs for months grows without
 * bound. The job never asks GramJS to look entities up: it builds InputPeers from the database.
 *
 * It also reads its string only once: GramJS calls load() on every connect(), and StringSession's
 * load() puts the string's auth key back, so after a switch to another data center (303 *_MIGRATE)
 * the new DC would be sent the old DC's key and answer −404.
 */
export class StatelessStringSession extends StringSession {
  private loaded = false;

  override async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    await super.load();
  }

  override processEntities(_tlObject: unknown): void {
    // Intentionally empty: see the class comment.
  }
}
