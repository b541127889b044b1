import type { SqliteDatabase } from './openSqliteDatabase';

/**
 * Channel message ids already accepted, as keyed HMACs (the caller pseudonymises them), each until it
 * expires. Claiming is one `INSERT … ON CONFLICT DO NOTHING`, so two deliveries of the same webhook racing
 * each other, in this process or another one on the same file, still see exactly one "first time".
 */
export class SqliteDedupeStore {
  private readonly insert;
  private readonly purge;
  private readonly claimEach;

  constructor(db: SqliteDatabase, private readonly clock: () => number = Date.now) {
    // An expired row is replaced: the id may be claimed again once its window has passed.
    this.insert = db.prepare(
      'INSERT INTO channel_dedupe (id_hmac, expires_at) VALUES (?, ?) ON CONFLICT (id_hmac) DO UPDATE SET expires_at = excluded.expires_at WHERE channel_dedupe.expires_at <= ?',
    );
    this.purge = db.prepare('DELETE FROM channel_dedupe WHERE expires_at <= ?');
    this.claimEach = db.transaction((idHmacs: readonly string[], expiresAt: number, now: number) => idHmacs.map((id) => this.insert.run(id, expiresAt, now).changes === 1));
  }

  /** True the first time `idHmac` is claimed (until `expiresAt`, epoch milliseconds); false for a repeat. */
  claim(idHmac: string, expiresAt: number): boolean {
    return this.insert.run(idHmac, expiresAt, this.clock()).changes === 1;
  }

  /** `claim` for several ids in one transaction: either all are recorded or none is. */
  claimAll(idHmacs: readonly string[], expiresAt: number): boolean[] {
    return this.claimEach(idHmacs, expiresAt, this.clock());
  }

  /** Removes expired claims; returns how many. */
  purgeExpired(): number {
    return this.purge.run(this.clock()).changes;
  }
}
