export { generateProject, type GenerateOptions, type GeneratedProject } from './project';
export type { GeneratorContext, NodeGenerator, NodeSource } from './generator-context';
export { generators } from './generator-table';
export { CodegenRefusedError } from './refusal';
export { runtimeDependencies, toolDependencies } from './versions';
