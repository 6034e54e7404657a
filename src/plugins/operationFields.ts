import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
} from 'graphql';

/** One field an operation selects, with what the rules that price, count or cache it need. */
export interface OperationField {
  /** The object, interface or union type the field is selected on. */
  parentType: GraphQLCompositeType;
  node: FieldNode;
  name: string;
  /** The alias, or the name: fields with one response key at one level run once. */
  responseKey: string;
  /** The schema's field (the meta fields __typename, __schema and __type included). */
  definition: GraphQLField<unknown, unknown>;
  /** Argument values as resolvers get them: variables resolved, defaults applied. */
  args: Record<string, unknown>;
  /** Whether the field returns a list (non-null wrappers aside). */
  isList: boolean;
  /** The named type of its value. */
  type: GraphQLNamedType;
  /** What it selects, fragments expanded; undefined for a leaf. */
  selections: FieldGroup | undefined;
}

/**
 * The selections of one selection set, @skip and @include applied. Fragments stay groups of their
 * own: the group of a named fragment is one object shared by every spread of it, so a document of
 * nested spreads is walked once per fragment, not once per path to it.
 */
export interface FieldGroup {
  /** The type the selections apply to: the field's type, or the fragment's type condition. */
  type: GraphQLCompositeType;
  fields: OperationField[];
  /** Inline fragments and fragment spreads that are not skipped. */
  fragments: FieldGroup[];
}

export interface OperationWalk {
  schema: GraphQLSchema;
  /** The root type's selections. */
  root: FieldGroup;
  /** The operation's variables, coerced, defaults applied. */
  variables: Record<string, unknown>;
  /** Selections walked: each fragment definition's once, however often it is spread. */
  visits: number;
}

