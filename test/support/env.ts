/**
 * The environment the global setup prepared (fresh database, API URL). Jest runs the specs in the process
 * (or in workers forked from the process) whose environment the global setup filled in.
 */
export function readTestEnv(): Record<string, string> {
  if (!process.env.API_URL || !process.env.DATABASE_URL) {
    throw new Error('The e2e global setup has not run: use npm test or npm run test:e2e');
  }
  return process.env as Record<string, string>;
}
