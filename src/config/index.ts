/** Public API of the configuration module. */
export { loadConfig, loadDatabaseConfig, type LoadConfigOptions } from './load-config.ts';
export { ConfigError, formatConfigError, isConfigError, type ConfigProblem } from './config-error.ts';
export type * from './config-types.ts';
export { configSecretValues } from './secret-values.ts';
export { OPTIONS, OPTION_NAMES, type OptionName, type OptionSpec } from './options.ts';
export { renderConfigTable } from './config-table.ts';