/** Variables that do not coerce: HTTP 400, as Apollo answers them. */
function badVariables(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/** A selection's @skip and @include, as graphql-js's collectFields reads them. */
function included(
  node: FieldNode | FragmentSpreadNode | InlineFragmentNode,
  variables: Record<string, unknown>,
): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** What the walk needs of a field's definition, worked out once per definition. */
interface FieldFacts {
  definition: GraphQLField<unknown, unknown>;
  type: GraphQLNamedType;
  isList: boolean;
  composite: boolean;
}

// graphql-js's type predicates are slow outside NODE_ENV=production (its instanceOf checks names
// on every miss): the facts of a field are read once per schema type and field name. Measured: a
// walk of the bench's listing page took 50 us with the predicates on each field, 11 us with this.
const factsByType = new WeakMap<GraphQLCompositeType, Map<string, FieldFacts | null>>();

function factsOf(definition: GraphQLField<unknown, unknown>): FieldFacts {
  const type = getNamedType(definition.type);
  return {
    definition,
    type,
    isList: isListType(getNullableType(definition.type)),
    composite: isCompositeType(type),
  };
}

function fieldFacts(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  name: string,
): FieldFacts | undefined {
  let byName = factsByType.get(parent);
  if (!byName) {
    byName = new Map();
    factsByType.set(parent, byName);
  }
  let facts = byName.get(name);
  if (facts === undefined) {
    let definition: GraphQLField<unknown, unknown> | undefined;
    if (name === TypeNameMetaFieldDef.name) definition = TypeNameMetaFieldDef;
    else if (parent === schema.getQueryType() && name === SchemaMetaFieldDef.name) {
      definition = SchemaMetaFieldDef;
    } else if (parent === schema.getQueryType() && name === TypeMetaFieldDef.name) {
      definition = TypeMetaFieldDef;
    } else if (isObjectType(parent) || isInterfaceType(parent)) {
      definition = parent.getFields()[name];
    }
    facts = definition ? factsOf(definition) : null;
    byName.set(name, facts);
  }
  return facts ?? undefined;
}

/**
 * Walks the selections of a validated operation: inline fragments and named fragment spreads
 * expanded (@skip and @include honoured with the request's variables and their defaults), each
 * field with its parent type, its argument values and whether it is a list. Linear in the size of
 * the document: a named fragment is walked once and its group shared by every spread. A fragment
 * that spreads itself (validation refuses it) is left out where it would recur. Throws
 * BAD_USER_INPUT for variables that do not coerce.
 */
export function walkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): OperationWalk {
  const rootType =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!rootType) {
    throw new GraphQLError(`The schema has no ${operation.operation} type.`);
  }
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    rawVariables ?? {},
  );
  if (coerced.errors) throw badVariables(coerced.errors[0]);
  const variables = coerced.coerced;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const fragmentGroups = new Map<string, FieldGroup>();
  const walking = new Set<string>();
  let visits = 0;

  const groupOf = (type: GraphQLCompositeType, selectionSet: SelectionSetNode): FieldGroup => {
    const group: FieldGroup = { type, fields: [], fragments: [] };
    for (const selection of selectionSet.selections) {
      visits += 1;
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const facts = fieldFacts(schema, type, name);
        if (!facts) continue; // validation reports unknown fields
        const { definition } = facts;
        const args =
          definition.args.length === 0 ? {} : getArgumentValues(definition, selection, variables);
        group.fields.push({
          parentType: type,
          node: selection,
          name,
          responseKey: selection.alias?.value ?? name,
          definition,
          args,
          isList: facts.isList,
          type: facts.type,
          selections:
            selection.selectionSet && facts.composite
              ? groupOf(facts.type as GraphQLCompositeType, selection.selectionSet)
              : undefined,
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : type;
        if (isCompositeType(condition)) {
          group.fragments.push(groupOf(condition, selection.selectionSet));
        }
      } else {
        const name = selection.name.value;
        const known = fragmentGroups.get(name);
        if (known) {
          group.fragments.push(known);
          continue;
        }
        const fragment = fragments.get(name);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !isCompositeType(condition) || walking.has(name)) continue;
        walking.add(name);
        const fragmentGroup = groupOf(condition, fragment.selectionSet);
        walking.delete(name);
        fragmentGroups.set(name, fragmentGroup);
        group.fragments.push(fragmentGroup);
      }
    }
    return group;
  };

  try {
    const root = groupOf(rootType, operation.selectionSet);
    return { schema, root, variables, visits };
  } catch (error) {
    // An argument or a directive's `if` whose variable does not coerce.
    if (error instanceof GraphQLError) throw badVariables(error);
    throw error;
  }
}

/**
 * Folds a group bottom-up: `field` gets a field and the folded value of its selections (undefined
 * for a leaf); `group` combines the values of a group's own fields and of its fragments. Each
 * group is folded once (a shared fragment group's value is reused), so the fold is as linear as
 * the walk.
 */
export function foldFields<T>(
  root: FieldGroup,
  fold: {
    field: (field: OperationField, selections: T | undefined) => T;
    group: (group: FieldGroup, fields: T[], fragments: T[]) => T;
  },
): T {
  const done = new Map<FieldGroup, T>();
  const foldGroup = (group: FieldGroup): T => {
    if (done.has(group)) return done.get(group) as T;
    const value = fold.group(
      group,
      group.fields.map(field =>
        fold.field(field, field.selections ? foldGroup(field.selections) : undefined),
      ),
      group.fragments.map(foldGroup),
    );
    done.set(group, value);
    return value;
  };
  return foldGroup(root);
}

/**
 * The fields selected at one level of an object type, through its fragments, one per response key
 * (graphql-js merges fields with the same response key and runs them once). Each fragment group is
 * read once. Meant for a root type: on an interface, fragments on different types would share keys.
 */
export function fieldsAtLevel(group: FieldGroup): OperationField[] {
  const byKey = new Map<string, OperationField>();
  const seen = new Set<FieldGroup>();
  const collect = (current: FieldGroup) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const field of current.fields) {
      if (!byKey.has(field.responseKey)) byKey.set(field.responseKey, field);
    }
    current.fragments.forEach(collect);
  };
  collect(group);
  return [...byKey.values()];
}
