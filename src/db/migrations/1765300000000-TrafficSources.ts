import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Traffic sources and engaged reads (README "Analytics jobs"), for SQLite and PostgreSQL, next to
 * the view rollups and compacted like them (hours older than HOURLY_RETENTION_DAYS into days):
 * - article_source_hour/_day: views and unique visitors per article, bucket, source class, the
 *   referrer's host and the campaign ('' for none, '(other)' beyond SOURCE_MAX_KEYS_PER_DAY
 *   distinct values per article and day). No URL, path or query string of another site.
 * - article_engagement_hour/_day/_total: the engagement reports of counted views (one per view),
 *   the reads among them (READ_MIN_SECONDS or READ_MIN_SCROLL) and their visible seconds, in the
 *   bucket of the view they report on.
 */
export class TrafficSources1765300000000 implements MigrationInterface {
  name = 'TrafficSources1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    const clustered = runner.connection.options.type === 'postgres' ? '' : ' WITHOUT ROWID';
    for (const grain of ['hour', 'day']) {
      await runner.query(`CREATE TABLE article_source_${grain} (
        article_id integer NOT NULL REFERENCES article (internal_id) ON DELETE CASCADE,
        bucket_start bigint NOT NULL,
        source varchar(10) NOT NULL,
        host varchar(253) NOT NULL,
        campaign varchar(100) NOT NULL,
        views integer NOT NULL,
        unique_visitors integer NOT NULL,
        PRIMARY KEY (article_id, bucket_start, source, host, campaign)
      )${clustered}`);
      // mostRead(filter: { source }) sums one class over a window of all articles.
      await runner.query(
        `CREATE INDEX idx_article_source_${grain}_bucket ON article_source_${grain} (bucket_start, source)`,
      );
      await runner.query(`CREATE TABLE article_engagement_${grain} (
        article_id integer NOT NULL REFERENCES article (internal_id) ON DELETE CASCADE,
        bucket_start bigint NOT NULL,
        reports integer NOT NULL,
        reads integer NOT NULL,
        engaged_seconds bigint NOT NULL,
        PRIMARY KEY (article_id, bucket_start)
      )${clustered}`);
      // The READS ranking sums a window of all articles: covering, as for the views.
      await runner.query(
        `CREATE INDEX idx_article_engagement_${grain}_bucket ON article_engagement_${grain} (bucket_start, article_id, reads)`,
      );
    }
    await runner.query(`CREATE TABLE article_engagement_total (
      article_id integer NOT NULL PRIMARY KEY REFERENCES article (internal_id) ON DELETE CASCADE,
      reports bigint NOT NULL,
      reads bigint NOT NULL,
      engaged_seconds bigint NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE article_engagement_total');
    for (const grain of ['day', 'hour']) {
      await runner.query(`DROP TABLE article_engagement_${grain}`);
      await runner.query(`DROP TABLE article_source_${grain}`);
    }
  }
}
