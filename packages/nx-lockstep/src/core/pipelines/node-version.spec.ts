import { describe, expect, it } from 'vitest';
import { chooseNodeVersion, FALLBACK_NODE_VERSION, NodeVersionError, nodeVersionFor } from './node-version';

describe('chooseNodeVersion', () => {
  it('takes pipelines.nodeVersion first, whatever the workspace says', () => {
    expect(chooseNodeVersion('github', '22', { nvmrc: '20\n', packageJson: { engines: { node: '>=24' } } })).toEqual({
      version: '22',
      source: 'pipelines.nodeVersion',
      warnings: [],
    });
  });

  it('then .nvmrc, .node-version, volta.node and engines.node, in that order', () => {
    const all = {
      nvmrc: 'v22.11.0\n',
      nodeVersionFile: '20.19.1',
      packageJson: { volta: { node: '24.1.0' }, engines: { node: '^26' } },
    };
    expect(chooseNodeVersion('github', undefined, all)).toMatchObject({ version: '22.11.0', source: '.nvmrc' });
    const { nvmrc: _nvmrc, ...noNvmrc } = all;
    expect(chooseNodeVersion('github', undefined, noNvmrc)).toMatchObject({
      version: '20.19.1',
      source: '.node-version',
    });
    expect(chooseNodeVersion('github', undefined, { packageJson: all.packageJson })).toMatchObject({
      version: '24.1.0',
      source: 'package.json volta.node',
    });
    expect(chooseNodeVersion('github', undefined, { packageJson: { engines: { node: '^26' } } })).toMatchObject({
      version: '26',
      source: 'package.json engines.node',
    });
  });

  it("reads a version file as nvm does: the first line that is not a comment, a leading 'v' dropped, aliases kept", () => {
    expect(chooseNodeVersion('github', undefined, { nvmrc: '# pinned\n\n  v24  \n' }).version).toBe('24');
    expect(chooseNodeVersion('github', undefined, { nvmrc: 'lts/Jod\r\n' }).version).toBe('lts/jod');
    expect(chooseNodeVersion('github', undefined, { nvmrc: 'lts/*' }).version).toBe('lts/*');
  });

  it('picks from engines.node the default line when the range allows it, else the newest line it allows', () => {
    const engines = (node: unknown) => chooseNodeVersion('github', undefined, { packageJson: { engines: { node } } });
    expect(engines('>=20.19').version).toBe(FALLBACK_NODE_VERSION);
    expect(engines('>=18').version).toBe(FALLBACK_NODE_VERSION);
    expect(engines('^22.11.0').version).toBe('22');
    expect(engines('20.x || 22.x').version).toBe('22');
    expect(engines('>=26').version).toBe('26');
  });

  it('falls back to the default line, and says what it passed over', () => {
    expect(chooseNodeVersion('github', undefined, {})).toEqual({
      version: FALLBACK_NODE_VERSION,
      source: 'default',
      warnings: [],
    });
    const passed = chooseNodeVersion('github', undefined, {
      nvmrc: 'stable\n',
      packageJson: { volta: { node: 24 }, engines: { node: 'not a range' } },
    });
    expect(passed.version).toBe(FALLBACK_NODE_VERSION);
    expect(passed.warnings).toEqual([
      expect.stringContaining('.nvmrc holds "stable"'),
      'package.json volta.node is not a string: passed over.',
      expect.stringContaining('package.json engines.node "not a range" allows no Node.js line'),
    ]);
    // A range that allows no line nx-lockstep runs on is passed over too.
    expect(chooseNodeVersion('github', undefined, { packageJson: { engines: { node: '^18' } } })).toMatchObject({
      version: FALLBACK_NODE_VERSION,
      warnings: [expect.stringContaining('"^18" allows no Node.js line')],
    });
  });

  it('warns when the version is older than nx-lockstep runs on', () => {
    expect(chooseNodeVersion('gitlab', undefined, { nvmrc: '18.20.4' })).toMatchObject({
      version: '18.20.4',
      warnings: [expect.stringContaining('.nvmrc asks for Node.js 18.20.4, older than nx-lockstep runs on')],
    });
  });

  it('gives each provider a form its runner takes: a GitLab image tag, no alias for Azure', () => {
    expect(chooseNodeVersion('gitlab', undefined, { nvmrc: 'lts/*' }).version).toBe('lts');
    expect(chooseNodeVersion('gitlab', undefined, { nvmrc: 'lts/iron' }).version).toBe('iron');
    expect(chooseNodeVersion('gitlab', undefined, { nvmrc: 'node' }).version).toBe('latest');
    expect(chooseNodeVersion('gitlab', '22.x', {}).version).toBe('22');
    // Azure's NodeTool takes no alias: a workspace's is passed over, a configured one is an error.
    expect(chooseNodeVersion('azure', undefined, { nvmrc: 'lts/*', nodeVersionFile: '22' })).toMatchObject({
      version: '22',
      source: '.node-version',
      warnings: [expect.stringContaining("Azure Pipelines' NodeTool task cannot set up")],
    });
    expect(() => chooseNodeVersion('azure', 'lts/*', {})).toThrow(NodeVersionError);
    expect(() => chooseNodeVersion('azure', 'lts/*', {})).toThrow(
      /"pipelines.nodeVersion": "lts\/\*" cannot be set up by Azure Pipelines' NodeTool task, which takes a version or range such as "24"/,
    );
  });
});

describe('nodeVersionFor', () => {
  it.each([
    ['github', '24', '24'],
    ['github', '22.x', '22.x'],
    ['github', 'lts/*', 'lts/*'],
    ['github', '>=22.11 <23', '>=22.11 <23'],
    ['github', 'stable', undefined],
    ['gitlab', '24.11.1', '24.11.1'],
    ['gitlab', '22.11.x', '22.11'],
    ['gitlab', 'latest', 'latest'],
    ['gitlab', '>=22', undefined],
    ['azure', '22.x', '22.x'],
    ['azure', '>=22.11.0', '>=22.11.0'],
    ['azure', 'node', undefined],
  ] as const)('%s %s → %s', (provider, value, expected) => {
    expect(nodeVersionFor(provider, value)).toBe(expected);
  });
});
