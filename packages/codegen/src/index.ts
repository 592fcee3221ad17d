export { generateProject, type GenerateOptions, type GeneratedProject } from './project';
export { generators, type GeneratorContext, type NodeGenerator, type NodeSource } from './generators';
export { CodegenRefusedError } from './refusal';
export { runtimeDependencies, toolDependencies } from './versions';
