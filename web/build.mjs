// Bundles the development GraphiQL page (web/graphiql/main.ts) and Monaco's workers into dist/graphiql/ with
// esbuild, from node_modules only. `npm run build` runs it after SWC; the API serves the files outside production.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/graphiql`;
/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  legalComments: 'linked',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

// graphiql/style.css already holds Monaco's styles; Monaco's own CSS imports would add them a second time.
/** @type {import('esbuild').Plugin} */
const dropMonacoCss = {
  name: 'drop-monaco-css',
  setup(b) {
    b.onResolve({ filter: /\.css$/ }, (args) =>
      args.importer.includes('/node_modules/monaco-editor/')
        ? { path: args.path, namespace: 'empty-css' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty-css' }, () => ({ contents: '', loader: 'css' }));
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { graphiql: 'web/graphiql/main.ts' },
    outdir,
    format: 'esm',
    loader: { '.ttf': 'file', '.woff2': 'file' },
    plugins: [dropMonacoCss],
  }),
  build({
    ...common,
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    outdir,
    format: 'iife',
  }),
]);
