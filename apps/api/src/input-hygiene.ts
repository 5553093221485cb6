import { GraphQLError, visit, type DocumentNode } from 'graphql';

const NUL = '\u0000';

const refused = (where: string) =>
  new GraphQLError(`${where} must not contain the NUL character (U+0000)`, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });

function variableProblem(value: unknown, path: string): GraphQLError | null {
  if (typeof value === 'string') return value.includes(NUL) ? refused(path) : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = variableProblem(item, `${path}[${index}]`);
      if (problem) return problem;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = variableProblem(item, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying it (in a variable or a literal, in any argument or
 * input field) would end as an internal error deep in a resolver. One check before execution refuses it as
 * BAD_USER_INPUT naming where it was (docs/security/request-limits.md).
 */
export function nulCharacterProblem(
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): GraphQLError | null {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const problem = variableProblem(value, `$${name}`);
    if (problem) return problem;
  }
  const names: string[] = [];
  let problem: GraphQLError | null = null;
  visit(document, {
    Argument: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    ObjectField: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
    StringValue(node) {
      if (!problem && node.value.includes(NUL)) problem = refused(names.join('.') || 'A string');
    },
  });
  return problem;
}
