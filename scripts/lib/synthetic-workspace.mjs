// A seeded generator of synthetic Nx workspaces for the deploy-impact oracle test and the
// benchmark. It keeps a model of every source file (declarations and the symbols each one uses),
// renders TypeScript from it, and applies random edits of known kinds to the model, so imports
// always follow what the code really uses and renames/deletes update every importer.
//
// Shape: libs/lib<i> (a barrel src/index.ts over src/lib/*.ts) form a DAG — lib i only uses
// libs with a lower index, and the first few libs are hubs that many libs use. apps/app<k>
// are the deployables: a Dockerfile marker, a `deploy` target and an entry src/main.ts.
// Every top-level name is unique in the workspace, so bundlers never rename to deconflict and
// an edit that does not reach a bundle cannot change it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Edit kinds the oracle and the history replay draw from. */
export const EDIT_KINDS = [
  'function-body',
  'comment',
  'type-only',
  'unused-export',
  'side-effect',
  'add-import',
  'rename-file',
  'delete-file',
  'constant-literal',
];

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)],
    /** k distinct items (fewer if there are not enough). */
    sample(items, k) {
      const copy = [...items];
      const out = [];
      while (out.length < k && copy.length > 0) out.push(copy.splice(int(copy.length), 1)[0]);
      return out;
    },
  };
}

const DEFAULTS = {
  seed: 1,
  libs: 15,
  deployables: 4,
  filesPerLib: 3,
  appFiles: 1,
  hubs: 3,
  /** Libs per domain (after the hubs). */
  domainSize: 4,
  /** How many libs each lib depends on, at most. */
  maxLibDeps: 3,
  /** How many libs each deployable uses, at most. */
  maxAppLibs: 4,
  /** nx-lockstep plugin entry for nx.json (absolute path), or null to leave it out. */
  pluginPath: null,
  /** Create a local bare repository as `origin` and push to it. */
  remote: true,
};

export class SyntheticWorkspace {
  /** @param {string} root @param {Partial<typeof DEFAULTS>} options */
  constructor(root, options = {}) {
    this.root = root;
    this.options = { ...DEFAULTS, ...options };
    this.random = createRandom(this.options.seed);
    /** @type {Map<string, FileModel>} path → model */
    this.files = new Map();
    /** @type {Map<string, {file: FileModel, decl: Decl}>} symbol name → where it is declared */
    this.symbols = new Map();
    /** @type {{name: string, root: string, entry: string}[]} */
    this.deployables = [];
    this.libCount = this.options.libs;
    this.rendered = new Map();
    this.counter = 0;
    /** @type {Map<number, FileModel[]>} lib index → its files (kept in step with renames and deletes) */
    this.byLib = new Map();
    /** Files whose text may have changed since the last flush; null = re-render everything. */
    this.dirty = null;
  }

  /** Generates the model, writes the workspace, and commits it as the first commit. Returns its sha. */
  static create(root, options) {
    const workspace = new SyntheticWorkspace(root, options);
    workspace.generate();
    workspace.writeScaffold();
    workspace.flush();
    workspace.gitInit();
    return workspace;
  }

  get sourceFileCount() {
    return this.files.size + this.libCount; // + one barrel per lib
  }

