import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/**
 * Runs a TypeScript script of this repository as `tsx <script>` does (node with the tsx loader),
 * without the extra process the tsx command line (and npx before it) puts in front of it. Answers
 * its exit code and output; a non-zero exit is an answer, not an error.
 */
export const runScript = async (
  script: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
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
