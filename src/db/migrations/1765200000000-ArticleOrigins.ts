import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an imported article lived before (README "Moving from WordPress", "Moving from Ghost"),
 * for SQLite and PostgreSQL. article_origin: the source system's own id of the post (the
 * WordPress post id, the Ghost post id) on its site, so a re-import updates the article it made
 * and WordPress Popular Posts' counts find it; article_old_path: every path the post answered at
 * (its permalink, /?p=123), normalized by src/content/import/source/articleOrigins.ts, so a front
 * end can answer 301. Instants are epoch milliseconds.
 */
export class ArticleOrigins1765200000000 implements MigrationInterface {
  name = 'ArticleOrigins1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE article_origin (
      source varchar(20) NOT NULL,
      site varchar(300) NOT NULL,
      source_id varchar(100) NOT NULL,
      article_id integer NOT NULL REFERENCES article (internal_id) ON DELETE CASCADE,
      url varchar(2000) NULL,
      imported_at bigint NOT NULL,
      PRIMARY KEY (source, site, source_id)
    )`);
    await runner.query('CREATE INDEX idx_article_origin_article ON article_origin (article_id)');
    await runner.query(`CREATE TABLE article_old_path (
      path varchar(2000) PRIMARY KEY,
      article_id integer NOT NULL REFERENCES article (internal_id) ON DELETE CASCADE
    )`);
    await runner.query(
      'CREATE INDEX idx_article_old_path_article ON article_old_path (article_id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE article_old_path');
    await runner.query('DROP TABLE article_origin');
  }
}
