import { describe, expect, it } from 'vitest';
import { explainNoDeployables } from './no-deployables';

describe('explainNoDeployables', () => {
  it('an nx.json without the plugin: says it is not registered and how to register it', () => {
    for (const nxJson of [undefined, {}, { plugins: ['@nx/js'] }]) {
      const message = explainNoDeployables(nxJson);
      expect(message).toContain('nx-lockstep is not registered in nx.json');
      expect(message).toContain('nx g nx-lockstep:init');
      expect(message).toContain('tag the project "deployable"');
    }
  });

  it('registered: lists the marker files looked for, the outside Dockerfiles, the filters, and how to declare', () => {
    const message = explainNoDeployables({
      plugins: [{ plugin: 'nx-lockstep', options: { exclude: ['*-e2e'], markers: ['deploy/Dockerfile'] } }],
    });
    expect(message).toContain('no project has a "deploy" target');
    expect(message).toContain('fly.toml');
    expect(message).toContain('vercel.ts');
    expect(message).toContain('deploy/Dockerfile');
    expect(message).toContain('.deploy/<project>/Dockerfile');
    expect(message).toContain('"exclude": ["*-e2e"]');
    expect(message).toContain('its own "deploy" target');
    expect(explainNoDeployables({ plugins: ['nx-lockstep'] })).not.toContain('not registered');
  });
});
