import { ContentSchema1764400000000 } from './1764400000000-ContentSchema';
import { ViewSchema1764500000000 } from './1764500000000-ViewSchema';

/** Every migration, oldest first; both dialects run the same list. */
export const migrations = [ContentSchema1764400000000, ViewSchema1764500000000];