  generate() {
    const { libs, filesPerLib, hubs, maxLibDeps, deployables, maxAppLibs, appFiles, domainSize } = this.options;
    const r = this.random;
    // Libs 0..hubs-1 are shared hubs; the rest are grouped in domains of `domainSize` libs. A lib
    // uses hubs and lower libs of its own domain, rarely another domain: a modular monorepo
    // whose coupling comes from hubs and a few cross-domain imports.
    const domainOf = (i) => (i < hubs ? -1 : Math.floor((i - hubs) / domainSize));
    this.domains = [];
    for (let i = hubs; i < libs; i++) (this.domains[domainOf(i)] ??= []).push(i);
    for (let i = 0; i < libs; i++) {
      const deps = new Set();
      const sameDomain = i < hubs ? [] : this.domains[domainOf(i)].filter((j) => j < i);
      const lower = Array.from({ length: i }, (_, j) => j);
      const depCount = i === 0 ? 0 : 1 + r.int(Math.min(maxLibDeps, i));
      for (let n = 0; n < depCount; n++) {
        const x = r.next();
        if (x < 0.35 || i < hubs) deps.add(r.int(Math.min(hubs, i)));
        else if (x < 0.93 && sameDomain.length > 0) deps.add(r.pick(sameDomain));
        else deps.add(r.pick(lower));
      }
      const lib = `lib${i}`;
      for (let f = 0; f < filesPerLib; f++) {
        const file = this.addFile(`libs/${lib}/src/lib/l${i}-f${f}.ts`, { lib, libIndex: i, stem: `l${i}_f${f}` });
        this.populateFile(file, [...deps]);
      }
    }
    for (let k = 0; k < deployables; k++) {
      const name = `app${k}`;
      const appRoot = `apps/${name}`;
      // A deployable serves one domain (sometimes two) and uses a few of its libs, mostly upper ones.
      const domain = this.domains.length > 0 ? this.domains[k % this.domains.length] : [];
      const pool = r.chance(0.2) && this.domains.length > 1 ? [...domain, ...r.pick(this.domains)] : domain;
      const libsUsed = pool.length > 0 ? r.sample(pool, 1 + r.int(maxAppLibs)) : [r.int(libs)];
      const parts = [];
      for (let f = 0; f < appFiles; f++) {
        const part = this.addFile(`${appRoot}/src/app/a${k}-p${f}.ts`, { app: name, stem: `a${k}_p${f}` });
        this.populateFile(part, libsUsed, { fns: 2, consts: 1, types: 0, effect: false });
        parts.push(part);
      }
      const main = this.addFile(`${appRoot}/src/main.ts`, { app: name, stem: `a${k}_main`, entry: true });
      const uses = [];
      for (const part of parts) uses.push(this.exportedFns(part)[0]);
      for (const i of libsUsed) uses.push(...r.sample(this.libExportedFns(i), 1 + r.int(2)).map((s) => ({ name: s })));
      main.decls.push({
        kind: 'effect',
        id: this.nextId('start'),
        value: 1,
        uses: uses.filter(Boolean).map((u) => ({ name: u.name ?? u, dynamic: false })),
      });
      this.deployables.push({ name, root: appRoot, entry: `${appRoot}/src/main.ts` });
    }
  }

  addFile(path, meta) {
    const file = { path, decls: [], extraImports: [], importStyle: new Map(), ...meta };
    this.files.set(path, file);
    if (file.libIndex !== undefined) {
      if (!this.byLib.has(file.libIndex)) this.byLib.set(file.libIndex, []);
      this.byLib.get(file.libIndex).push(file);
    }
    return file;
  }

  /** Declarations of one file: types, constants, functions using earlier symbols, maybe a side effect. */
  populateFile(file, depLibs, shape = {}) {
    const r = this.random;
    // Hubs are utility libraries: more, smaller exports and hardly any load-time side effects.
    const hub = file.libIndex !== undefined && file.libIndex < this.options.hubs;
    const {
      fns = hub ? 4 + r.int(4) : 2 + r.int(3),
      consts = 1 + r.int(2),
      types = 1,
      effect = r.chance(hub ? 0.03 : 0.15),
    } = shape;
    const stem = file.stem;
    for (let t = 0; t < types; t++)
      this.declare(file, { kind: 'type', id: `${upper(stem)}_T${t}`, fields: 1 + r.int(3), exported: true });
    for (let c = 0; c < consts; c++)
      this.declare(file, { kind: 'const', id: `${upper(stem)}_C${c}`, value: 1 + r.int(100), exported: true });
    for (let f = 0; f < fns; f++) {
      const uses = this.pickUses(file, depLibs, r.int(4));
      const typeUse = r.chance(0.3) ? this.pickTypeUse(file, depLibs) : null;
      this.declare(file, {
        kind: 'fn',
        id: `${stem}_fn${f}`,
        k: 1 + r.int(9),
        uses,
        paramType: typeUse,
        exported: true,
      });
    }
    if (effect) {
      file.decls.push({
        kind: 'effect',
        id: this.nextId(`${stem}_fx`),
        value: 1 + r.int(9),
        uses: this.pickUses(file, [], 1),
      });
    }
    for (const lib of depLibs) file.importStyle.set(lib, r.chance(0.2) ? 'namespace' : 'named');
    file.namedBarrel = file.libIndex !== undefined && r.chance(0.3);
  }

