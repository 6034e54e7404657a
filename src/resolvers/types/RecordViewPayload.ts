import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { NotCountedReason } from '../../views/viewGuard';

/** Why a view was accepted but not counted; the GraphQL names of the guard's reasons. */
export enum ViewNotCountedReason {
  BOT = 'bot',
  PREFETCH = 'prefetch',
  REPEAT = 'repeat',
  RATE = 'rate',
  UNPUBLISHED = 'unpublished',
}

registerEnumType(ViewNotCountedReason, {
  name: 'ViewNotCountedReason',
  valuesConfig: {
    BOT: { description: 'The user agent is a known bot or crawler.' },
    PREFETCH: { description: 'A prefetch or prerender request (Purpose or Sec-Purpose header).' },
    REPEAT: { description: 'The same visitor read the same article within the dedupe period.' },
    RATE: { description: 'The visitor sent more views a minute than a reader can.' },
    UNPUBLISHED: { description: 'The article is not public.' },
  },
});

@ObjectType({ simpleResolvers: true })
export class RecordViewPayload {
  @Field(_type => Boolean, {
    description:
      'False where the view was a repeat within the dedupe period, or came from a bot, a prefetch, a visitor over the rate, or was of an unpublished article.',
  })
  counted!: boolean;

  @Field(_type => ViewNotCountedReason, {
    nullable: true,
    description: 'Why the view was not counted; null where it was.',
  })
  reason!: NotCountedReason | null;

  /** The public article viewed (resolved by ViewResolver only when asked for); null if not public. */
  articleId!: number | null;
}
