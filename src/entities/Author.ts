import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PartlyLoaded } from './PartlyLoaded';
import { encodeGlobalId } from '../relay/globalId';
import { Node } from '../relay/Node';

@Entity({ name: 'author' })
@ObjectType({ implements: Node, simpleResolvers: true })
export class Author extends PartlyLoaded implements Node {
  @PrimaryGeneratedColumn({ name: 'internal_id' })
  internalId!: number;

  @Field(_type => ID)
  get id(): string {
    return encodeGlobalId('Author', this.internalId);
  }

  @Field(_type => String)
  @Column({ type: 'varchar', length: 200, unique: true })
  slug!: string;

  /** The default name; `name(locale:)` is resolved in the resolver, from namesJson. */
  @Column({ type: 'varchar', length: 300 })
  name!: string;

  /** JSON object of the name per language, e.g. {"en":"Career"}; read by `name(locale:)`. */
  @Column({ name: 'names_json', type: 'text', nullable: true })
  namesJson!: string | null;

  @Column({ name: 'sort_name', type: 'varchar', length: 300 })
  sortName!: string;

  /** Resolved in AuthorResolver: a list of an article's authors reads only the card (detailsLoaded). */
  @Column({ type: 'text', nullable: true })
  bio!: string | null;

  @Column({ name: 'avatar_url', type: 'varchar', length: 2000, nullable: true })
  avatarUrl!: string | null;
}
