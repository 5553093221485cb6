import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildSchema,
  GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isEnumType,
} from 'graphql';
import { readTestEnv } from '../support/env';

function fieldsOf(schema: GraphQLSchema, typeName: string): Map<string, string> | null {
  const type = schema.getType(typeName);
  if (!type) return null;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    return new Map(Object.values(type.getFields()).map((f) => [f.name, String(f.type)]));
  }
  if (isEnumType(type)) return new Map(type.getValues().map((v) => [v.name, 'enum value']));
  return new Map();
}

describe('GraphQL schema', () => {
  const served = () => readFileSync(readTestEnv().SCHEMA_FILE, 'utf8');

  it('matches the committed schema.gql', () => {
    const committed = resolve('schema.gql');
    expect(existsSync(committed)).toBe(true);
    // On a deliberate change: cp .data/test/schema.gql schema.gql
    expect(served()).toBe(readFileSync(committed, 'utf8'));
  });

  it('serves every type and field of the contract with the contract’s types', () => {
    const contract = buildSchema(readFileSync(resolve('docs/contract.graphql'), 'utf8'));
    const schema = buildSchema(served());
    const problems: string[] = [];
    for (const type of Object.values(contract.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const want = fieldsOf(contract, type.name)!;
      const have = fieldsOf(schema, type.name);
      if (!have) {
        problems.push(`missing type ${type.name}`);
        continue;
      }
      for (const [name, typeString] of want) {
        if (have.get(name) !== typeString) {
          problems.push(
            `${type.name}.${name}: contract ${typeString}, served ${have.get(name) ?? 'missing'}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
