import { ContentSchema1764400000000 } from './1764400000000-ContentSchema';

/** Every migration, oldest first; both dialects run the same list. */
export const migrations = [ContentSchema1764400000000];
