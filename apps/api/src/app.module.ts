import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { AnalyticsModule } from '@hips/analytics';
import { AuditModule } from '@hips/audit';
import { AuthModule, AuthService } from '@hips/auth';
import { CalendarModule } from '@hips/calendar';
import { createLogger, DateScalar, GqlAuthGuard, RolesGuard, withStrictDateTime } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { DatabaseModule, RedisModule } from '@hips/database';
import { DirectoryModule } from '@hips/directory';
import { EscalationEventsModule, EscalationsModule } from '@hips/escalations';
import { PoliciesModule } from '@hips/policies';
import { WebhooksModule } from '@hips/webhooks';
import { errorLoggingPlugin, formatError } from './format-error';
import { operationLimitsPlugin, type SchemaRef } from './operation-limits-plugin';
import { queryLimits, REQUEST_LIMITS } from './graphql-limits';
import { NodeResolver } from './node.resolver';
import { HealthController } from './health.controller';
import { graphqlContext, graphqlWsOptions } from './subscriptions';
import { ALL_ENTITIES } from '../../entities';

// Apollo ships CJS and ESM typings; Nest's config type and the plugin factories may come from different ones.
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];
// Nest's type lists a subset of graphql-ws' options; the rest (validate) reach graphql-ws' useServer unchanged.
type GraphQLWsConfig = Exclude<NonNullable<ApolloDriverConfig['subscriptions']>['graphql-ws'], boolean>;

@Module({
  imports: [
    DatabaseModule.forRoot(ALL_ENTITIES),
    RedisModule,
    AuditModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [AuthModule],
      inject: [APP_CONFIG, AuthService],
      useFactory: (config: AppConfig, auth: AuthService): ApolloDriverConfig => {
        const served: SchemaRef = { hideSuggestions: config.nodeEnv === 'production' };
        return {
          // SCHEMA_FILE writes the generated SDL (the e2e suite compares it with the committed schema.gql).
          autoSchemaFile: process.env.SCHEMA_FILE || true,
          sortSchema: true,
          path: '/graphql',
          // The IDE is our own GraphiQL page (graphiql.ts), bundled at build time and served outside production;
          // the driver's and Apollo's pages load from CDNs.
          playground: false,
          graphiql: false,
          introspection: config.nodeEnv !== 'production',
          // No "Did you mean ...?" in production: errors must not map the schema for a caller (introspection is off).
          hideSchemaDetailsFromClientErrors: config.nodeEnv === 'production',
          csrfPrevention: true,
          plugins: [
            ApolloServerPluginLandingPageDisabled() as unknown as ApolloPlugin,
            errorLoggingPlugin(createLogger(config.logLevel, 'graphql')) as unknown as ApolloPlugin,
            operationLimitsPlugin(served) as unknown as ApolloPlugin,
          ],
          // Document size and tokens are checked before parsing (document-gate.ts), cost after validation.
          validationRules: [queryLimits(REQUEST_LIMITS.depth, REQUEST_LIMITS.aliases)],
          // Subscriptions over graphql-ws on the same path; connections authenticate in connection_init.
          subscriptions: {
            'graphql-ws': graphqlWsOptions(
              auth,
              createLogger(config.logLevel, 'graphql'),
              served,
            ) as unknown as GraphQLWsConfig,
          },
          // HTTP: { req } from Express; graphql-ws: a request-like object with the connection's context.
          context: graphqlContext,
          formatError,
          buildSchemaOptions: { dateScalarMode: 'isoDate' },
          transformSchema: withStrictDateTime,
        };
      },
    }),
    DirectoryModule,
    AuthModule,
    CalendarModule,
    PoliciesModule,
    EscalationsModule,
    EscalationEventsModule,
    WebhooksModule,
    AnalyticsModule,
  ],
  controllers: [HealthController],
  providers: [
    DateScalar,
    NodeResolver,
    { provide: APP_GUARD, useClass: GqlAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AppModule {}
