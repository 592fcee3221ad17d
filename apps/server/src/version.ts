// The bundler defines __LOOMFLOW_VERSION__; tests and other source-level runs have no build step,
// so they report a development version instead of failing with a ReferenceError.
export const serverVersion: string = typeof __LOOMFLOW_VERSION__ !== 'undefined' ? __LOOMFLOW_VERSION__ : '0.0.0-dev';
