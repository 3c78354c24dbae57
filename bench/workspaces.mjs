#!/usr/bin/env node
// Workspace benchmark: the git engine of src/workspaces on a generated repository, without a server.
//  1. creation: WorkspaceEngine.create() on a repository of --files files (node_modules linked),
//     --runs times after one warm-up, next to a bare `git worktree add` of the same repository;
//  2. disk: --workspaces workspaces with node_modules linked, copied, and without it, as the engine's
//     du-like count sees them (symlinks not followed, each inode once);
//  3. merge queue: --merges workspaces with one small commit each, merged one after another (the base
//     moves every time, so each one is rebased or merged onto it) with a trivial check.
// Prints a report, then one JSON line with the figures. Run with tsx (the engine is TypeScript):
//
//   node --import tsx bench/workspaces.mjs [--files 10000] [--runs 7] [--workspaces 20] [--merges 20]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_WORKSPACE_FILE, WorkspaceEngine } from '../src/workspaces/index.ts';
import { diskUsage } from '../src/workspaces/disk-usage.ts';
import {
  formatTable,
  machineInfo,
  machineLoadBefore,
  parseOptions,
  runMain,
  runSummary,
  wholeOption,
} from './lib.mjs';

const HELP = `Usage: node --import tsx bench/workspaces.mjs [options]

  --files N              files in the generated repository (default 10000, BENCH_FILES)
  --runs N               timed creations after one warm-up (default 7, BENCH_RUNS)
  --workspaces N         workspaces measured for disk, per variant (default 20, BENCH_WORKSPACES)
  --merges N             branches merged one after another (default 20, BENCH_MERGES)
  --node-modules-files N files in the main checkout's node_modules (default 2000)
  --strategy S           rebase or merge (default rebase)
  --help                 this text`;

function options() {
  const values = parseOptions(
    ['files', 'runs', 'workspaces', 'merges', 'node-modules-files', 'strategy'],
    HELP,
  );
  const env = process.env;
  const strategy = values.strategy ?? env.BENCH_STRATEGY ?? 'rebase';
  if (strategy !== 'rebase' && strategy !== 'merge')
    throw new Error(`--strategy must be rebase or merge, not '${strategy}'.`);
  return {
    files: wholeOption('files', values.files ?? env.BENCH_FILES, 10_000, 1, 1_000_000),
    runs: wholeOption('runs', values.runs ?? env.BENCH_RUNS, 7, 1, 100),
    workspaces: wholeOption('workspaces', values.workspaces ?? env.BENCH_WORKSPACES, 20, 1, 200),
    merges: wholeOption('merges', values.merges ?? env.BENCH_MERGES, 20, 1, 500),
    nodeModulesFiles: wholeOption('node-modules-files', values['node-modules-files'], 2000, 0, 1_000_000),
    strategy,
  };
}

const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (started) => performance.now() - started;

