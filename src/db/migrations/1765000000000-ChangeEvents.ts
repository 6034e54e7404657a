import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of content changes (README "Change events"), for SQLite and PostgreSQL:
 * - `change_event`: one row per change, written in the change's own transaction. `id` is the
 *   commit order: SQLite has one writer at a time; on PostgreSQL every writer takes one advisory
 *   lock before its first event (src/content/changes/recordChange.ts), so a lower id never
 *   commits after a higher one. `public_change` marks events that change what the public sees
 *   (the `changes` query lists only those). No foreign key: a deleted article keeps its events.
 * - `change_outbox`: one row: the highest id pruned by retention (a `changes` cursor before it
 *   must resync), and whether the events tell the whole history (false where content existed
 *   before this migration: reading `changes` from the start then misses it, and must resync).
 * - `article.published_announced_at`: the publishedAt an `article.published` event was recorded
 *   for, so a scheduled time that passes is announced once across restarts and replicas.
 *   Articles public when this migration runs count as announced.
 */
export class ChangeEvents1765000000000 implements MigrationInterface {
  name = 'ChangeEvents1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const id = postgres ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await runner.query(`CREATE TABLE change_event (
      id ${id},
      type varchar(40) NOT NULL,
      occurred_at bigint NOT NULL,
      subject_type varchar(10) NOT NULL,
      subject_id integer NOT NULL,
      public_change boolean NOT NULL,
      payload_json text NOT NULL
    )`);
    await runner.query('CREATE INDEX idx_change_event_occurred ON change_event (occurred_at)');
    await runner.query(`CREATE TABLE change_outbox (
      pruned_through bigint NOT NULL,
      history_from_start boolean NOT NULL
    )`);
    const existing: { n: unknown }[] = await runner.query(
      `SELECT (SELECT COUNT(*) FROM article) + (SELECT COUNT(*) FROM tag)
        + (SELECT COUNT(*) FROM author) AS n`,
    );
    const fromStart = Number(existing[0]?.n ?? 0) === 0;
    await runner.query(
      `INSERT INTO change_outbox (pruned_through, history_from_start) VALUES (0, ${postgres ? String(fromStart) : Number(fromStart)})`,
    );
    await runner.query('ALTER TABLE article ADD COLUMN published_announced_at bigint NULL');
    await runner.query(
      `UPDATE article SET published_announced_at = published_at
       WHERE status = 'PUBLISHED' AND published_at <= ${Date.now()}`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE article DROP COLUMN published_announced_at');
    await runner.query('DROP TABLE change_outbox');
    await runner.query('DROP TABLE change_event');
  }
}
