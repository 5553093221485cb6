import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { REQUEST_LIMITS } from './graphql-limits';
import { nulCharacterProblem } from './input-hygiene';
import { priceOperation, unboundedLists, type OperationCost } from './query-cost';

/** The served schema, once Apollo has it: graphql-ws (subscriptions.ts) validates and prices with it too. */
export interface SchemaRef {
  schema?: GraphQLSchema;
  /** Production: validation errors carry no "Did you mean ...?" (Apollo's hideSchemaDetailsFromClientErrors). */
  hideSuggestions?: boolean;
}

/**
 * Refuses strings PostgreSQL cannot store (input-hygiene.ts), then prices every HTTP operation once its document is parsed and valid and before anything executes (Apollo caches
 * validated documents, but the price depends on the variables, so it is worked out per request). A refused
 * operation answers QUERY_TOO_COSTLY; every answer reports `extensions.cost` so integrators can see it.
 */
export function operationLimitsPlugin(ref: SchemaRef): ApolloServerPlugin {
  return {
    serverWillStart({ schema }) {
      const unbounded = unboundedLists(schema);
      if (unbounded.length > 0) {
        throw new Error(
          `Lists without a declared bound (apps/api/src/list-bounds.ts): ${unbounded.join(', ')}`,
        );
      }
      ref.schema = schema;
      return Promise.resolve();
    },
    requestDidStart() {
      let cost: OperationCost | undefined;
      return Promise.resolve({
        didResolveOperation({ schema, document, operationName, request }) {
          const nul = nulCharacterProblem(document, request.variables);
          if (nul) throw nul;
          try {
            cost = priceOperation(schema, document, operationName, request.variables, REQUEST_LIMITS.maxCost);
          } catch (error) {
            const refused = (error as { extensions?: { cost?: OperationCost } }).extensions?.cost;
            if (refused) cost = refused;
            throw error;
          }
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          if (cost && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
          return Promise.resolve();
        },
      });
    },
  };
}
