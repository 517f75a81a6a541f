import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/**
 * Node's arguments to run a TypeScript file of this repository in a child process with the tests' loader
 * (test/helpers/ts-loader.mjs: esbuild's type-free transform, as tsx does, cached on disk across processes),
 * so a child costs about half the CPU of `node --import tsx`. `npm start` and the pinned command lines are
 * also run once through tsx itself (test/ops/npm-start.test.ts, the first subtest of test/rating/cli.test.ts).
 */
export const TS_NODE_ARGS = ['--import', fileURLToPath(new URL('./ts-loader.mjs', import.meta.url))]

/**
 * Runs a TypeScript script of this repository as `tsx <script>` does (node with a TypeScript loader),
 * without the extra process the tsx command line (and npx before it) puts in front of it: with the tests'
 * loader (TS_NODE_ARGS), or with tsx itself (`via: 'tsx'`). Answers its exit code and output; a non-zero
 * exit is an answer, not an error.
 */
export const runScript = async (
  script: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; via?: 'tsx' } = {},
): Promise<{ code: number; stdout: string; stderr: string }> => {
  const loader = opts.via === 'tsx' ? ['--import', 'tsx'] : TS_NODE_ARGS
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...loader, script, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      encoding: 'utf8',
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}
