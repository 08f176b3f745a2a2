/**
 * dx-privatelink/config: the config file as the main job reads it, for
 * pipelines that load, check or build from a config themselves.
 */
export { ConfigError, EXAMPLE_CONFIG, MAX_CONFIG_BYTES, loadConfig, parseConfig } from './load';
export { buildApp } from './app';
export type { DxApp } from './app';
export type { Config } from './schema';
