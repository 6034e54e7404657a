import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Translations: an article's translation key (the versions of one story in several languages
 * share it; at most one version per locale) and the names of tags and authors per language, as
 * JSON objects such as {"en":"Career"}. The same SQL on SQLite and PostgreSQL.
 */
export class Translations1764800000000 implements MigrationInterface {
  name = 'Translations1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE article ADD COLUMN translation_key varchar(200) NULL');
    // Serves Article.translations (translation_key IN ...) and keeps one version per locale;
    // articles without a key (NULL) are never equal, on either database.
    await runner.query(
      'CREATE UNIQUE INDEX idx_article_translation ON article (translation_key, locale)',
    );
    await runner.query('ALTER TABLE tag ADD COLUMN names_json text NULL');
    await runner.query('ALTER TABLE author ADD COLUMN names_json text NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE author DROP COLUMN names_json');
    await runner.query('ALTER TABLE tag DROP COLUMN names_json');
    await runner.query('DROP INDEX idx_article_translation');
    await runner.query('ALTER TABLE article DROP COLUMN translation_key');
  }
}
