// The bundler defines __LOOMFLOW_VERSION__ from package.json; tests run the sources, which no build
// step has touched, so the identifier may not exist at all.
declare const __LOOMFLOW_VERSION__: string | undefined;

export const version = typeof __LOOMFLOW_VERSION__ === 'string' ? __LOOMFLOW_VERSION__ : '0.0.0-dev';
