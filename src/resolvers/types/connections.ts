import { Article } from '../../entities/Article';
import { Author } from '../../entities/Author';
import { Tag } from '../../entities/Tag';
import { countedConnectionType } from '../../relay/connectionType';

export const ArticleConnection = countedConnectionType('Article', Article);
export type ArticleConnection = InstanceType<typeof ArticleConnection>;

export const AuthorConnection = countedConnectionType('Author', Author);
export type AuthorConnection = InstanceType<typeof AuthorConnection>;

export const TagConnection = countedConnectionType('Tag', Tag);
export type TagConnection = InstanceType<typeof TagConnection>;
