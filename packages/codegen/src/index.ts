export { generateProject, nodeGenerators as generators, type GenerateOptions, type GeneratedProject } from './project';
export type { GeneratorContext, NodeGenerator, NodeSource } from './generators';
export { CodegenRefusedError } from './refusal';
export { runtimeDependencies, toolDependencies } from './versions';
