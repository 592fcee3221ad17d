// The bpmn-js page imports bpmn-js's style sheets for esbuild to bundle; they export nothing.
declare module '*.css';
