/** The Nx plugin surface: `createNodesV2` infers deploy targets; its options (read and validated in config/) are re-exported. */
export { createNodesV2, PLUGIN_GLOB } from './create-nodes';
export { createDependencies } from './create-dependencies';
export * from '../config/options';
export { inferDeployable, describeDeployable, DEPLOYABLE_TAG } from './infer-deployable';
export type { DeployableInference, DeployableVia, ProjectFacts } from './infer-deployable';
export { DEFAULT_MARKER_GLOBS, MARKER_KINDS, findMarkers, effectiveMarkerGlobs } from './deploy-marker-files';
export type { MarkerFile, MarkerKind } from './deploy-marker-files';
