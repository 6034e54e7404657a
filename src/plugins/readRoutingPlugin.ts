import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { type OperationField, foldFields, walkOperation } from './operationFields';
import type { Context } from '../context';

/**
 * Fields an editor or a consumer reads right after a write, so they read the primary: the
 * change feed (a webhook's consumer asks for what it was just told of) and an article's
 * revisions (an editor's own edits).
 */
const primaryFields = new Set(['Query.changes', 'Query.changesCursor', 'Article.revisions']);

/** A preview read (Query.article with preview: true or a previewToken): drafts, read fresh. */
function isPreview(field: OperationField): boolean {
  return (
    field.parentType.name === 'Query' &&
    field.name === 'article' &&
    (field.args.preview === true || field.args.previewToken != null)
  );
}

/**
 * Whether an operation is a public read, which a read replica may answer (README "Read
 * replicas"): a query that reads no preview, no change feed and no revisions anywhere (through
 * fragments, with the request's variables). Mutations read the primary, and so see their own
 * writes; so does an operation whose variables do not coerce (it fails anyway).
 */
export function isPublicRead(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): boolean {
  if (operation.operation !== 'query') return false;
  let root;
  try {
    ({ root } = walkOperation(schema, document, operation, variables));
  } catch {
    return false;
  }
  const needsPrimary = foldFields<boolean>(root, {
    field: (field, inner) =>
      inner === true ||
      primaryFields.has(`${field.parentType.name}.${field.name}`) ||
      isPreview(field),
    group: (_group, fields, fragments) => fields.includes(true) || fragments.includes(true),
  });
  return !needsPrimary;
}

/**
 * Sends a request's reads to a read replica once its operation is known to be a public read
 * (isPublicRead); until then, and for everything else, they stay on the primary. Installed only
 * where DATABASE_READ_URLS names replicas.
 */
export function readRoutingPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          contextValue.reads.replica =
            operation !== undefined && isPublicRead(schema, document, operation, request.variables);
        },
      };
    },
  };
}
