import {
  type DocumentNode,
  GraphQLError,
  type GraphQLCompositeType,
  type GraphQLSchema,
  Lexer,
  type OperationDefinitionNode,
  Source,
  TokenKind,
  isAbstractType,
  isLeafType,
  visit,
} from 'graphql';
import type { QueryLimits } from '../config';
import { type FieldGroup, type OperationField, foldFields, walkOperation } from './operationFields';
import { QueryTooComplexError } from '../errors/QueryTooComplexError';
import { maxPageSize } from '../relay/pageSize';

/**
 * Assumed length of a list field without `first` (an article's authors or tags, headings): articles
 * carry one to three authors and three to five tags, so 5 errs on the expensive side.
 */
export const assumedListSize = 5;

/**
 * The fixed cost of an introspection meta field (`__schema`, `__type`), whatever it selects. Priced by
 * its selections, graphql-js's getIntrospectionQuery() cost 2,796, so a lowered QUERY_MAX_COST broke
 * GraphiQL, Apollo Sandbox and GraphQL Code Generator. Introspection reads the schema in memory, no
 * SQL; graphql-js bounds its depth (MaxIntrospectionDepthRule), QUERY_MAX_TOKENS and
 * QUERY_MAX_ALIASES its size, and INTROSPECTION turns it off (off in production by default).
 */
export const introspectionFieldCost = 1;

/**
 * Checks the raw query text before it is parsed: its length, and its token count (a lexer pass that
 * stops at the limit, so a huge document costs no more than the limit to refuse). Tokens are
 * graphql-js's lexical tokens; comments and whitespace do not count, the length limit bounds those.
 */
export function checkQuerySource(query: string, limits: QueryLimits): void {
  if (query.length > limits.maxLength) {
    throw new QueryTooComplexError(
      'length',
      `Query is ${query.length} characters long; the limit is ${limits.maxLength} (QUERY_MAX_LENGTH).`,
      { maximum: limits.maxLength, value: query.length },
    );
  }
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      tokens += 1;
      if (tokens > limits.maxTokens) {
        throw new QueryTooComplexError(
          'tokens',
          `Query has more than ${limits.maxTokens} tokens; the limit is ${limits.maxTokens} (QUERY_MAX_TOKENS).`,
          { maximum: limits.maxTokens, value: tokens },
        );
      }
    }
  } catch (error) {
    if (error instanceof QueryTooComplexError) throw error;
    // A lexical error: the parser reports it with its position, as GRAPHQL_PARSE_FAILED.
  }
}

/** Aliases and directives anywhere in the document (fragments counted once, where defined). */
function countAliasesAndDirectives(document: DocumentNode): {
  aliases: number;
  directives: number;
} {
  let aliases = 0;
  let directives = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases += 1;
    },
    Directive() {
      directives += 1;
    },
  });
  return { aliases, directives };
}

/**
 * The depth of an operation in object levels: leaf fields do not add a level, and a Relay
 * connection's `edges { node { ... } }` counts as one level (`node` on an edge type adds none), so
 * `tag { articles { edges { node { authors { name } } } } }` has depth 4. Introspection fields are
 * not counted: introspection is off in production, and graphql-js bounds its depth itself
 * (MaxIntrospectionDepthRule).
 */
function depthField(field: OperationField, inner: number | undefined): number {
  if (inner === undefined || field.name.startsWith('__')) return 0;
  const ownLevel = field.name === 'node' && field.parentType.name.endsWith('Edge') ? 0 : 1;
  return ownLevel + inner;
}

/**
 * The cost model. Each item of a list costs 1 + its fields, times the items the list returns: a
 * list with `first` costs 1 + first x (1 + its fields), one without (an article's authors, tags or
 * headings) 1 + assumedListSize x (1 + its fields). A connection with `first` costs 1 + first x
 * its fields, and its `edges` 1 + its fields (an edge is the item). Any other object field costs
 * 1 + its fields; a leaf (or a list of scalars) 0, unless the schema gives it a
 * `complexity` (TypeGraphQL's `complexity` option: fields that run their own SQL, e.g. totalCount),
 * which is then its cost. `__schema` and `__type` cost introspectionFieldCost, `__typename` 0, so an
 * operation that mixes them with other fields pays for those in full. An out-of-range `first` is recorded in `badFirst`, so it is refused before
 * any resolver runs.
 */
