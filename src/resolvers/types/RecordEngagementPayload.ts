import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { EngagementRefusal } from '../../views/recordEngagement';

/** Why an engagement report was not counted. */
export enum EngagementNotCountedReason {
  UNKNOWN_VIEW = 'unknown',
  REPEAT = 'repeat',
}

registerEnumType(EngagementNotCountedReason, {
  name: 'EngagementNotCountedReason',
  valuesConfig: {
    UNKNOWN_VIEW: {
      description:
        'No counted view with this viewId in the last two hours (not counted, never sent, or counted by another replica).',
    },
    REPEAT: { description: 'This view has reported its engagement already.' },
  },
});

@ObjectType({ simpleResolvers: true })
export class RecordEngagementPayload {
  @Field(_type => Boolean, { description: 'Whether the report was counted (once per view).' })
  counted!: boolean;

  @Field(_type => EngagementNotCountedReason, {
    nullable: true,
    description: 'Why the report was not counted; null where it was.',
  })
  reason!: EngagementRefusal | null;

  @Field(_type => Boolean, {
    description:
      'Whether the view counts as a read: READ_MIN_SECONDS visible or READ_MIN_SCROLL per cent scrolled.',
  })
  read!: boolean;
}
