// Shared by the `price` and `rate` command lines: read a JSON case file or exit with code 2 and a message.
import { readFileSync } from 'node:fs'

export const BAD_INPUT = 2

/** Prints `<command>: <message>` on stderr and exits with code 2 (bad input). */
export const failWith =
  (command: string) =>
  (message: string): never => {
    process.stderr.write(`${command}: ${message}\n`)
    process.exit(BAD_INPUT)
  }

/** The parsed JSON of the case file named on the command line. */
export const readCaseFile = (command: string, path: string | undefined): unknown => {
  const fail = failWith(command)
  if (!path) return fail(`usage: npm run --silent ${command} -- <case.json>`)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return fail(`cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    return fail(`${path} is not valid JSON: ${(error as Error).message}`)
  }
}
