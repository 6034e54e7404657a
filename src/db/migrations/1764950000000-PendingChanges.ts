import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pending changes of published articles (README "Preview"): at most one row per article, the
 * newest unpublished revision, with its editable snapshot and the columns derived from it on write
 * (HTML, text, headings, counts, excerpt), so a preview renders nothing. publishArticle applies it,
 * discardPendingChanges drops it; it goes with its article (ON DELETE CASCADE).
 */
export class PendingChanges1764950000000 implements MigrationInterface {
  name = 'PendingChanges1764950000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE article_pending (
      article_id integer NOT NULL PRIMARY KEY REFERENCES article (internal_id) ON DELETE CASCADE,
      revision integer NOT NULL,
      updated_at bigint NOT NULL,
      snapshot_json text NOT NULL,
      columns_json text NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE article_pending');
  }
}