function costField(
  field: OperationField,
  inner: number | undefined,
  badFirst: { value: unknown }[],
): number {
  if (field.name === '__schema' || field.name === '__type') return introspectionFieldCost;
  const fields = inner ?? 0;
  const complexity = field.definition.extensions?.complexity;
  if (typeof complexity === 'number') return complexity + fields;
  if ('first' in field.args) {
    const first: unknown = field.args.first;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > maxPageSize) {
      badFirst.push({ value: first });
      return 1;
    }
    return 1 + first * (field.isList ? 1 + fields : fields);
  }
  // A list of scalars or enums is priced as a leaf: the schema's output types have none, only
  // introspection does (a directive's locations).
  if (isLeafType(field.type)) return 0;
  if (!field.isList) return 1 + fields;
  if (field.name === 'edges' && field.parentType.name.endsWith('Connection')) return 1 + fields;
  return 1 + assumedListSize * (1 + fields);
}

/**
 * The cost of a group of selections. On an interface or union, fields count for every type that
 * could be there and a fragment for the types of its condition; the group costs what the dearest
 * type costs (as graphql-query-complexity counts it).
 */
function costGroup(
  schema: GraphQLSchema,
  group: FieldGroup,
  fields: number[],
  fragments: number[],
): number {
  const typesOf = (type: GraphQLCompositeType) =>
    isAbstractType(type) ? schema.getPossibleTypes(type).map(t => t.name) : [type.name];
  const byType = new Map<string, number>();
  const add = (types: string[], cost: number) => {
    for (const name of types) byType.set(name, (byType.get(name) ?? 0) + cost);
  };
  if (fields.length)
    add(
      typesOf(group.type),
      fields.reduce((sum, cost) => sum + cost, 0),
    );
  group.fragments.forEach((fragment, index) => add(typesOf(fragment.type), fragments[index]));
  return Math.max(0, ...byType.values());
}

/** BAD_USER_INPUT refused before execution: HTTP 400, as Apollo answers variables that do not coerce. */
function badInput(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/** True where a value (a variable, or anything inside one) holds a string with a NUL character. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some(inner => holdsNul(inner, depth + 1));
}

export interface OperationCheck {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | undefined;
  limits: QueryLimits;
}

/** What the limits need of an operation that does not depend on its variables. */
interface OperationFacts {
  aliases: number;
  directives: number;
  nulInDocument: boolean;
  /** Variables the depth and cost depend on: those in `first` arguments and in directives (@include). */
  costVariables: string[];
  /** Depths and costs already worked out, by the values of costVariables. */
  measures: Map<string, OperationMeasures>;
}

/** What an operation asks for with one set of values of its cost variables. */
interface OperationMeasures {
  depth: number;
  cost: number;
  /** The first `first` outside 1..maxPageSize, if any. */
  badFirst: { value: unknown } | undefined;
}

// Apollo hands the same parsed document to every request with the same query text, so the facts of
// an operation are worked out once (measured: see README "Performance"). Keyed weakly: a document
// Apollo's cache drops is dropped here too.
const factsByOperation = new WeakMap<OperationDefinitionNode, OperationFacts>();
// Distinct variable values whose cost is kept per operation (pages of 10, 20, 50 ...).
const costsPerOperation = 64;

function operationFacts(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationFacts {
  const known = factsByOperation.get(operation);
  if (known) return known;
  const { aliases, directives } = countAliasesAndDirectives(document);
  let nulInDocument = false;
  const costVariables = new Set<string>();
  let inCostArgument = 0;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) nulInDocument = true;
    },
    Argument: {
      enter(node) {
        if (node.name.value === 'first') inCostArgument += 1;
      },
      leave(node) {
        if (node.name.value === 'first') inCostArgument -= 1;
      },
    },
    Directive: {
      enter() {
        inCostArgument += 1;
      },
      leave() {
        inCostArgument -= 1;
      },
    },
    Variable(node) {
      if (inCostArgument > 0) costVariables.add(node.name.value);
    },
  });
  const facts: OperationFacts = {
    aliases,
    directives,
    nulInDocument,
    costVariables: [...costVariables].sort(),
    measures: new Map(),
  };
  factsByOperation.set(operation, facts);
  return facts;
}

