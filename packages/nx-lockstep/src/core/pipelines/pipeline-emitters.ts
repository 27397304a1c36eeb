import type { PipelineEmitter, PipelineProvider } from './pipeline-plan';
import { azureEmitter } from './azure-emitter';
import { githubEmitter } from './github-emitter';
import { gitlabEmitter } from './gitlab-emitter';

/** The one registry of CI providers: a new provider is one new module and one line here. */
export const PIPELINE_EMITTERS: Record<PipelineProvider, PipelineEmitter> = {
  github: githubEmitter,
  gitlab: gitlabEmitter,
  azure: azureEmitter,
};
