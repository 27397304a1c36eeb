#!/usr/bin/env node
// Lays examples/shop into a git repository with a scripted, realistic history and a local bare
// repository as `origin`, so the demo and the e2e suites start from the same reproducible repo.
// Node built-ins only: it runs before anything is installed.
//
//   node scripts/example-repo.mjs <dir> [--no-history] [--origin <path>]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = fileURLToPath(new URL('../examples/shop', import.meta.url));

const AUTHORS = [
  ['Ada Lovelace', 'ada@example.com'],
  ['Grace Hopper', 'grace@example.com'],
  ['Linus Pauling', 'linus@example.com'],
];

// Fixed dates make the shas reproducible from one run to the next.
const FIRST_COMMIT_DATE = Date.UTC(2026, 10, 2, 9, 0, 0);

/**
 * The scripted history after the initial import, oldest first. Each edit is small and names the
 * exact text it replaces, so a change to examples/shop that breaks a step fails loudly here.
 */
export const EXAMPLE_HISTORY = [
  {
    message: 'orders-api: add refund endpoint',
    edits: [
      {
        file: 'apps/orders-api/src/routes/refunds.ts',
        create: `import { readJson, sendJson, type Handler } from '@shop/http-kit';
import { publish } from '../outbox';
import { orders } from '../store';

export const refundOrder: Handler = async (request, response, params) => {
  const order = orders.get(params.id ?? '');
  if (!order) return sendJson(response, 404, { error: \`no order \${params.id}\` });
  const body = (await readJson(request)) as { reason?: string } | undefined;
  order.status = 'refunded';
  publish({ type: 'order.refunded', orderId: order.id, reason: body?.reason ?? 'customer request' });
  sendJson(response, 200, { id: order.id, status: order.status });
};
`,
      },
      {
        file: 'apps/orders-api/src/routes/index.ts',
        replace: [
          [
            "import { getOrder, placeOrder } from './orders';",
            "import { getOrder, placeOrder } from './orders';\nimport { refundOrder } from './refunds';",
          ],
          [
            "router.add('GET', '/orders/:id', getOrder);",
            "router.add('GET', '/orders/:id', getOrder);\nrouter.add('POST', '/orders/:id/refund', refundOrder);",
          ],
        ],
      },
    ],
  },
  {
    message: 'shared-utils: fix date formatting',
    edits: [
      {
        file: 'libs/shared-utils/src/lib/date.ts',
        replace: [['${date.getUTCMonth() + 1}', '${pad(date.getUTCMonth() + 1)}']],
      },
    ],
  },
  {
    message: 'storefront: new banner',
    edits: [
      {
        file: 'apps/storefront/src/components/banner.ts',
        replace: [['Free shipping on orders over €50', 'Winter sale: 20% off all mugs until Sunday']],
      },
    ],
  },
  {
    message: 'orders-contracts: add optional currency field',
    edits: [
      {
        file: 'libs/orders-contracts/src/lib/order.ts',
        replace: [
          ["import type { Money } from '@shop/money';", "import type { CurrencyCode, Money } from '@shop/money';"],
          [
            '  placedAt: string;\n}',
            '  placedAt: string;\n  /** Settlement currency; optional until every consumer reads it. */\n  currency?: CurrencyCode;\n}',
          ],
        ],
      },
    ],
  },
  {
    message: 'catalog-search: rank name matches first',
    edits: [
      {
        file: 'libs/catalog-search/src/lib/search.ts',
        replace: [
          [
            '  return terms.filter((term) => haystack.includes(term)).length;',
            '  const name = slugify(product.name);\n  return terms.filter((term) => haystack.includes(term)).length + (terms.every((term) => name.includes(term)) ? 0.5 : 0);',
          ],
          ['.filter((hit) => hit.score === terms.length)', '.filter((hit) => hit.score >= terms.length)'],
        ],
      },
    ],
  },
  {
    message: 'shared-logger: document log levels',
    edits: [
      {
        file: 'libs/shared-logger/src/lib/sinks.ts',
        replace: [
          [
            "export type LogLevel = 'debug' | 'info' | 'warn' | 'error';",
            "/** Severity, lowest first; `warn` and `error` go to stderr in the console sink. */\nexport type LogLevel = 'debug' | 'info' | 'warn' | 'error';",
          ],
        ],
      },
    ],
  },
  {
    message: 'email-worker: retry failed sends',
    edits: [
      {
        file: 'apps/email-worker/src/handlers/order-placed.ts',
        replace: [
          [
            '  await sendEmail(email);\n',
            `  for (let attempt = 1; ; attempt++) {
    try {
      await sendEmail(email);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      log.warn('send failed, retrying', { attempt, error: String(error) });
    }
  }
`,
          ],
        ],
      },
    ],
  },
  {
    message: 'money: support Swiss francs',
    edits: [
      {
        file: 'libs/money/src/lib/currency.ts',
        replace: [
          [
            "export type CurrencyCode = 'EUR' | 'USD' | 'GBP';",
            "export type CurrencyCode = 'EUR' | 'USD' | 'GBP' | 'CHF';",
          ],
          [
            "registerCurrency({ code: 'GBP', symbol: '£', minorUnits: 2 });",
            "registerCurrency({ code: 'GBP', symbol: '£', minorUnits: 2 });\nregisterCurrency({ code: 'CHF', symbol: 'CHF ', minorUnits: 2 });",
          ],
        ],
      },
    ],
  },
  {
    // A function of the hub library that one deployable calls: Nx deploys all four, nx-lockstep one.
    message: 'shared-utils: time-ordered ids',
    edits: [
      {
        file: 'libs/shared-utils/src/lib/ids.ts',
        replace: [
          [
            "  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;",
            "  // A base-36 timestamp first, so ids sort by creation time.\n  return `${prefix}_${Date.now().toString(36)}${randomUUID().replace(/-/g, '').slice(0, 8)}`;",
          ],
        ],
      },
    ],
  },
];

