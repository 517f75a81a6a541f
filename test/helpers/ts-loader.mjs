// The tests' TypeScript loader: `node --import ./test/helpers/ts-loader.mjs file.test.ts` (tap adds it to
// every test process, see .taprc). Each test file is its own process and imports most of src/, so the
// per-file cost is what a suite pays most: this loader transpiles a .ts file with esbuild once and keeps
// the output in node_modules/.cache/emsp-ts, keyed by the file's path and content, for every later process.
// Type-free (isolatedModules), as tsx and tap's ts-node plugin are; `npx tsc --noEmit` is the type check.
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
