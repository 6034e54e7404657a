import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Article } from '../entities/Article';
import { checkPageSize } from '../relay/pageSize';
import { LiveArticleEdge, LiveArticles, LiveWindow } from './types/LiveArticles';

const windowArg = {
  nullable: true,
  defaultValue: LiveWindow.LAST_5_MINUTES,
  description: 'The only window: the last five minutes.',
} as const;

/**
 * Readers now, from the view memory (never the database): counted at most every 10 seconds
 * (LiveReaderCounts), so a page of readersNow fields costs one count, and no SQL.
 */
@Resolver(_of => Article)
export class LiveReadersResolver {
  @FieldResolver(_returns => Int, {
    description:
      'Readers now: distinct visitors with a view of the article in the last five minutes (window), counted every 10 seconds; never stored.',
  })
  async readersNow(
    @Root() article: Article,
    @Arg('window', _type => LiveWindow, windowArg) _window: LiveWindow | null,
    @Ctx() { views, now }: Context,
  ): Promise<number> {
    const snapshot = await views.counter.live.snapshot(now);
    return snapshot.readers.get(article.internalId) ?? 0;
  }

  @Query(_returns => LiveArticles, {
    description:
      'The public articles with the most readers now (distinct visitors in the last five minutes), counted every 10 seconds from the view memory.',
  })
  async liveArticles(
    @Arg('first', _type => Int, { nullable: true, defaultValue: 10 }) first: number | null,
    @Arg('window', _type => LiveWindow, windowArg) window: LiveWindow | null,
    @Ctx() { views, now, loaders, keys }: Context,
  ): Promise<LiveArticles> {
    keys.rankings();
    const size = checkPageSize(first);
    const snapshot = await views.counter.live.snapshot(now);
    const edges: LiveArticleEdge[] = [];
    // Read a few more than asked: an article unpublished since it was read is left out.
    const candidates = snapshot.ranked.slice(0, size + 10);
    const articles = await loaders.articleById.loadMany(candidates.map(([id]) => id));
    candidates.forEach(([, readers], index) => {
      const article = articles[index];
      if (!article || article instanceof Error || edges.length >= size) return;
      edges.push(
        Object.assign(new LiveArticleEdge(), { rank: edges.length + 1, readers, node: article }),
      );
    });
    return Object.assign(new LiveArticles(), {
      window: window ?? LiveWindow.LAST_5_MINUTES,
      computedAt: snapshot.computedAt,
      edges,
    });
  }
}
