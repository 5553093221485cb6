// Specs are TypeScript, compiled by SWC; NestJS 12 itself is ESM-only and is never loaded inside Jest:
// end-to-end specs start the built API (dist/) as a child process and talk to it over HTTP.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // Test code may import libs that import the ESM-only @nestjs packages (decorators only).
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@apollo|@as-integrations)/)'],
  moduleNameMapper: { '^@hips/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // A global option (ignored inside projects): e2e specs wait on real processes.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
