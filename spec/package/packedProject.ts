/**
 * Makes the package as a user gets it, with no network: builds it into a temp folder (never touching
 * the dist/ that other processes may read), packs it with `npm pack` from a staging copy (so the
 * `files` list decides what ships), unpacks the tarball into a temp project's node_modules, and links
 * this repo's rxjs and tslib beside it (one copy of rxjs, as a peer dependency must be).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

export interface PackedProject {
  /** The temp folder holding everything below; removed by `dispose()`. */
  readonly root: string;
  /** A consumer project with the package installed in node_modules/rxjs-caller. */
  readonly project: string;
  /** Where the package was unpacked. */
  readonly installed: string;
  /** Paths inside the tarball, relative to its `package/` folder. */
  readonly packedFiles: readonly string[];
  dispose(): void;
}

export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Files in the staging copy that the `files` list must keep out of the tarball. */
export const decoys = ['decoy.txt', 'lib/Pending.ts', 'spec/leak.spec.ts'];

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The folder of an installed package of this repo (rxjs, tslib), symlinks resolved. */
function packageDir(name: string): string {
  return realpathSync(dirname(require.resolve(`${name}/package.json`, { paths: [repoRoot] })));
}

export function makePackedProject(): PackedProject {
  const root = mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-pack-'));
  try {
    const stage = join(root, 'stage');
    mkdirSync(stage);
    run(process.execPath, ['scripts/build.mjs'], repoRoot, { ...process.env, BUILD_OUT_DIR: join(stage, 'dist') });
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md']) {
      if (existsSync(join(repoRoot, file))) copyFileSync(join(repoRoot, file), join(stage, file));
    }
    for (const decoy of decoys) {
      mkdirSync(dirname(join(stage, decoy)), { recursive: true });
      writeFileSync(join(stage, decoy), 'must not be packed\n');
    }

    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = JSON.parse(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', root], stage)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const tarball = join(root, packed[0]!.filename);

    const project = join(root, 'project');
    const installed = join(project, 'node_modules', 'rxjs-caller');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }) + '\n');
    run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], root);
    for (const name of ['rxjs', 'tslib']) symlinkSync(packageDir(name), join(project, 'node_modules', name), 'dir');

    return {
      root,
      project,
      installed,
      packedFiles: packed[0]!.files.map((f) => f.path),
      dispose: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Writes `source` to `file` in `cwd` and runs it with node; never throws on a failing script. */
export function runScript(cwd: string, file: string, source: string, args: string[] = []): NodeRun {
  writeFileSync(join(cwd, file), source);
  // NODE_OPTIONS from the test runner (a loader, say) must not leak into the consumer's process.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const result = spawnSync(process.execPath, [file, ...args], { cwd, env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a script that prints one JSON line last, and returns it parsed; throws with its output if it failed. */
export function runJson<T>(cwd: string, file: string, source: string, args: string[] = []): T {
  const result = runScript(cwd, file, source, args);
  const last = result.stdout.trim().split('\n').pop();
  if (result.status !== 0 || last === undefined || last === '') {
    throw new Error(`${file} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return JSON.parse(last) as T;
}

/** Runs TypeScript's compiler of this repo. */
export function runTsc(args: string[], cwd: string): NodeRun {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
  const result = spawnSync(process.execPath, [tsc, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
