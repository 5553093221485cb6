export * from './app-config';
export * from './load-config';
export * from './development-secrets';
export * from './config.module';
export { CONFIG_VARIABLES, describeConfigVariables, type VariableDescription } from './schema';
