import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@hips/common';
import { LIST_BOUNDS } from './list-bounds';

/**
 * The cost of an operation is the most objects it can make the API resolve (docs/security/request-limits.md):
 * every field returning an object costs 1, times the items of each list it sits in — `first` (default 20) on a
 * paginated field, the declared bound (list-bounds.ts) on an unpaginated one. Fragments are expanded and
 * aliases count as often as they are written. Scalars cost nothing, and so do plain values: objects whose fields
 * are all scalars or plain values (TrendCount, UserError, PageInfo...), which their parent builds in one go.
 * Introspection costs nothing (it is off in production and bounded by the depth and alias limits).
 */
export interface OperationCost {
  /** Null when the document was too large to price at all. */
  requestedQueryCost: number | null;
  maximumAvailable: number;
}

/** Most selections the analysis walks (fragments expanded) before it stops and refuses the document. */
const MAX_ANALYSED_NODES = 10_000;

const plainTypesBySchema = new WeakMap<GraphQLSchema, Set<string>>();

/** Object types with nothing to resolve below them: every field a scalar, an enum or another plain value. */
function plainTypes(schema: GraphQLSchema): Set<string> {
  const known = plainTypesBySchema.get(schema);
  if (known) return known;
  const verdicts = new Map<string, boolean>();
  const isPlain = (name: string): boolean => {
    const cached = verdicts.get(name);
    if (cached !== undefined) return cached;
    const type = schema.getType(name);
    if (!isObjectType(type) || name.startsWith('__')) return false;
    verdicts.set(name, false); // a cycle is not plain
    const plain = Object.values(type.getFields()).every((field) => {
      const target = getNamedType(field.type);
      return isLeafType(target) || isPlain(target.name);
    });
    verdicts.set(name, plain);
    return plain;
  };
  const plain = new Set(Object.keys(schema.getTypeMap()).filter(isPlain));
  plainTypesBySchema.set(schema, plain);
  return plain;
}

const isList = (field: GraphQLField<unknown, unknown>) =>
  isListType(isNonNullType(field.type) ? field.type.ofType : field.type);

function itemsOf(
  typeName: string,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): number {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = args.first;
    // pageSize() refuses anything outside 1..MAX_PAGE_SIZE; the analysis must not refuse it first as costly.
    return typeof first === 'number' ? Math.max(0, Math.min(first, MAX_PAGE_SIZE)) : DEFAULT_PAGE_SIZE;
  }
  if (!isList(field)) return 1;
  const bound = LIST_BOUNDS[`${typeName}.${field.name}`];
  if (bound === undefined) throw new Error(`${typeName}.${field.name} is a list without a declared bound`);
  return bound;
}

function estimator(schema: GraphQLSchema): ComplexityEstimator {
  const plain = plainTypes(schema);
  return ({ type, field, args, childComplexity }) => {
    if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
    if (plain.has(type.name)) return 0;
    const target = getNamedType(field.type);
    if (isLeafType(target)) return 0;
    if (plain.has(target.name)) return 1;
    return itemsOf(type.name, field, args) * (1 + childComplexity);
  };
}

/**
 * Lists of objects that are neither paginated nor bounded in list-bounds.ts: the API refuses to start with any,
 * since the analysis could not price them.
 */
export function unboundedLists(schema: GraphQLSchema): string[] {
  const plain = plainTypes(schema);
  return Object.values(schema.getTypeMap()).flatMap((type) => {
    if (!isObjectType(type) || type.name.startsWith('__') || plain.has(type.name)) return [];
    return Object.values(type.getFields())
      .filter((field) => {
        const target = getNamedType(field.type);
        return (
          isList(field) &&
          isCompositeType(target) &&
          !plain.has(target.name) &&
          !field.args.some((arg) => arg.name === 'first') &&
          LIST_BOUNDS[`${type.name}.${field.name}`] === undefined
        );
      })
      .map((field) => `${type.name}.${field.name}`);
  });
}

export function queryTooCostly(cost: OperationCost, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COSTLY', cost, http: { status: 400 } },
  });
}

/**
 * Prices one operation of a parsed, valid document with its variables. Throws QUERY_TOO_COSTLY above
 * maximumAvailable (or when the document is too large to price), BAD_USER_INPUT for variables that do not fit.
 */
export function priceOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  maximumAvailable: number,
): OperationCost {
  let requestedQueryCost: number;
  try {
    requestedQueryCost = getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: variables ?? {},
      estimators: [estimator(schema)],
      maxQueryNodes: MAX_ANALYSED_NODES,
    });
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) {
      throw queryTooCostly(
        { requestedQueryCost: null, maximumAvailable },
        `Query selects more than ${MAX_ANALYSED_NODES} fields once fragments are expanded`,
      );
    }
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    throw error;
  }
  const cost = { requestedQueryCost, maximumAvailable };
  if (requestedQueryCost > maximumAvailable) {
    throw queryTooCostly(
      cost,
      `Query costs ${requestedQueryCost} (the objects it may resolve, lists counted at their page size or declared bound); the limit is ${maximumAvailable}`,
    );
  }
  return cost;
}