  declare(file, decl) {
    file.decls.push(decl);
    this.symbols.set(decl.id, { file, decl });
  }

  nextId(prefix) {
    return `${prefix}${this.counter++}`;
  }

  exportedFns(file) {
    return file.decls.filter((d) => d.kind === 'fn' && d.exported).map((d) => ({ name: d.id }));
  }

  libFiles(libIndex) {
    return this.byLib.get(libIndex) ?? [];
  }

  libExportedFns(libIndex) {
    return this.libFiles(libIndex).flatMap((f) => this.exportedFns(f).map((s) => s.name));
  }

  /** Value symbols a new function may use: earlier in this file, earlier files of its lib, or its dependency libs. */
  pickUses(file, depLibs, count) {
    const r = this.random;
    const siblings =
      file.libIndex === undefined
        ? [file]
        : this.libFiles(file.libIndex).filter((f) => f === file || f.path < file.path);
    const local = siblings.flatMap((f) =>
      f.decls.filter((d) => d.kind === 'fn' || d.kind === 'const').map((d) => d.id),
    );
    const uses = [];
    for (let n = 0; n < count; n++) {
      if (depLibs.length > 0 && (local.length === 0 || r.chance(0.6))) {
        const lib = r.pick(depLibs);
        const candidates = this.libFiles(lib).flatMap((f) =>
          f.decls.filter((d) => d.kind === 'fn' || d.kind === 'const').map((d) => d.id),
        );
        // import() returns the whole module namespace: keep it to domain libs, as code splitting does.
        if (candidates.length > 0)
          uses.push({ name: r.pick(candidates), dynamic: lib >= this.options.hubs && r.chance(0.1) });
      } else if (local.length > 0) {
        uses.push({ name: r.pick(local), dynamic: false });
      }
    }
    return dedupeUses(uses);
  }

  pickTypeUse(file, depLibs) {
    const r = this.random;
    const sources = [file, ...depLibs.flatMap((lib) => this.libFiles(lib))];
    const types = sources.flatMap((f) => f.decls.filter((d) => d.kind === 'type').map((d) => d.id));
    return types.length > 0 ? r.pick(types) : null;
  }

  // ---------------------------------------------------------------- rendering

  /** Every file of the workspace as path → text (sources, barrels, configs). */
  renderAll() {
    const out = new Map();
    for (const file of this.files.values()) out.set(file.path, this.renderFile(file));
    for (let i = 0; i < this.libCount; i++)
      out.set(`libs/lib${i}/src/index.ts`, this.renderBarrel(i, this.libFiles(i)));
    return out;
  }

  /** Re-renders only the dirty files and their libs' barrels (edits that move files re-render all). */
  renderDirty() {
    if (this.dirty === null) return this.renderAll();
    const out = new Map(this.rendered);
    const libs = new Set();
    for (const file of this.dirty) {
      out.set(file.path, this.renderFile(file));
      if (file.libIndex !== undefined) libs.add(file.libIndex);
    }
    for (const i of libs) out.set(`libs/lib${i}/src/index.ts`, this.renderBarrel(i, this.libFiles(i)));
    return out;
  }

