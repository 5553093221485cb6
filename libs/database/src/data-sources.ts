import { appendFileSync } from 'node:fs';
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger } from 'typeorm';
import type { AppConfig } from '@hips/config';
import { ALL_MIGRATIONS } from '../../../migrations';
import { resilientPool } from './startup';

/**
 * The entity classes a connection maps. The database library knows no feature: each library exports its own list
 * and the composition root (apps/entities.ts) passes their union (docs/architecture.md "Modules").
 */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * The owner connection: runs migrations; never used to serve requests. Migrations are SQL and need no entities; the
 * migration drift check passes every entity to compare them with the migrated schema.
 */
export function createOwnerDataSource(databaseUrl: string, entities: EntityList = []): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    ...resilientPool({ max: 2, application_name: 'hips-resolve-migrate' }),
  });
}

/**
 * Test instrumentation: with SQL_LOG_FILE set, every statement the application connection sends (BEGIN and COMMIT
 * included) is appended to that file, one line each, so a test can count statements per request (N+1 checks).
 * Statement text only: parameters (which may hold identifiers) are never written.
 */
class StatementFileLogger implements TypeOrmLogger {
  constructor(
    private readonly file: string,
    private readonly tag = '',
  ) {}
  logQuery(query: string): void {
    appendFileSync(this.file, `${this.tag}${query.replace(/\s+/g, ' ').trim()}\n`);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** The SQL_LOG_FILE logging options of a DataSource, each line starting with `tag` (none without SQL_LOG_FILE). */
export function statementLogging(tag = ''): Pick<DataSourceOptions, 'logging' | 'logger'> {
  const file = process.env.SQL_LOG_FILE;
  return file ? { logging: ['query'], logger: new StatementFileLogger(file, tag) } : { logging: false };
}

/** The application connection: the hips_app role, which owns nothing and is subject to row-level security. */
export function createAppDataSource(
  config: AppConfig,
  applicationName: string,
  entities: EntityList = [],
): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.databaseAppUrl,
    entities,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    ...statementLogging(),
    ...resilientPool({ max: config.databasePoolSize, application_name: applicationName }),
  });
}

/** Creates the database named in the URL when it does not exist (connecting to the maintenance database). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const admin = new DataSource({ type: 'postgres', url: url.toString(), ...resilientPool({ max: 1 }) });
  await admin.initialize();
  try {
    const rows: unknown[] = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rows.length === 0) await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.destroy();
  }
}

/**
 * Applies pending migrations as the owner, then gives the application and analytics roles their passwords from
 * configuration (roles are cluster-wide and a migration must not carry a secret).
 */
export async function migrate(config: AppConfig): Promise<string[]> {
  await ensureDatabase(config.databaseUrl);
  const owner = createOwnerDataSource(config.databaseUrl);
  await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    for (const [role, secret] of [
      ['hips_app', config.databaseAppPassword],
      ['hips_analytics', config.databaseAnalyticsPassword],
    ]) {
      const roles: unknown[] = await owner.query(`select 1 from pg_roles where rolname = $1`, [role]);
      if (roles.length > 0) {
        const password = secret.replace(/'/g, "''");
        await owner.query(`alter role ${role} with login password '${password}'`);
      }
    }
    return applied.map((m) => m.name);
  } finally {
    await owner.destroy();
  }
}