/**
 * The depth and the cost of an operation with these variables, in one walk of its fields
 * (walkOperation: fragments expanded once each, @skip and @include applied); throws
 * BAD_USER_INPUT for variables that do not coerce.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): OperationMeasures {
  const { root } = walkOperation(schema, document, operation, variables);
  const badFirst: { value: unknown }[] = [];
  const depth = foldFields<number>(root, {
    field: depthField,
    group: (_group, fields, fragments) => Math.max(0, ...fields, ...fragments),
  });
  const cost = foldFields<number>(root, {
    field: (field, inner) => costField(field, inner, badFirst),
    group: (group, fields, fragments) => costGroup(schema, group, fields, fragments),
  });
  return { depth, cost, badFirst: badFirst[0] };
}

/**
 * Checks a parsed and validated operation against the depth, alias, directive and cost limits and
 * the 1..100 range of every `first`. Returns the operation's cost; throws QueryTooComplexError or
 * BAD_USER_INPUT naming the limit and the value.
 */
export function checkOperation({
  schema,
  document,
  operation,
  variables,
  limits,
}: OperationCheck): {
  cost: number;
} {
  const facts = operationFacts(document, operation);
  // PostgreSQL text cannot hold U+0000 (the driver fails the statement), and no slug, cursor, id or
  // search term needs it: refused up front on both databases alike, as BAD_USER_INPUT.
  if (facts.nulInDocument || holdsNul(variables)) {
    throw badInput('Strings must not contain the NUL character (U+0000), got one that does.');
  }
  const { aliases, directives } = facts;
  if (aliases > limits.maxAliases) {
    throw new QueryTooComplexError(
      'aliases',
      `Query uses ${aliases} aliases; the limit is ${limits.maxAliases} (QUERY_MAX_ALIASES).`,
      { maximum: limits.maxAliases, value: aliases },
    );
  }
  if (directives > limits.maxDirectives) {
    throw new QueryTooComplexError(
      'directives',
      `Query uses ${directives} directives; the limit is ${limits.maxDirectives} (QUERY_MAX_DIRECTIVES).`,
      { maximum: limits.maxDirectives, value: directives },
    );
  }
  // An absent variable (its default applies) and an explicit null are different keys.
  const costKey = JSON.stringify(
    facts.costVariables.map(name =>
      variables && Object.hasOwn(variables, name) ? [variables[name]] : [],
    ),
  );
  let measures = facts.measures.get(costKey);
  if (measures === undefined) {
    measures = measureOperation(schema, document, operation, variables);
    if (facts.measures.size >= costsPerOperation) facts.measures.clear();
    facts.measures.set(costKey, measures);
  }
  const { depth, cost, badFirst } = measures;
  if (depth > limits.maxDepth) {
    throw new QueryTooComplexError(
      'depth',
      `Query is ${depth} levels deep; the limit is ${limits.maxDepth} (QUERY_MAX_DEPTH).`,
      { maximum: limits.maxDepth, value: depth },
    );
  }
  if (badFirst) {
    throw badInput(`first must be between 1 and ${maxPageSize}, got ${String(badFirst.value)}.`);
  }
  if (cost > limits.maxCost) {
    throw new QueryTooComplexError(
      'cost',
      `Query costs ${cost}; the limit is ${limits.maxCost} (QUERY_MAX_COST). Ask for fewer items with first, or fewer nested lists.`,
      { maximum: limits.maxCost, value: cost },
    );
  }
  return { cost };
}
