import { spawn } from 'node:child_process';
import { WorkspaceErrors } from './errors.js';

/** Who the commits Maestro makes (snapshots, merges, rebased commits' committer) are by. */
export interface GitIdentity {
  name: string;
  email: string;
}

export const DEFAULT_IDENTITY: GitIdentity = { name: 'Maestro', email: 'maestro@localhost' };

export interface GitRunOptions {
  /** Variables added for this call (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string>;
  /** Written to stdin. */
  input?: string;
  /** Resolve with the result on a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /**
   * Bytes of stdout kept. Beyond it the call fails, unless `truncate` is set: then git is stopped
   * and the result says `truncated`.
   */
  maxOutputBytes?: number;
  truncate?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number | null;
  truncated: boolean;
}

/** Variables of the caller's environment that would point git at another repository or index. */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const STDERR_KEPT = 64 * 1024;

/**
 * Runs real `git` with an argument vector (never a shell string). Every call disables hooks (the
 * engine's own commits, rebases and checkouts must not run a project's pre-commit linters), auto
 * gc and auto maintenance, and carries Maestro's identity, so the user's git config cannot change
 * what the engine does. The environment is given, so tests never depend on the machine's git
 * config (set GIT_CONFIG_NOSYSTEM and HOME there).
 */
export class Git {
  private readonly env: NodeJS.ProcessEnv;
  private readonly prefix: string[];

  constructor(env: NodeJS.ProcessEnv, identity: GitIdentity = DEFAULT_IDENTITY) {
    const clean: NodeJS.ProcessEnv = { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    for (const key of REPOSITORY_VARIABLES) delete clean[key];
    this.env = clean;
    this.prefix = [
      '-c',
      'core.hooksPath=/dev/null',
      '-c',
      'gc.auto=0',
      '-c',
      'maintenance.auto=false',
      '-c',
      'advice.detachedHead=false',
      '-c',
      'core.quotePath=false',
      '-c',
      `user.name=${identity.name}`,
      '-c',
      `user.email=${identity.email}`,
    ];
  }

  /** Runs `git <args>` in `cwd`; throws `git_failed` on a non-zero exit unless allowFailure. */
  run(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
    const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...this.prefix, ...args], {
        cwd,
        env: options.env ? { ...this.env, ...options.env } : this.env,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let outBytes = 0;
      let truncated = false;
      let overflow = false;
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        if (truncated || overflow) return;
        if (outBytes + chunk.length > maxOutput) {
          out.push(chunk.subarray(0, maxOutput - outBytes));
          outBytes = maxOutput;
          if (options.truncate) truncated = true;
          else overflow = true;
          child.kill('SIGKILL');
          return;
        }
        out.push(chunk);
        outBytes += chunk.length;
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
      });
      if (options.input !== undefined) {
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input);
      }
      child.once('error', (error) => reject(WorkspaceErrors.gitFailed(args, cwd, null, String(error))));
      child.once('close', (code) => {
        const stdout = Buffer.concat(out).toString('utf8');
        if (truncated) return resolve({ stdout, stderr, code, truncated });
        if (overflow)
          return reject(
            WorkspaceErrors.gitFailed(args, cwd, code, `output exceeded ${maxOutput} bytes\n${stderr}`),
          );
        if (code !== 0 && !options.allowFailure)
          return reject(WorkspaceErrors.gitFailed(args, cwd, code, stderr));
        resolve({ stdout, stderr, code, truncated: false });
      });
    });
  }

  /** stdout of `git <args>` without its trailing newline. */
  async text(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    return (await this.run(cwd, args, options)).stdout.replace(/\n$/, '');
  }

  /** Whether `git <args>` exits 0 (for --verify, --is-ancestor, --quiet checks). */
  async ok(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<boolean> {
    return (await this.run(cwd, args, { ...options, allowFailure: true })).code === 0;
  }

  /** The commit a revision names, or null when it names none. */
  async commitOf(cwd: string, rev: string): Promise<string | null> {
    const result = await this.run(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], {
      allowFailure: true,
    });
    return result.code === 0 ? result.stdout.trim() : null;
  }

  async isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
    return this.ok(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
  }
}

/** Splits NUL-terminated output (`-z`) into its fields. */
export function splitNul(text: string): string[] {
  const fields = text.split('\0');
  if (fields.at(-1) === '') fields.pop();
  return fields;
}

/** Pathspecs that leave out the files the engine provisioned (a linked node_modules). */
export function excludePathspecs(paths: readonly string[]): string[] {
  return ['.', ...paths.map((p) => `:(exclude,literal)${p}`)];
}
