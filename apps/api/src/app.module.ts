import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Request } from 'express';
import { AnalyticsModule } from '@hips/analytics';
import { AuditModule } from '@hips/audit';
import { AuthModule } from '@hips/auth';
import { CalendarModule } from '@hips/calendar';
import { createLogger, DateScalar, GqlAuthGuard, RolesGuard } from '@hips/common';
import { APP_CONFIG, AppConfig, ConfigModule } from '@hips/config';
import { DatabaseModule, RedisModule } from '@hips/database';
import { DirectoryModule } from '@hips/directory';
import { EscalationsModule } from '@hips/escalations';
import { PoliciesModule } from '@hips/policies';
import { WebhooksModule } from '@hips/webhooks';
import { errorLoggingPlugin, formatError } from './format-error';
import { queryLimits } from './graphql-limits';
import { HealthController } from './health.controller';

// Apollo ships CJS and ESM typings; Nest's config type and the plugin factories may come from different ones.
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    AuditModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ApolloDriverConfig => ({
        // SCHEMA_FILE writes the generated SDL (the e2e suite compares it with the committed schema.gql).
        autoSchemaFile: process.env.SCHEMA_FILE || true,
        sortSchema: true,
        path: '/graphql',
        playground: false,
        graphiql: false,
        introspection: config.nodeEnv !== 'production',
        csrfPrevention: true,
        // Apollo's default landing page loads from a CDN this network cannot reach.
        plugins: [
          ApolloServerPluginLandingPageDisabled() as unknown as ApolloPlugin,
          errorLoggingPlugin(createLogger(config.logLevel, 'graphql')) as unknown as ApolloPlugin,
        ],
        validationRules: [queryLimits(12, 30)],
        context: ({ req }: { req: Request }) => ({ req }),
        formatError,
        buildSchemaOptions: { dateScalarMode: 'isoDate' },
      }),
    }),
    DirectoryModule,
    AuthModule,
    CalendarModule,
    PoliciesModule,
    EscalationsModule,
    WebhooksModule,
    AnalyticsModule,
  ],
  controllers: [HealthController],
  providers: [
    DateScalar,
    { provide: APP_GUARD, useClass: GqlAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AppModule {}
