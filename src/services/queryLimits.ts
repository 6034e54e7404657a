import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  visit,
} from 'graphql';
import {
  type ComplexityEstimator,
  fieldExtensionsEstimator,
  getComplexity,
} from 'graphql-query-complexity';
import type { QueryLimits } from '../config';
import { QueryTooComplexError } from '../errors/QueryTooComplexError';
import { maxPageSize } from './pageSize';

/**
 * Assumed length of a list field without `first` (an article's authors or tags, headings): articles
 * carry one to three authors and three to five tags, so 5 errs on the expensive side.
 */
export const assumedListSize = 5;

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
 * connection's `edges { node { ... } }` counts as one level, so `tag { articles { edges { node {
 * authors { name } } } } }` has depth 4. Introspection fields are not counted: introspection is off in
 * production, and graphql-js bounds its depth itself (MaxIntrospectionDepthRule).
 */
export function operationDepth(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): number {
  const depthOf = (selectionSet: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !selection.selectionSet) continue;
        // `edges` adds the level; the `node` inside it does not add another.
        const own = name === 'node' && seen.has('#edges') ? 0 : 1;
        const inner = new Set(seen);
        if (name === 'edges') inner.add('#edges');
        else inner.delete('#edges');
        deepest = Math.max(deepest, own + depthOf(selection.selectionSet, inner));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, new Set());
}

/**
 * The cost model: a field with a `first` argument costs 1 + first x its children (a connection's
 * edges are then not multiplied again); a list without `first` costs 1 + assumedListSize x its
 * children; any other object field 1 + its children; a leaf 0, unless the schema gives it a
 * `complexity` (TypeGraphQL's `complexity` option: fields that run their own SQL, e.g. totalCount).
 * An out-of-range `first` is recorded in `badFirst`, so it is refused before any resolver runs.
 */
function pagedEstimator(badFirst: { value: unknown }[]): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if ('first' in args) {
      const first: unknown = args.first;
      if (
        typeof first !== 'number' ||
        !Number.isInteger(first) ||
        first < 1 ||
        first > maxPageSize
      ) {
        badFirst.push({ value: first });
        return 1;
      }
      return 1 + first * childComplexity;
    }
    if (isLeafType(getNamedType(field.type))) return 0;
    if (isListType(getNullableType(field.type))) {
      const paged = field.name === 'edges' && type.name.endsWith('Connection');
      return 1 + (paged ? 1 : assumedListSize) * childComplexity;
    }
    return 1 + childComplexity;
  };
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
  depth: number;
  nulInDocument: boolean;
  /** Variables the cost depends on: those in `first` arguments and in directives (@include). */
  costVariables: string[];
  /** Costs already computed, by the values of costVariables. */
  costs: Map<string, number>;
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
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map(d => [d.name.value, d]),
  );
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
    depth: operationDepth(operation, fragments),
    nulInDocument,
    costVariables: [...costVariables].sort(),
    costs: new Map(),
  };
  factsByOperation.set(operation, facts);
  return facts;
}

/**
 * Checks a parsed and validated operation against the depth, alias, directive and cost limits and
 * the 1..100 range of every `first`. Returns the operation's cost; throws QueryTooComplexError or
 * BadUserInputError naming the limit and the value.
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
  const { aliases, directives, depth } = facts;
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
  if (depth > limits.maxDepth) {
    throw new QueryTooComplexError(
      'depth',
      `Query is ${depth} levels deep; the limit is ${limits.maxDepth} (QUERY_MAX_DEPTH).`,
      { maximum: limits.maxDepth, value: depth },
    );
  }
  // An absent variable (its default applies) and an explicit null are different keys.
  const costKey = JSON.stringify(
    facts.costVariables.map(name =>
      variables && Object.hasOwn(variables, name) ? [variables[name]] : [],
    ),
  );
  let cost = facts.costs.get(costKey);
  if (cost === undefined) {
    cost = operationCost(schema, document, operation, variables);
    if (facts.costs.size >= costsPerOperation) facts.costs.clear();
    facts.costs.set(costKey, cost);
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

/**
 * The cost of an operation with these variables (graphql-query-complexity); throws BAD_USER_INPUT
 * for variables that do not coerce and for a `first` outside 1..100.
 */
function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  const badFirst: { value: unknown }[] = [];
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables: variables ?? {},
      estimators: [fieldExtensionsEstimator(), pagedEstimator(badFirst)],
    });
  } catch (error) {
    // Variables that do not coerce: the same answer execution would give.
    if (error instanceof GraphQLError) throw badInput(error.message);
    throw error;
  }
  if (badFirst.length) {
    throw badInput(`first must be between 1 and ${maxPageSize}, got ${String(badFirst[0].value)}.`);
  }
  return cost;
}