  renderBarrel(libIndex, files) {
    const lines = [`// Public API of lib${libIndex}.`];
    for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
      const spec = `./lib/${basename(f.path)}`;
      // Mix star and named re-exports: both are common, and they resolve differently.
      if (f.namedBarrel) {
        const names = f.decls
          .filter((d) => d.exported && d.kind !== 'effect' && d.kind !== 'comment')
          .map((d) => (d.kind === 'type' ? `type ${d.id}` : d.id));
        if (names.length > 0) lines.push(`export { ${names.join(', ')} } from '${spec}';`);
        else lines.push(`import '${spec}';`);
      } else {
        lines.push(`export * from '${spec}';`);
      }
    }
    return lines.join('\n') + '\n';
  }

  /** Where `name` is imported from, seen from `file`, or null when it is declared in `file`. */
  specifierFor(file, name) {
    const where = this.symbols.get(name);
    if (!where) throw new Error(`synthetic workspace: unknown symbol ${name} used in ${file.path}`);
    if (where.file === file) return null;
    if (where.file.libIndex !== undefined && where.file.libIndex === file.libIndex)
      return `./${basename(where.file.path)}`;
    if (where.file.app !== undefined && where.file.app === file.app) {
      const rel = relative(dirname(file.path), where.file.path).replace(/\.ts$/, '');
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    return `@syn/lib${where.file.libIndex}`;
  }

  renderFile(file) {
    const imports = new Map(); // specifier → { names:Set, types:Set, namespace }
    const ref = (name, dynamic) => {
      const spec = this.specifierFor(file, name);
      if (spec === null) return name;
      const libIndex = this.symbols.get(name).file.libIndex;
      if (dynamic) return { dynamic: spec, name };
      const entry = imports.get(spec) ?? { names: new Set(), types: new Set(), namespace: null };
      imports.set(spec, entry);
      if (spec.startsWith('@syn/') && file.importStyle.get(libIndex) === 'namespace') {
        entry.namespace = `ns_lib${libIndex}`;
        return `${entry.namespace}.${name}`;
      }
      entry.names.add(name);
      return name;
    };
    const typeRef = (name) => {
      const spec = this.specifierFor(file, name);
      if (spec === null) return name;
      const entry = imports.get(spec) ?? { names: new Set(), types: new Set(), namespace: null };
      imports.set(spec, entry);
      entry.types.add(name);
      return name;
    };
    const body = [];
    for (const decl of file.decls) body.push(this.renderDecl(decl, ref, typeRef));
    const head = [];
    for (const [spec, entry] of imports) {
      if (entry.namespace) head.push(`import * as ${entry.namespace} from '${spec}';`);
      const names = [...entry.names, ...[...entry.types].map((t) => `type ${t}`)];
      if (names.length > 0) head.push(`import { ${names.join(', ')} } from '${spec}';`);
    }
    for (const extra of file.extraImports) {
      head.push(
        extra.names.length > 0
          ? `import { ${extra.names.join(', ')} } from '${extra.spec}';`
          : `import '${extra.spec}';`,
      );
    }
    return [...head, '', ...body].join('\n') + '\n';
  }

  renderDecl(decl, ref, typeRef) {
    const exp = decl.exported ? 'export ' : '';
    const call = (u, i) => {
      const target = this.symbols.get(u.name).decl;
      const r = ref(u.name, u.dynamic);
      if (typeof r === 'object') {
        const member = target.kind === 'fn' ? `m.${u.name}(${i})` : `m.${u.name}`;
        return `void import('${r.dynamic}').then((m) => ${member});`;
      }
      return target.kind === 'fn' ? `acc += ${r}(n + ${i});` : `acc += ${r};`;
    };
    switch (decl.kind) {
      case 'type':
        return `${exp}interface ${decl.id} {\n${Array.from({ length: decl.fields }, (_, i) => `  field${i}: ${i % 2 ? 'string' : 'number'};`).join('\n')}\n}\n`;
      case 'const':
        return `${exp}const ${decl.id} = ${decl.value};\n`;
      case 'comment':
        return `// ${decl.text}\n`;
      case 'fn': {
        const param = decl.paramType ? `, shape?: ${typeRef(decl.paramType)}` : '';
        const lines = decl.uses.map((u, i) => `  ${call(u, i)}`);
        return `${exp}function ${decl.id}(n: number${param}${decl.wideParam ? ' | undefined' : ''}): number {\n  let acc = n * ${decl.k};\n${lines.join('\n')}${lines.length ? '\n' : ''}  return acc;\n}\n`;
      }
      case 'effect': {
        const args = decl.uses.map((u, i) => {
          const target = this.symbols.get(u.name).decl;
          const r = ref(u.name, false);
          return target.kind === 'fn' ? `${r}(${i})` : r;
        });
        return `console.log('${decl.id}', ${[decl.value, ...args].join(', ')});\n`;
      }
      default:
        throw new Error(`unknown decl kind ${decl.kind}`);
    }
  }

  // ---------------------------------------------------------------- disk and git

  writeScaffold() {
    const root = this.root;
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    const paths = {};
    for (let i = 0; i < this.libCount; i++) paths[`@syn/lib${i}`] = [`./libs/lib${i}/src/index.ts`];
    const write = (path, text) => this.writeText(path, text);
    write('.gitignore', 'node_modules\n.nx\ndist\n');
    write(
      'package.json',
      JSON.stringify({ name: 'synthetic-workspace', version: '0.0.0', private: true }, null, 2) + '\n',
    );
    write(
      'tsconfig.base.json',
      JSON.stringify(
        {
          compilerOptions: {
            target: 'es2022',
            module: 'esnext',
            moduleResolution: 'bundler',
            strict: true,
            skipLibCheck: true,
            paths,
          },
        },
        null,
        2,
      ) + '\n',
    );
    const nxJson = {
      analytics: false,
      neverConnectToCloud: true,
      // Nx infers project dependencies from TypeScript imports, as in a workspace with @nx/js.
      pluginsConfig: { '@nx/js': { analyzeSourceFiles: true, analyzePackageJson: false, analyzeLockfile: false } },
      namedInputs: { default: ['{projectRoot}/**/*'] },
      plugins: this.options.pluginPath ? [{ plugin: this.options.pluginPath, options: {} }] : [],
    };
    write('nx.json', JSON.stringify(nxJson, null, 2) + '\n');
    for (let i = 0; i < this.libCount; i++) {
      write(
        `libs/lib${i}/project.json`,
        JSON.stringify(
          { name: `lib${i}`, root: `libs/lib${i}`, sourceRoot: `libs/lib${i}/src`, projectType: 'library', tags: [] },
          null,
          2,
        ) + '\n',
      );
    }
    for (const app of this.deployables) {
      write(
        `${app.root}/project.json`,
        JSON.stringify(
          {
            name: app.name,
            root: app.root,
            sourceRoot: `${app.root}/src`,
            projectType: 'application',
            tags: ['deployable'],
            targets: { deploy: { command: `echo deploy ${app.name}` } },
          },
          null,
          2,
        ) + '\n',
      );
      write(`${app.root}/Dockerfile`, `FROM node:20-slim\nCOPY dist/${app.root} /app\nCMD ["node", "/app/main.js"]\n`);
    }
  }

  writeText(path, text) {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  /** Writes the files whose text changed since the last flush and deletes the ones that went away. */
  flush() {
    const next = this.renderDirty();
    this.dirty = new Set();
    const changed = [];
    for (const [path, text] of next) {
      if (this.rendered.get(path) !== text) {
        this.writeText(path, text);
        changed.push(path);
      }
    }
    for (const path of this.rendered.keys()) {
      if (!next.has(path)) {
        rmSync(join(this.root, path), { force: true });
        changed.push(path);
      }
    }
    this.rendered = next;
    return changed;
  }

  git(...args) {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  }

  gitInit() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'synthetic@example.com');
    this.git('config', 'user.name', 'Synthetic');
    this.git('config', 'commit.gpgsign', 'false');
    this.baseSha = this.commit('Generate synthetic workspace');
    if (this.options.remote) {
      const bare = `${this.root}.remote.git`;
      rmSync(bare, { recursive: true, force: true });
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
      this.git('remote', 'add', 'origin', bare);
      this.git('push', '-q', 'origin', 'main');
    }
    return this.baseSha;
  }

  commit(message) {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  // ---------------------------------------------------------------- edits

  /**
   * Applies one edit of `kind` (random when omitted) to the model and writes it to disk.
   * Returns { kind, description, files } — files are the workspace paths written or removed.
   */
  applyEdit(kind = this.random.pick(EDIT_KINDS), target = {}) {
    const description = this.editModel(kind, target);
    const files = this.flush();
    return { kind, description, files };
  }

  /** Source files an edit may touch; `target.libIndex` / `target.app` narrow it (history replay). */
  editableFiles(target) {
    let files = [...this.files.values()];
    if (target.libIndex !== undefined) files = files.filter((f) => f.libIndex === target.libIndex);
    if (target.app !== undefined) files = files.filter((f) => f.app === target.app);
    return files.length > 0 ? files : [...this.files.values()];
  }

  editModel(kind, target) {
    const r = this.random;
    const files = this.editableFiles(target);
    const touch = (file) => this.dirty?.add(file);
    const declsOf = (k) => files.flatMap((f) => f.decls.filter((d) => d.kind === k).map((d) => ({ file: f, decl: d })));
    switch (kind) {
      case 'function-body': {
        const { file, decl } = r.pick(declsOf('fn'));
        decl.k += 1 + r.int(5);
        touch(file);
        return `change the body of ${decl.id} in ${file.path}`;
      }
      case 'comment': {
        const file = r.pick(files);
        file.decls.splice(r.int(file.decls.length + 1), 0, {
          kind: 'comment',
          id: this.nextId('c'),
          text: `note ${this.counter}: keep this in mind`,
        });
        touch(file);
        return `add a comment to ${file.path}`;
      }
      case 'type-only': {
        const types = declsOf('type');
        if (types.length > 0 && r.chance(0.6)) {
          const { file, decl } = r.pick(types);
          decl.fields += 1;
          touch(file);
          return `add a field to interface ${decl.id} in ${file.path}`;
        }
        const { file, decl } = r.pick(declsOf('fn'));
        decl.wideParam = !decl.wideParam;
        touch(file);
        return `change the parameter type of ${decl.id} in ${file.path}`;
      }
      case 'unused-export': {
        const file = r.pick(files);
        const id = this.nextId(`${file.stem}_extra`);
        const deps = [...file.importStyle.keys()];
        // Static uses only: a dynamic import() in dead code still changes how esbuild wraps modules.
        const uses = this.pickUses(file, deps, 1 + r.int(2)).map((u) => ({ ...u, dynamic: false }));
        this.declare(file, { kind: 'fn', id, k: 1 + r.int(9), uses, paramType: null, exported: true });
        touch(file);
        return `add exported function ${id}, used by nobody, to ${file.path}`;
      }
      case 'side-effect': {
        const effects = declsOf('effect');
        if (effects.length === 0) {
          const file = r.pick(files);
          file.decls.push({ kind: 'effect', id: this.nextId(`${file.stem}_fx`), value: 1, uses: [] });
          touch(file);
          return `add a top-level side effect to ${file.path}`;
        }
        const { file, decl } = r.pick(effects);
        decl.value += 1;
        touch(file);
        return `change the top-level side effect ${decl.id} in ${file.path}`;
      }
      case 'add-import': {
        const file = r.pick(files.filter((f) => f.libIndex === undefined || f.libIndex > 0)) ?? r.pick(files);
        const upper = file.libIndex ?? this.libCount;
        const libIndex = r.int(Math.max(1, upper));
        if (libIndex === file.libIndex || this.libFiles(libIndex).length === 0)
          return this.editModel('function-body', target);
        touch(file);
        if (!file.importStyle.has(libIndex)) file.importStyle.set(libIndex, r.chance(0.2) ? 'namespace' : 'named');
        const fns = file.decls.filter((d) => d.kind === 'fn');
        const candidates = this.libExportedFns(libIndex);
        if (fns.length > 0 && candidates.length > 0 && r.chance(0.7)) {
          const fn = r.pick(fns);
          const name = r.pick(candidates);
          // Static only: esbuild wraps every import() target before tree shaking, so adding one
          // in code a deployable never runs still reshapes its bundle (see docs/benchmarks.md).
          fn.uses.push({ name, dynamic: false });
          fn.uses = dedupeUses(fn.uses);
          return `import ${name} from @syn/lib${libIndex} and call it in ${fn.id} (${file.path})`;
        }
        file.extraImports.push({ spec: `@syn/lib${libIndex}`, names: [] });
        return `add a bare import of @syn/lib${libIndex} to ${file.path}`;
      }
      case 'rename-file': {
        const file = r.pick(files.filter((f) => !f.entry));
        if (!file) return this.editModel('function-body', target);
        const from = file.path;
        this.files.delete(from);
        file.path = join(dirname(from), `${basename(from)}-r${this.counter++}.ts`);
        this.files.set(file.path, file);
        this.dirty = null;
        return `rename ${from} to ${file.path} (importers updated)`;
      }
      case 'delete-file': {
        // Not a file something import()s: removing a dynamic import reshapes esbuild's bundles.
        const dynamicTargets = new Set();
        for (const f of this.files.values())
          for (const d of f.decls)
            for (const u of d.uses ?? []) if (u.dynamic) dynamicTargets.add(this.symbols.get(u.name)?.file.libIndex);
        const file = r.pick(
          files.filter(
            (f) => !f.entry && !dynamicTargets.has(f.libIndex) && !f.decls.some((d) => d.uses?.some((u) => u.dynamic)),
          ),
        );
        if (!file) return this.editModel('function-body', target);
        this.files.delete(file.path);
        if (file.libIndex !== undefined)
          this.byLib.set(
            file.libIndex,
            this.libFiles(file.libIndex).filter((f) => f !== file),
          );
        this.dirty = null;
        const gone = new Set(file.decls.map((d) => d.id));
        for (const id of gone) this.symbols.delete(id);
        for (const other of this.files.values()) {
          for (const decl of other.decls) {
            if (decl.uses) decl.uses = decl.uses.filter((u) => !gone.has(u.name));
            if (decl.paramType && gone.has(decl.paramType)) decl.paramType = null;
          }
        }
        return `delete ${file.path} and every use of its symbols`;
      }
      case 'constant-literal': {
        const { file, decl } = r.pick(declsOf('const'));
        decl.value += 1 + r.int(50);
        touch(file);
        return `change the literal of ${decl.id} in ${file.path}`;
      }
      default:
        throw new Error(`synthetic workspace: unknown edit kind "${kind}" (expected one of ${EDIT_KINDS.join(', ')})`);
    }
  }
}

function dedupeUses(uses) {
  const seen = new Set();
  return uses.filter((u) => (seen.has(u.name) ? false : (seen.add(u.name), true)));
}

function basename(path) {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.ts$/, '');
}

function upper(stem) {
  return stem.toUpperCase();
}

export function ensureDir(path) {
  if (!existsSync(path)) mkdirSync(path, { recursive: true });
}
