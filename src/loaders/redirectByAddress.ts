import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import type { OldAddress } from '../content/redirects/oldUrls';
import { SqlParams } from '../db/dialect';
import { articleFromRow } from '../db/reads/articleRows';
import { type RedirectMatchKind, redirectLookupSql } from '../db/reads/oldPathRows';
import type { Sql } from '../db/SqlReader';
import type { Article } from '../entities/Article';

/** The public article an old address leads to, and how it was found. */
export interface RedirectTarget {
  article: Article;
  via: RedirectMatchKind;
}

/**
 * The public articles old addresses lead to: one statement for every redirect of a request
 * (old paths, WordPress post ids, current and earlier slugs at once). Precedence: the post id,
 * then the old path, then an earlier slug, then a current one. A miss adds the key of the
 * article list (an import that makes the article purges the answer), a slug its slug key.
 */
export function redirectByAddress(db: Sql, now: Date, keys: AnswerKeys) {
  return new DataLoader<OldAddress, RedirectTarget | null, string>(
    async addresses => {
      const unique = (values: (string | null)[]) =>
        [...new Set(values)].filter((value): value is string => value !== null);
      const params = new SqlParams(db.dialect);
      const sql = redirectLookupSql(
        params,
        {
          paths: unique(addresses.map(address => address.path)),
          postIds: unique(addresses.map(address => address.postId)),
          slugs: unique(addresses.flatMap(address => address.slugs)),
        },
        now,
      );
      const rows: Record<string, unknown>[] = sql ? await db.query(sql, params.values) : [];
      const found = new Map<string, Article>();
      for (const row of rows) {
        const key = `${String(row.via)}:${String(row.asked)}`;
        if (!found.has(key)) found.set(key, articleFromRow(row));
      }
      return addresses.map(address => {
        for (const slug of address.slugs) keys.slug(slug);
        const candidates: [RedirectMatchKind, string | null][] = [
          ['POST_ID', address.postId],
          ['OLD_PATH', address.path],
          ...address.slugs.map(slug => ['EARLIER_SLUG', slug] as [RedirectMatchKind, string]),
          ...address.slugs.map(slug => ['CURRENT_SLUG', slug] as [RedirectMatchKind, string]),
        ];
        for (const [via, asked] of candidates) {
          const article = asked === null ? undefined : found.get(`${via}:${asked}`);
          if (article) return { article: keys.article(article), via };
        }
        keys.articleList();
        return null;
      });
    },
    { cacheKeyFn: address => JSON.stringify(address) },
  );
}
