import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import {
  type FieldGroup,
  type OperationField,
  fieldsAtLevel,
  foldFields,
  walkOperation,
} from './operationFields';
import { ViewWindow } from '../entities/enums';

/**
 * How long a ranking over each window may be cached: a 24-hour ranking moves within a
 * minute on a busy site, a 30-day or all-time one hardly within a quarter of an hour.
 */
export const maxAgeByWindow: Readonly<Record<ViewWindow, number>> = {
  [ViewWindow.LAST_24_HOURS]: 60,
  [ViewWindow.LAST_7_DAYS]: 300,
  [ViewWindow.LAST_30_DAYS]: 900,
  [ViewWindow.ALL_TIME]: 900,
};

/** Fields whose answer depends on who asks: never in a shared cache. */
const privateFields = new Set(['Query.viewStats']);

/** Fields that read view counts: cached by their window (default in the value), not the content max-age. */
const windowedFields: Readonly<Record<string, ViewWindow>> = {
  'Query.mostRead': ViewWindow.LAST_7_DAYS,
  'Article.viewCount': ViewWindow.ALL_TIME,
};

// Checked first: most fields are none of these, and a name is quicker to look up than a key to build.
const windowedNames = new Set(Object.keys(windowedFields).map(key => key.split('.')[1]));

export const uncacheable = 'private, no-store';

export interface CachePolicyOptions {
  schema: GraphQLSchema;
  /** max-age of published content: CACHE_MAX_AGE_SECONDS. */
  defaultMaxAge: number;
}

/** The max-age a field that reads view counts allows, by its window argument; undefined for others. */
function windowAge(field: OperationField): number | undefined {
  if (!windowedNames.has(field.name)) return undefined;
  const defaultWindow = windowedFields[`${field.parentType.name}.${field.name}`];
  if (!defaultWindow) return undefined;
  // The argument as resolvers get it: a variable's value or default, else the field's default.
  const window = field.args.window as ViewWindow | null | undefined;
  return maxAgeByWindow[window ?? defaultWindow] ?? maxAgeByWindow[defaultWindow];
}

/**
 * The Cache-Control of one operation, read from the operation itself: `private, no-store` for a
 * mutation or a private field. Else public, with the shortest max-age of its root fields: a ranking
 * (mostRead) is cached by its window, everything it lists included; any other root field by the
 * content max-age; a view count anywhere shortens its root field's max-age to the count's window.
 * Fields are read through fragments, with the request's variables and their defaults
 * (walkOperation).
 */
export function cachePolicyOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  defaultMaxAge: number,
): string {
  if (operation.operation !== 'query') return uncacheable;
  let root: FieldGroup;
  try {
    ({ root } = walkOperation(schema, document, operation, variables));
  } catch {
    // Variables that do not coerce: the answer is an error, and errors are never cached.
    return uncacheable;
  }
  if (fieldsAtLevel(root).some(field => privateFields.has(`${root.type.name}.${field.name}`))) {
    return uncacheable;
  }
  // One fold: a root field allows the content max-age or its window's, and every view count under
  // it (through fragments) shortens that to the count's window.
  const maxAge = foldFields<number>(root, {
    field: (field, inner) => {
      const atRoot = field.parentType === root.type;
      if (atRoot && field.name.startsWith('__')) return Infinity;
      const own = windowAge(field) ?? (atRoot ? defaultMaxAge : Infinity);
      return Math.min(own, inner ?? Infinity);
    },
    group: (_group, fields, fragments) => Math.min(Infinity, ...fields, ...fragments),
  });
  if (!(maxAge > 0) || maxAge === Infinity) return uncacheable;
  return `max-age=${maxAge}, public`;
}

/**
 * Sets Cache-Control on every GraphQL answer from the operation's static policy (cachePolicyOf),
 * once per request: unlike per-field cache hints, it adds no work to each resolved field. Answers
 * with errors, and every answer to a request with an Authorization header (a token may see drafts
 * or analytics), are `private, no-store`.
 */
export function cachePolicyPlugin({
  schema,
  defaultMaxAge,
}: CachePolicyOptions): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const withToken = request.http?.headers.has('authorization') ?? false;
      let policy = uncacheable;
      return {
        async didResolveOperation({ document, operation }) {
          if (!withToken && operation) {
            policy = cachePolicyOf(schema, document, operation, request.variables, defaultMaxAge);
          }
        },
        async willSendResponse({ response }) {
          const failed =
            response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
          response.http.headers.set('cache-control', failed ? uncacheable : policy);
        },
      };
    },
  };
}
