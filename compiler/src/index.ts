// Public API of the compiler. Everything the CLI, the runtime and the language
// server need goes through here.
export * from './ast.js';
export * from './diagnostics.js';
export * from './codes.js';
export * from './ir.js';
export * from './semantic-model.js';
export type * from './catalogue/types.js';
export * from './parser/index.js';
export * from './format.js';
export * from './catalogue/index.js';
export { check, type CheckResult, type CheckOptions } from './check/index.js';
export { compile, type CompileResult } from './lower/index.js';
export { valueToJson } from './value-json.js';
export { formatCount, formatShape, modelSummary, renderSummary, summaryRows, type ModelSummary, type SummaryRow } from './model-summary.js';
