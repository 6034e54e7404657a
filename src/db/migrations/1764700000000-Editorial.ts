import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Editorial writes, for SQLite and PostgreSQL: the article's revision number (what an update's
 * expectedRevision is checked against), the revisions kept per article (who changed which fields,
 * and the editable snapshot to restore), and the earlier slugs of articles, so an old URL still
 * finds its article. Both child tables go with their article (ON DELETE CASCADE).
 */
export class Editorial1764700000000 implements MigrationInterface {
  name = 'Editorial1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    // Existing articles start at revision 1: what the import wrote is their first version.
    await runner.query('ALTER TABLE article ADD COLUMN revision integer NOT NULL DEFAULT 1');

    await runner.query(`CREATE TABLE article_revision (
      article_id integer NOT NULL REFERENCES article (internal_id) ON DELETE CASCADE,
      revision integer NOT NULL,
      created_at bigint NOT NULL,
      token_name varchar(100) NULL,
      operation varchar(40) NOT NULL,
      fields_changed varchar(1000) NOT NULL,
      snapshot_json text NOT NULL,
      PRIMARY KEY (article_id, revision)
    )`);

    // One row per earlier slug: a slug names at most one article, current or earlier.
    await runner.query(`CREATE TABLE article_slug (
      slug varchar(200) NOT NULL PRIMARY KEY,
      article_id integer NOT NULL REFERENCES article (internal_id) ON DELETE CASCADE,
      retired_at bigint NOT NULL
    )`);
    await runner.query('CREATE INDEX idx_article_slug_article ON article_slug (article_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE article_slug');
    await runner.query('DROP TABLE article_revision');
    await runner.query('ALTER TABLE article DROP COLUMN revision');
  }
}
