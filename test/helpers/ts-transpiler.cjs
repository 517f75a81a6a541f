// tap's TypeScript loader (a ts-node fork, transpile-only) with esbuild doing the transpiling instead
// of TypeScript's own transpileModule: the same per-file, type-free transform (isolatedModules), about
// three times less CPU per test file (each file is its own process and loads most of src/).
// Named by the "ts-node" section of tsconfig.json; esbuild is a devDependency (the version tsx uses).
const { transformSync } = require('esbuild')

exports.create = ({ service, nodeModuleEmitKind }) => {
  const { target } = service.config.options
  // ts.ScriptTarget numbers → esbuild targets (ES2022 is 9; ESNext 99)
  const esTarget = target >= 99 ? 'esnext' : target >= 2 ? `es${2013 + target}` : 'es2022'
  const format = nodeModuleEmitKind === 'nodecjs' ? 'cjs' : 'esm'
  return {
    transpile(input, { fileName }) {
      const out = transformSync(input, {
        loader: fileName.endsWith('x') ? 'tsx' : 'ts',
        format,
        target: esTarget,
        sourcemap: 'external',
        sourcefile: fileName,
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
      })
      return { outputText: out.code, sourceMapText: out.map }
    },
  }
}
