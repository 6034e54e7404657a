import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { changeCursor, changesPage } from '../content/changes/changesPage';
import { countPublicChangesAfter, outboxPosition } from '../content/changes/readChanges';
import type { Context } from '../context';
import { connectionOf } from '../relay/connectionType';
import { encodeGlobalId } from '../relay/globalId';
import { checkPageSize } from '../relay/pageSize';
import { Change, ChangeKind } from './types/Change';
import { ChangeConnection } from './types/ChangeConnection';
import { PageArgs } from './types/PageArgs';

/**
 * Incremental sync (README "Incremental sync"): public, like the content it lists. Each edge is
 * one change event that touched public content (a draft nobody public saw is never listed), with
 * the node as it is at the request's "now" when it is public, else a tombstone. A consumer that
 * applies every page in order holds exactly the public articles, tags and authors.
 */
@Resolver(_of => Change)
export class ChangesResolver {
  @Query(_returns => ChangeConnection, {
    description:
      'Changes of public content in commit order, after a cursor (null: from the first change): UPSERT with the node as it is now, or DELETE. Cursors outlive pages; one older than CHANGE_RETENTION_DAYS is BAD_USER_INPUT with extensions.resync: read all content again and continue from changesCursor. Never cached.',
  })
  async changes(
    @Args() { first, after }: PageArgs,
    @Ctx() { editorial, loaders }: Context,
  ): Promise<ChangeConnection> {
    // The outbox is read through the DataSource, between write transactions on SQLite, so an
    // uncommitted (possibly rolled back) change is never handed out (readChanges.ts).
    const { db } = editorial;
    const page = await changesPage(db, after ?? null, checkPageSize(first));
    const edges = await Promise.all(
      page.changes.map(async ({ event, subject }) => {
        const change = Object.assign(new Change(), {
          nodeId: encodeGlobalId(subject.type, subject.id),
          event: event.type,
          occurredAt: new Date(event.occurredAt),
          article: null,
          tag: null,
          author: null,
        });
        // Loaders batch the page: one public read per node type, whatever the page size.
        const node =
          subject.type === 'Article'
            ? { article: await loaders.articleById.load(subject.id) }
            : subject.type === 'Tag'
              ? { tag: await loaders.tagById.load(subject.id) }
              : { author: await loaders.authorById.load(subject.id) };
        Object.assign(change, node);
        const found = Object.values(node)[0] != null;
        change.kind = found ? ChangeKind.UPSERT : ChangeKind.DELETE;
        return { cursor: changeCursor(event.id), node: change };
      }),
    );
    return connectionOf(
      ChangeConnection,
      edges,
      { hasNextPage: page.hasNextPage, hasPreviousPage: page.afterId > 0 },
      () => countPublicChangesAfter(db, page.afterId),
    );
  }

  @Query(_returns => String, {
    description:
      'The cursor after the newest change now: a new consumer takes it, reads all content (articles, tags, authors), then follows changes(after:) from it.',
  })
  async changesCursor(@Ctx() { editorial }: Context): Promise<string> {
    return changeCursor((await outboxPosition(editorial.db)).latestId);
  }
}
