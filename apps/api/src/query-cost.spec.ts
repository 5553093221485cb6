import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { sourceProblem } from './graphql-limits';
import { priceOperation, unboundedLists } from './query-cost';

// The committed SDL is the served schema (test/platform/schema.e2e-spec.ts keeps them equal).
const schema = buildSchema(readFileSync(resolve(__dirname, '../../../schema.gql'), 'utf8'));
const price = (query: string, variables: Record<string, unknown> = {}) =>
  priceOperation(schema, parse(query), undefined, variables, 20_000).requestedQueryCost;

describe('query cost', () => {
  it('has a declared bound for every unpaginated list of objects in the schema', () => {
    expect(unboundedLists(schema)).toEqual([]);
  });

  it('counts objects, multiplied by first (default 20) or the declared bound; plain values and scalars are free', () => {
    expect(price('{ viewer { roles partnership { name } } }')).toBe(2);
    expect(price('{ agencies { edges { node { name } } } }')).toBe(20 * 3);
    expect(price('query($n: Int) { agencies(first: $n) { edges { node { name } } } }', { n: 5 })).toBe(5 * 3);
    expect(price('{ agencies(first: 2) { edges { node { orgUnits { name } } } } }')).toBe(
      2 * (1 + 1 + 1 + 100),
    );
    expect(price('{ previewDeadlines(input: { urgency: STANDARD }) { dueAt skippedDates } }')).toBe(1);
  });

  it('lets the standard introspection query through at no cost', () => {
    expect(price(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toBe(0);
  });

  it('refuses documents over the limit with QUERY_TOO_COSTLY', () => {
    expect(() =>
      price('{ agencies(first: 100) { edges { node { orgUnits { posts { holder { id } } } } } } }'),
    ).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY' }) }));
  });
});

describe('sourceProblem', () => {
  const limits = { maxCharacters: 100, maxTokens: 5 };
  it('counts characters and tokens (comments and commas are not tokens)', () => {
    expect(sourceProblem('{ a b c }', limits)).toBeNull();
    expect(sourceProblem('{ a, b, c, d }', limits)?.extensions.code).toBe('TOO_MANY_TOKENS');
    expect(sourceProblem(`# ${'x'.repeat(50)}\n{ a }`, limits)).toBeNull();
    expect(sourceProblem(`# ${'x'.repeat(100)}\n{ a }`, limits)?.extensions.code).toBe('DOCUMENT_TOO_LARGE');
    expect(sourceProblem('{ "unterminated', limits)).toBeNull();
  });
});