export const INITIAL_COMMIT_MESSAGE = 'Import the shop monorepo';

/**
 * Creates the example repository in `dir` (which must not exist or be empty) with `origin` at
 * `origin` (default `<dir>-origin.git`). Returns the commits oldest first.
 * @param {{ dir: string, withHistory?: boolean, origin?: string }} options
 * @returns {{ dir: string, origin: string, commits: { sha: string, message: string }[] }}
 */
export function createExampleRepo({ dir, withHistory = true, origin } = {}) {
  if (!dir) throw new Error('createExampleRepo: `dir` is required, e.g. { dir: "/tmp/shop" }');
  dir = resolve(dir);
  origin = resolve(origin ?? `${dir}-origin.git`);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`createExampleRepo: ${dir} is not empty; pass a new or empty directory`);
  }
  if (existsSync(origin))
    throw new Error(`createExampleRepo: origin ${origin} already exists; remove it or pass another "origin"`);

  mkdirSync(dir, { recursive: true });
  cpSync(EXAMPLE_DIR, dir, {
    recursive: true,
    // Leftovers of a local try-out of the example must not end up in the repository.
    filter: (source) => !/(^|[\\/])(node_modules|dist|\.nx)([\\/]|$)/.test(relative(EXAMPLE_DIR, source)),
  });

  const git = (...args) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', AUTHORS[0][0]);
  git('config', 'user.email', AUTHORS[0][1]);
  git('config', 'commit.gpgsign', 'false');
  git('config', 'tag.gpgsign', 'false');

  const commits = [];
  const commit = (message, index) => {
    const [name, email] = AUTHORS[index % AUTHORS.length];
    const date = new Date(FIRST_COMMIT_DATE + index * 26 * 3600 * 1000).toISOString();
    git('add', '-A');
    execFileSync('git', ['commit', '-q', '-m', message], {
      cwd: dir,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: name,
        GIT_AUTHOR_EMAIL: email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: name,
        GIT_COMMITTER_EMAIL: email,
        GIT_COMMITTER_DATE: date,
      },
    });
    commits.push({ sha: git('rev-parse', 'HEAD'), message });
  };

  commit(INITIAL_COMMIT_MESSAGE, 0);
  if (withHistory) {
    EXAMPLE_HISTORY.forEach((step, i) => {
      for (const edit of step.edits) applyEdit(dir, edit, step.message);
      commit(step.message, i + 1);
    });
  }

  mkdirSync(dirname(origin), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin], { stdio: 'ignore' });
  git('remote', 'add', 'origin', origin);
  git('push', '-q', '-u', 'origin', 'main');
  // gitlab-ci-local and `git rev-parse origin/HEAD` need the remote's default branch.
  git('remote', 'set-head', 'origin', 'main');
  return { dir, origin, commits };
}

function applyEdit(dir, edit, message) {
  const path = join(dir, edit.file);
  if (edit.create !== undefined) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, edit.create);
    return;
  }
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of edit.replace) {
    if (!text.includes(from)) {
      throw new Error(
        `example history step "${message}": ${edit.file} no longer contains ${JSON.stringify(from)}; update EXAMPLE_HISTORY in scripts/example-repo.mjs`,
      );
    }
    text = text.replace(from, to);
  }
  writeFileSync(path, text);
}

function cli(argv) {
  const args = [...argv];
  const withHistory = !args.includes('--no-history');
  const originAt = args.indexOf('--origin');
  const origin = originAt >= 0 ? args.splice(originAt, 2)[1] : undefined;
  const dir = args.find((arg) => !arg.startsWith('--'));
  if (!dir) {
    process.stderr.write(
      'usage: node scripts/example-repo.mjs <dir> [--no-history] [--origin <path>]\n  e.g. node scripts/example-repo.mjs /tmp/shop\n',
    );
    return 1;
  }
  const repo = createExampleRepo({ dir, withHistory, origin });
  process.stdout.write(`Example repository: ${repo.dir}\norigin: ${repo.origin}\n`);
  for (const { sha, message } of repo.commits) process.stdout.write(`  ${sha.slice(0, 8)} ${message}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = cli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`example-repo: ${error.message}\n`);
    process.exitCode = 1;
  }
}
