import { GraphQLError, Kind, type ASTVisitor, type ValidationContext, type SelectionSetNode } from 'graphql';

/**
 * Refuses documents nested deeper than maxDepth or with more than maxAliases aliases. Depth is measured on
 * the real selection tree (fragments expanded), whatever the operation or fragments are named.
 *
 * Inside `__schema` / `__type`, `ofType` adds no depth: it only unwraps a list or non-null type (no fan-out), and
 * the standard introspection query (GraphiQL's, outside production) nests it seven deep. Every other
 * introspection field still counts, so `fields { type { fields ... } }` cycles stay bounded.
 */
export function queryLimits(maxDepth: number, maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
    );
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>, meta: boolean): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          const inMeta = meta || name === '__schema' || name === '__type';
          const own = meta && name === 'ofType' ? 0 : 1;
          deepest = Math.max(deepest, own + depthOf(selection.selectionSet, seen, inMeta));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen, meta));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (fragment && !seen.has(name))
            deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name]), meta));
        }
      }
      return deepest;
    };
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
        if (aliases > maxAliases) {
          context.reportError(
            new GraphQLError(`Query uses more than ${maxAliases} aliases`, { nodes: [node] }),
          );
          aliases = Number.NEGATIVE_INFINITY; // report once
        }
      },
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set(), false);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${maxDepth}`, {
              nodes: [node],
            }),
          );
        }
      },
    };
  };
}
