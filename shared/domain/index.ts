export * from './platform.ts';
export * from './validate.ts';
export * from './graph.ts';
