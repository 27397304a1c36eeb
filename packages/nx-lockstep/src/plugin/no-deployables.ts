/**
 * Why a workspace has no deployable, in words a user can act on: the plugin is not registered in
 * nx.json (so no project gets a deploy target), or nothing it looks for matched.
 */
import { effectiveMarkerGlobs } from './deploy-marker-files';
import { PLUGIN_NAME, readLockstepOptions } from '../config/options';
import { OUTSIDE_MARKER_EXAMPLES } from './outside-marker-files';
import { DEPLOYABLE_TAG } from './infer-deployable';

/** `nxJson`: the parsed nx.json (undefined when the workspace has none). */
export function explainNoDeployables(nxJson: unknown): string {
  const plugins = isRecord(nxJson) && Array.isArray(nxJson.plugins) ? nxJson.plugins : [];
  const registered = plugins.some(
    (entry: unknown) => entry === PLUGIN_NAME || (isRecord(entry) && entry.plugin === PLUGIN_NAME),
  );
  const options = readLockstepOptions(nxJson ?? {});
  const declare =
    `To declare one, tag the project "${DEPLOYABLE_TAG}" or give it its own "${options.deployTargetName}" target ` +
    `(or add a marker glob to the plugin's "markers" option).`;
  if (!registered) {
    return (
      `no deployables: nx-lockstep is not registered in nx.json, so no project has a "${options.deployTargetName}" ` +
      `target from it. Run \`nx g nx-lockstep:init\` (it registers the plugin and lists what it finds), or add ` +
      `{ "plugin": "${PLUGIN_NAME}" } to "plugins" in nx.json. ${declare}`
    );
  }
  const filters = [
    options.include.length > 0 ? `"include": ${JSON.stringify(options.include)}` : '',
    options.exclude.length > 0 ? `"exclude": ${JSON.stringify(options.exclude)}` : '',
  ].filter(Boolean);
  return (
    `no deployables: no project has a "${options.deployTargetName}" target. nx-lockstep looked for these files in ` +
    `each project's root: ${effectiveMarkerGlobs(options).join(', ')}; for a Dockerfile outside the projects that ` +
    `names one (${OUTSIDE_MARKER_EXAMPLES}); for projects tagged "${DEPLOYABLE_TAG}"` +
    (filters.length > 0 ? `; the plugin options also select projects by ${filters.join(' and ')}` : '') +
    `. ${declare}`
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
