/**
 * The pull-request plan's posting scripts for GitLab and Azure, run as the pipelines run them
 * (`node -e "$LOCKSTEP_COMMENT_SCRIPT"` with the provider's variables) against a local HTTP server
 * on 127.0.0.1 that keeps notes and threads the way the two REST APIs document them. What is
 * checked is the scripts' own logic: one comment per pull request, found by its marker and
 * updated on the next run, other comments untouched, the token sent, a failure reported.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_THREAD_SCRIPT, GITLAB_NOTE_SCRIPT } from '../src/core/pipelines/comment-scripts';
import { PLAN_COMMENT_MARKER } from '../src/core/pipelines/verify-and-plan';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lockstep-comment-'));
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => handler(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  handler = (_request, _body, response) => response.writeHead(500).end();
});

function post(script: string, plan: string, env: Record<string, string>) {
  const file = join(dir, 'plan.md');
  writeFileSync(file, plan);
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { PATH: process.env.PATH, LOCKSTEP_PLAN_FILE: file, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

describe('GitLab merge-request note', () => {
  it('adds one note, then updates it; other notes stay; the token is sent', async () => {
    const notes: { id: number; body: string }[] = [{ id: 1, body: 'LGTM' }];
    const tokens = new Set<string>();
    handler = (request, body, response) => {
      tokens.add(String(request.headers['private-token']));
      const url = new URL(request.url!, base);
      const prefix = '/api/v4/projects/42/merge_requests/7/notes';
      if (request.method === 'GET' && url.pathname === prefix) return json(response, 200, notes);
      if (request.method === 'POST' && url.pathname === prefix) {
        const note = { id: notes.length + 1, body: JSON.parse(body).body };
        notes.push(note);
        return json(response, 201, note);
      }
      const match = new RegExp(`^${prefix}/(\\d+)$`).exec(url.pathname);
      if (request.method === 'PUT' && match) {
        const note = notes.find((candidate) => candidate.id === Number(match[1]))!;
        note.body = JSON.parse(body).body;
        return json(response, 200, note);
      }
      json(response, 404, { message: 'not found' });
    };
    const env = {
      CI_API_V4_URL: `${base}/api/v4`,
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '7',
      LOCKSTEP_GITLAB_TOKEN: 'glpat-test',
    };
    const first = await post(GITLAB_NOTE_SCRIPT, 'plan one', env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('added the plan note on merge request !7');
    const second = await post(GITLAB_NOTE_SCRIPT, 'plan two', env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('updated the plan note');
    expect(notes).toEqual([
      { id: 1, body: 'LGTM' },
      { id: 2, body: `${PLAN_COMMENT_MARKER}\nplan two` },
    ]);
    expect([...tokens]).toEqual(['glpat-test']);
  });

  it('without a token: prints the plan and how to get it as a note, and succeeds', async () => {
    const result = await post(GITLAB_NOTE_SCRIPT, 'the plan', { CI_API_V4_URL: `${base}/api/v4` });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('LOCKSTEP_GITLAB_TOKEN is not set');
    expect(result.stdout).toContain('the plan');
  });

  it('an API error fails the job with what GitLab answered', async () => {
    handler = (_request, _body, response) => json(response, 403, { message: '403 Forbidden' });
    const result = await post(GITLAB_NOTE_SCRIPT, 'plan', {
      CI_API_V4_URL: `${base}/api/v4`,
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '7',
      LOCKSTEP_GITLAB_TOKEN: 'expired',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not post the plan: GitLab answered 403 listing notes');
  });
});

describe('Azure Repos pull-request thread', () => {
  it('adds one closed thread, then updates its comment; the access token is sent', async () => {
    const threads: { id: number; status: number; comments: { id: number; content: string }[] }[] = [
      { id: 10, status: 1, comments: [{ id: 1, content: 'please rename' }] },
    ];
    const auth = new Set<string>();
    handler = (request, body, response) => {
      auth.add(String(request.headers.authorization));
      const url = new URL(request.url!, base);
      expect(url.searchParams.get('api-version')).toBe('7.1');
      const prefix = '/org/My%20Project/_apis/git/repositories/repo-1/pullRequests/5/threads';
      if (request.method === 'GET' && url.pathname === prefix) return json(response, 200, { value: threads });
      if (request.method === 'POST' && url.pathname === prefix) {
        const sent = JSON.parse(body);
        const thread = { id: 11, status: sent.status, comments: [{ id: 1, content: sent.comments[0].content }] };
        threads.push(thread);
        return json(response, 200, thread);
      }
      const match = new RegExp(`^${prefix}/(\\d+)/comments/(\\d+)$`).exec(url.pathname);
      if (request.method === 'PATCH' && match) {
        const thread = threads.find((candidate) => candidate.id === Number(match[1]))!;
        thread.comments[Number(match[2]) - 1].content = JSON.parse(body).content;
        return json(response, 200, thread.comments[0]);
      }
      json(response, 404, { message: 'not found' });
    };
    const env = {
      BUILD_REPOSITORY_PROVIDER: 'TfsGit',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '5',
      SYSTEM_COLLECTIONURI: `${base}/org/`,
      SYSTEM_TEAMPROJECT: 'My Project',
      BUILD_REPOSITORY_ID: 'repo-1',
      SYSTEM_ACCESSTOKEN: 'job-token',
    };
    expect((await post(AZURE_THREAD_SCRIPT, 'plan one', env)).stdout).toContain('added the plan thread');
    expect((await post(AZURE_THREAD_SCRIPT, 'plan two', env)).stdout).toContain('updated the plan thread');
    expect(threads).toEqual([
      { id: 10, status: 1, comments: [{ id: 1, content: 'please rename' }] },
      // Closed (4): the plan never blocks a policy that wants comments resolved.
      { id: 11, status: 4, comments: [{ id: 1, content: `${PLAN_COMMENT_MARKER}\nplan two` }] },
    ]);
    expect([...auth]).toEqual(['Bearer job-token']);
  });

  it('outside an Azure Repos pull request: prints the plan and succeeds', async () => {
    const result = await post(AZURE_THREAD_SCRIPT, 'the plan', { BUILD_REPOSITORY_PROVIDER: 'GitHub' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('not an Azure Repos pull request');
    expect(result.stdout).toContain('the plan');
  });
});
