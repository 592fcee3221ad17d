/** The package version, replaced by scripts/bundle-node-app.mjs at build time (absent under vitest). */
declare const __LOOMFLOW_VERSION__: string;
