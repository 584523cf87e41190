export * from './platform.ts';
export * from './validate.ts';
