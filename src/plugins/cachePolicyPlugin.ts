import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ViewWindow } from '../entities/enums';

/**
 * How long a ranking over each window may be cached (issue 4): a 24-hour ranking moves within a
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

export const uncacheable = 'private, no-store';

export interface CachePolicyOptions {
  schema: GraphQLSchema;
  /** max-age of published content: CACHE_MAX_AGE_SECONDS. */
  defaultMaxAge: number;
}

function windowOf(value: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!value) return undefined;
  if (value.kind === Kind.ENUM) return value.value;
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  return undefined;
}

type Visit = (parent: GraphQLNamedType, field: FieldNode) => void;

/** Calls visit for every field under a selection set, through fragments, with its parent type. */
function eachField(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visit: Visit,
  seen = new Set<string>(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      visit(parent, selection);
      const definition =
        isObjectType(parent) || isInterfaceType(parent)
          ? parent.getFields()[selection.name.value]
          : undefined;
      if (selection.selectionSet && definition) {
        eachField(
          schema,
          selection.selectionSet,
          getNamedType(definition.type),
          fragments,
          visit,
          seen,
        );
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? schema.getType(selection.typeCondition.name.value)
        : parent;
      if (type) eachField(schema, selection.selectionSet, type, fragments, visit, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      const type = fragment && schema.getType(fragment.typeCondition.name.value);
      if (fragment && type) eachField(schema, fragment.selectionSet, type, fragments, visit, seen);
    }
  }
}

/**
 * The Cache-Control of one operation, read from the operation itself: `private, no-store` for a
 * mutation or a private field. Else public, with the shortest max-age of its root fields: a ranking
 * (mostRead) is cached by its window, everything it lists included; any other root field by the
 * content max-age; a view count anywhere shortens its root field's max-age to the count's window.
 */
export function cachePolicyOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  defaultMaxAge: number,
): string {
  const queryType = schema.getQueryType();
  if (operation.operation !== 'query' || !queryType) return uncacheable;
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map(fragment => [fragment.name.value, fragment]),
  );
  const windowAge = (key: string, field: FieldNode): number | undefined => {
    const defaultWindow = windowedFields[key];
    if (!defaultWindow) return undefined;
    const argument = field.arguments?.find(arg => arg.name.value === 'window');
    const window = windowOf(argument?.value, variables) as ViewWindow | undefined;
    return maxAgeByWindow[window ?? defaultWindow] ?? maxAgeByWindow[defaultWindow];
  };
  let isPrivate = false;
  let maxAge = Infinity;
  eachField(schema, operation.selectionSet, queryType, fragments, (parent, root) => {
    if (parent !== queryType || root.name.value.startsWith('__')) return;
    const key = `${parent.name}.${root.name.value}`;
    if (privateFields.has(key)) isPrivate = true;
    let rootAge = windowAge(key, root) ?? defaultMaxAge;
    const definition = queryType.getFields()[root.name.value];
    if (root.selectionSet && definition) {
      eachField(
        schema,
        root.selectionSet,
        getNamedType(definition.type),
        fragments,
        (inner, field) => {
          const age = windowAge(`${inner.name}.${field.name.value}`, field);
          if (age !== undefined) rootAge = Math.min(rootAge, age);
        },
      );
    }
    maxAge = Math.min(maxAge, rootAge);
  });
  if (isPrivate || !(maxAge > 0) || maxAge === Infinity) return uncacheable;
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
            policy = cachePolicyOf(
              schema,
              document,
              operation,
              request.variables ?? {},
              defaultMaxAge,
            );
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
