import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { queryLimits } from './graphql-limits';

const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { node: Node }
`);
const errors = (source: string) =>
  validate(schema, parse(source), [queryLimits(12, 30)]).map((e) => e.message);
const nested = (levels: number, inner: string) =>
  `${'{ child '.repeat(levels)}${inner}${' }'.repeat(levels)}`;

describe('queryLimits', () => {
  it('lets the standard introspection query through (GraphiQL sends it outside production)', () => {
    expect(errors(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual([]);
  });

  it('still refuses deep selections of ordinary fields', () => {
    expect(errors(`{ node ${nested(10, '{ id }')} }`)).toEqual([]);
    expect(errors(`{ node ${nested(12, '{ id }')} }`)).toEqual([
      'Query is nested 14 levels deep; the limit is 12',
    ]);
  });

  it('counts every introspection field but ofType, so cycles through fields stay bounded', () => {
    const cycle = `{ __type(name: "Node") ${'{ fields { type '.repeat(6)}{ name }${' } }'.repeat(6)} }`;
    expect(errors(cycle)[0]).toMatch(/nested 14 levels deep/);
    const unwrap = `{ __type(name: "Node") { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } }`;
    expect(errors(unwrap)).toEqual([]);
  });
});
