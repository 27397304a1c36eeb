/**
 * The Node scripts that post the pull-request plan where the provider has no ready-made step:
 * a GitLab merge-request note and an Azure Repos pull-request thread. Each finds its earlier
 * comment by the hidden marker and updates it, so a pull request carries one plan. They are given
 * to `node -e` through an environment variable (never pasted into a shell line), read everything
 * from the provider's predefined variables and hold no `$`, so neither provider expands anything
 * in them.
 */
import { PLAN_COMMENT_MARKER } from './verify-and-plan';

const READ_PLAN = `const fs = require("fs");
const marker = ${JSON.stringify(PLAN_COMMENT_MARKER)};
const body = marker + "\\n" + fs.readFileSync(process.env.LOCKSTEP_PLAN_FILE, "utf8");
const env = process.env;
const fail = (error) => { console.error("could not post the plan: " + error.message); process.exit(1); };`;

/** GitLab: a merge-request note through the REST API, with a project access token in LOCKSTEP_GITLAB_TOKEN. */
export const GITLAB_NOTE_SCRIPT = `${READ_PLAN}
if (!env.LOCKSTEP_GITLAB_TOKEN) {
  console.log("LOCKSTEP_GITLAB_TOKEN is not set, so the plan is not posted as a note (add a project access token with the api scope as a masked CI/CD variable). The plan:");
  console.log(body);
  process.exit(0);
}
const notes = env.CI_API_V4_URL + "/projects/" + env.CI_PROJECT_ID + "/merge_requests/" + env.CI_MERGE_REQUEST_IID + "/notes";
const headers = { "PRIVATE-TOKEN": env.LOCKSTEP_GITLAB_TOKEN, "Content-Type": "application/json" };
(async () => {
  let previous;
  for (let page = 1; !previous && page <= 50; page++) {
    const response = await fetch(notes + "?sort=asc&per_page=100&page=" + page, { headers });
    if (!response.ok) throw new Error("GitLab answered " + response.status + " listing notes: " + (await response.text()));
    const list = await response.json();
    previous = list.find((note) => (note.body || "").startsWith(marker));
    if (list.length < 100) break;
  }
  const url = previous ? notes + "/" + previous.id : notes;
  const response = await fetch(url, { method: previous ? "PUT" : "POST", headers, body: JSON.stringify({ body }) });
  if (!response.ok) throw new Error("GitLab answered " + response.status + ": " + (await response.text()));
  console.log((previous ? "updated" : "added") + " the plan note on merge request !" + env.CI_MERGE_REQUEST_IID);
})().catch(fail);`;

/** Azure Repos: a pull-request thread through the REST API, with the job's System.AccessToken. */
export const AZURE_THREAD_SCRIPT = `${READ_PLAN}
if (env.BUILD_REPOSITORY_PROVIDER !== "TfsGit" || !env.SYSTEM_PULLREQUEST_PULLREQUESTID) {
  console.log("not an Azure Repos pull request, so the plan is not posted as a thread. The plan:");
  console.log(body);
  process.exit(0);
}
const threads = env.SYSTEM_COLLECTIONURI + encodeURIComponent(env.SYSTEM_TEAMPROJECT) + "/_apis/git/repositories/" + env.BUILD_REPOSITORY_ID + "/pullRequests/" + env.SYSTEM_PULLREQUEST_PULLREQUESTID + "/threads";
const version = "api-version=7.1";
const headers = { Authorization: "Bearer " + env.SYSTEM_ACCESSTOKEN, "Content-Type": "application/json" };
(async () => {
  const listed = await fetch(threads + "?" + version, { headers });
  if (!listed.ok) throw new Error("Azure DevOps answered " + listed.status + " listing threads: " + (await listed.text()));
  const previous = (await listed.json()).value.find((thread) => ((thread.comments || [])[0]?.content || "").startsWith(marker));
  const response = previous
    ? await fetch(threads + "/" + previous.id + "/comments/" + previous.comments[0].id + "?" + version, { method: "PATCH", headers, body: JSON.stringify({ content: body }) })
    : await fetch(threads + "?" + version, { method: "POST", headers, body: JSON.stringify({ comments: [{ parentCommentId: 0, content: body, commentType: 1 }], status: 4 }) });
  if (!response.ok) throw new Error("Azure DevOps answered " + response.status + ": " + (await response.text()));
  console.log((previous ? "updated" : "added") + " the plan thread on pull request " + env.SYSTEM_PULLREQUEST_PULLREQUESTID);
})().catch(fail);`;
