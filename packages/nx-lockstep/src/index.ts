export * from './core/result';
// The Nx plugin entry: nx.json lists `"plugin": "nx-lockstep"`, which loads this module.
export { createNodesV2 } from './plugin/create-nodes';
export {
  readLockstepOptions,
  normalizeLockstepOptions,
  LockstepOptionsError,
  DEFAULT_OPTIONS,
  PLUGIN_NAME,
} from './config/options';
export type {
  LockstepOptions,
  LockstepPluginOptions,
  DockerOptions,
  PipelineOptions,
  PipelineProvider,
} from './config/options';
export { createDependencies } from './plugin/create-dependencies';
