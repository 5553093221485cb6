import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** What one document may be, by caller (docs/security/request-limits.md). */
export interface SourceLimits {
  maxCharacters: number;
  maxTokens: number;
}

/**
 * The one home of the limits on GraphQL documents, over HTTP and graphql-ws alike. Anonymous callers (no
 * Authorization, no X-API-Key) need only login, refreshToken and, outside production, GraphiQL's introspection
 * query (about 2,100 characters and 190 tokens), so their documents are refused far sooner.
 */
export const REQUEST_LIMITS = {
  depth: 12,
  aliases: 30,
  /** Most objects one operation may resolve (query-cost.ts). */
  maxCost: 20_000,
  anonymous: { maxCharacters: 5_000, maxTokens: 500 } satisfies SourceLimits,
  authenticated: { maxCharacters: 50_000, maxTokens: 5_000 } satisfies SourceLimits,
};

/**
 * Refuses a document longer or with more tokens than the caller may send, before anything parses or validates
 * it: the lexer stops at the first token over the limit. Syntax errors are left to the parser.
 */
export function sourceProblem(source: string, limits: SourceLimits): GraphQLError | null {
  if (source.length > limits.maxCharacters) {
    return new GraphQLError(`Document has more than ${limits.maxCharacters} characters`, {
      extensions: { code: 'DOCUMENT_TOO_LARGE', http: { status: 413 } },
    });
  }
  const lexer = new Lexer(new Source(source));
  try {
    for (let tokens = 0; lexer.advance().kind !== TokenKind.EOF; tokens += 1) {
      if (tokens >= limits.maxTokens) {
        return new GraphQLError(`Document has more than ${limits.maxTokens} tokens`, {
          extensions: { code: 'TOO_MANY_TOKENS', http: { status: 400 } },
        });
      }
    }
  } catch {
    // not GraphQL: the parser answers with the syntax error
  }
  return null;
}

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