/** A sandbox in which the machine's git config never counts. */
function sandbox() {
  const root = mkdtempSync(join(os.tmpdir(), 'maestro-bench-ws-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@localhost',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@localhost',
  };
  const git = (cwd, ...args) =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  return { root, env, git, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A repository of `files` source-like files in 100 folders, and an ignored node_modules. */
function generateRepo(box, files, nodeModulesFiles) {
  const repo = join(box.root, 'repo');
  mkdirSync(repo);
  box.git(repo, 'init', '-q', '-b', 'main');
  const line = 'export const value = "a line of generated source code for the benchmark";\n';
  for (let i = 0; i < files; i++) {
    const dir = join(repo, 'src', `module-${i % 100}`);
    if (i < 100) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file-${i}.ts`), `// file ${i}\n${line.repeat(4)}`);
  }
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  box.git(repo, 'add', '-A');
  box.git(repo, 'commit', '-q', '-m', 'generated');
  for (let i = 0; i < nodeModulesFiles; i++) {
    const dir = join(repo, 'node_modules', `pkg-${i % 200}`);
    if (i < 200) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `index-${i}.js`), `module.exports = ${i};\n`.padEnd(4000, ' '));
  }
  return repo;
}

async function benchCreation(box, repo, opts) {
  const engine = new WorkspaceEngine({ home: join(box.root, 'maestro-create'), env: box.env });
  const project = { key: 'p_bench', dir: repo };
  const file = { ...DEFAULT_WORKSPACE_FILE, link: ['node_modules'] };
  const engineSamples = [];
  for (let i = 0; i <= opts.runs; i++) {
    const started = performance.now();
    const result = await engine.create(project, { id: `t_create${i}`, title: 'creation run' }, { file });
    const elapsed = ms(started);
    if (!result.isolated || !result.ready) throw new Error(`create failed: ${JSON.stringify(result)}`);
    if (i > 0) engineSamples.push(elapsed);
  }
  const gitSamples = [];
  for (let i = 0; i <= opts.runs; i++) {
    const path = join(box.root, 'bare-worktrees', `w${i}`);
    const started = performance.now();
    box.git(repo, 'worktree', 'add', '-q', '-b', `bare/${i}`, path, 'main');
    const elapsed = ms(started);
    if (i > 0) gitSamples.push(elapsed);
  }
  const removeSamples = [];
  for (let i = 0; i < Math.min(opts.runs, 3); i++) {
    const started = performance.now();
    await engine.remove(project.key, `t_create${i + 1}`);
    removeSamples.push(ms(started));
  }
  return {
    engine: runSummary(engineSamples),
    gitWorktreeAdd: runSummary(gitSamples),
    remove: runSummary(removeSamples),
  };
}

async function benchDisk(box, repo, opts) {
  const variants = {
    linked: { ...DEFAULT_WORKSPACE_FILE, link: ['node_modules'] },
    copied: { ...DEFAULT_WORKSPACE_FILE, copy: ['node_modules'] },
    none: { ...DEFAULT_WORKSPACE_FILE },
  };
  const result = {};
  for (const [name, file] of Object.entries(variants)) {
    const home = join(box.root, `maestro-disk-${name}`);
    const engine = new WorkspaceEngine({ home, env: box.env, portPool: { min: 40_000, max: 49_999 } });
    const started = performance.now();
    for (let i = 0; i < opts.workspaces; i++)
      await engine.create({ key: 'p_bench', dir: repo }, { id: `t_${name}${i}`, title: name }, { file });
    const createMs = ms(started);
    const usage = await engine.diskUsage();
    result[name] = {
      workspaces: usage.workspaces,
      totalMiB: mib(usage.totalBytes),
      perWorkspaceMiB: mib(usage.totalBytes / usage.workspaces),
      createAllMs: Math.round(createMs),
    };
    rmSync(home, { recursive: true, force: true });
    box.git(repo, 'worktree', 'prune');
  }
  return result;
}

async function benchMergeQueue(box, repo, opts) {
  const engine = new WorkspaceEngine({
    home: join(box.root, 'maestro-merge'),
    env: box.env,
    portPool: { min: 50_000, max: 59_999 },
  });
  const project = { key: 'p_bench', dir: repo };
  const file = { ...DEFAULT_WORKSPACE_FILE, link: ['node_modules'] };
  for (let i = 0; i < opts.merges; i++) {
    const created = await engine.create(project, { id: `t_m${i}`, title: 'merge' }, { file });
    const path = created.workspace.path;
    writeFileSync(join(path, 'src', `module-${i % 100}`, `added-by-${i}.ts`), `export const added = ${i};\n`);
    box.git(path, 'add', '-A');
    box.git(path, 'commit', '-q', '-m', `task ${i}`);
  }
  const baseBefore = box.git(repo, 'rev-parse', 'main');
  const samples = [];
  const started = performance.now();
  for (let i = 0; i < opts.merges; i++) {
    const one = performance.now();
    const result = await engine.merge(project.key, `t_m${i}`, {
      strategy: opts.strategy,
      checks: { command: 'true', timeoutSeconds: 60 },
    });
    samples.push(ms(one));
    if (result.outcome !== 'merged') throw new Error(`merge ${i}: ${JSON.stringify(result)}`);
  }
  const totalMs = ms(started);
  const landed = Number(box.git(repo, 'rev-list', '--count', `${baseBefore}..main`));
  const mainClean = box.git(repo, 'status', '--porcelain') === '';
  return {
    strategy: opts.strategy,
    merges: opts.merges,
    commitsLanded: landed,
    mainCheckoutClean: mainClean,
    totalMs: Math.round(totalMs),
    mergesPerMinute: Math.round((opts.merges / totalMs) * 60_000 * 10) / 10,
    perMerge: runSummary(samples),
  };
}

async function main() {
  const opts = options();
  const cores = machineInfo().cores;
  const load = await machineLoadBefore(cores);
  const box = sandbox();
  process.once('SIGINT', () => {
    box.cleanup();
    process.exit(130);
  });
  try {
    let started = performance.now();
    const repo = generateRepo(box, opts.files, opts.nodeModulesFiles);
    const generateMs = Math.round(ms(started));
    const checkout = await diskUsage(repo);
    const nodeModules = await diskUsage(join(repo, 'node_modules'));
    started = performance.now();
    const creation = await benchCreation(box, repo, opts);
    const disk = await benchDisk(box, repo, opts);
    const mergeQueue = await benchMergeQueue(box, repo, opts);
    const figures = {
      bench: 'workspaces',
      ...machineInfo(),
      ...load,
      git: box.git(box.root, '--version'),
      repository: {
        files: opts.files,
        generateMs,
        mainCheckoutMiB: mib(checkout.bytes),
        nodeModulesFiles: opts.nodeModulesFiles,
        nodeModulesMiB: mib(nodeModules.bytes),
      },
      creationMs: creation,
      disk,
      mergeQueue,
    };

    const row = (name, s) => [name, ...['median', 'p90', 'min', 'max'].map((k) => String(s[k]))];
    console.log(
      `Workspaces on a repository of ${opts.files} files (${figures.repository.mainCheckoutMiB} MiB checked out, node_modules ${figures.repository.nodeModulesMiB} MiB), ${figures.git}`,
    );
    console.log(`\nCreation, ${opts.runs} runs after a warm-up (ms):`);
    for (const line of formatTable(
      ['', 'median', 'p90', 'min', 'max'],
      [
        row('WorkspaceEngine.create (node_modules linked)', creation.engine),
        row('git worktree add', creation.gitWorktreeAdd),
        row('WorkspaceEngine.remove (snapshot + delete)', creation.remove),
      ],
    ))
      console.log(line);
    console.log(`\nDisk used by ${opts.workspaces} workspaces (du-like, symlinks not followed):`);
    for (const line of formatTable(
      ['node_modules', 'total MiB', 'per workspace MiB', 'create all ms'],
      Object.entries(disk).map(([name, d]) => [
        name,
        String(d.totalMiB),
        String(d.perWorkspaceMiB),
        String(d.createAllMs),
      ]),
    ))
      console.log(line);
    console.log(
      `\nMerge queue (${mergeQueue.strategy}, checks 'true'): ${mergeQueue.merges} branches in ${mergeQueue.totalMs} ms = ${mergeQueue.mergesPerMinute} merges/min; per merge median ${mergeQueue.perMerge.median} ms, p90 ${mergeQueue.perMerge.p90} ms; ${mergeQueue.commitsLanded} commits landed, main checkout clean: ${mergeQueue.mainCheckoutClean}`,
    );
    console.log(
      `\nMachine: ${figures.cores} cores, load ${figures.loadAverage1mBefore} before (${figures.busyPercentOfOneCoreBefore}% of one core busy)`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    box.cleanup();
  }
}

runMain(main);
