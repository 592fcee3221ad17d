import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * `@langchain/langgraph`'s main entry imports node:async_hooks and cannot run in a browser; the
 * browser build has `@langchain/langgraph/web`. Fail the build instead of shipping a broken page.
 */
function forbidNodeOnlyImports(): Plugin {
  return {
    name: 'loomflow:forbid-node-only-imports',
    enforce: 'pre',
    // Build only: web tests run the real server app in Node (through its typed client), which
    // rightly uses the Node entry.
    apply: 'build',
    resolveId(source, importer) {
      if (source === '@langchain/langgraph') {
        this.error(`${importer ?? 'an entry'} imports "@langchain/langgraph", which needs Node; use "@langchain/langgraph/web" in the browser.`);
      }
      return null;
    },
  };
}

/**
 * early-load.ts is its own entry, loaded by an `async` module script at the top of the page: it
 * runs as soon as it arrives, before the app's vendor code is evaluated, so that an editor
 * address's flow request and editor code load alongside the app's code. As part of the main entry
 * it would run only after every vendor chunk had been evaluated.
 */
const EARLY_ENTRY = 'src/early-load.ts';
function earlyLoadScript(): Plugin {
  return {
    name: 'loomflow:early-load-script',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunk = context.bundle && Object.values(context.bundle).find((output) => output.type === 'chunk' && output.isEntry && output.name === 'early-load');
        // In `vite dev` there is no bundle: the source module is served as it is.
        const src = chunk ? `/${chunk.fileName}` : `/${EARLY_ENTRY}`;
        return [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src }, injectTo: 'head-prepend' }];
      },
    },
  };
}

/**
 * Each vendor gets its own long-cached chunk, so that an app release does not re-download them.
 * A group also takes in what its modules import, so the shared bottom layers (Vue, lodash) are
 * claimed first by higher priorities; otherwise the list page would load LogicFlow for lodash.
 */
const vendorChunks = [
  { name: 'vendor-vue', priority: 40, test: /[\\/]node_modules[\\/](vue|@vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
  { name: 'vendor-lodash', priority: 30, test: /[\\/]node_modules[\\/]lodash-es[\\/]/ },
  { name: 'vendor-logicflow', priority: 20, test: /[\\/]node_modules[\\/](@logicflow|preact|mobx|mobx-preact|mobx-utils|mousetrap|classnames|uuid)[\\/]/ },
  {
    name: 'vendor-element-plus',
    priority: 10,
    test: /[\\/]node_modules[\\/](element-plus|@element-plus|@floating-ui|@sxzz|@ctrl|@vueuse|async-validator|dayjs|normalize-wheel-es|memoize-one|lodash-unified)[\\/]/,
  },
];

export default defineConfig({
  base: '/',
  plugins: [vue(), forbidNodeOnlyImports(), earlyLoadScript()],
  define: {
    // vue-i18n's esm-bundler build expects these flags; the Composition API alone is used here.
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  // Workers (features/validation) share chunks with the page as ES modules rather than each
  // bundling its own copy in a classic script.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      input: { index: 'index.html', 'early-load': EARLY_ENTRY },
      // Rolldown's successor of Rollup's `manualChunks`.
      output: { codeSplitting: { groups: vendorChunks } },
    },
  },
  server: {
    // `pnpm dev` talks to a server started with `pnpm serve` (or `node apps/server/dist/index.js`).
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // Element Plus's per-component style entries import .css files, which only Vite can load;
    // the components themselves stay plain Node ESM, which keeps the tests fast.
    server: { deps: { inline: [/element-plus[\\/](es[\\/]components[\\/][^\\/]+[\\/]style|theme-chalk)[\\/]/] } },
  },
});
