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
export { valueToJson, valueToText, type ValueTextOptions } from './value-json.js';
export { accessFor, allowedFolders, isAllowed, resolveDataPath, rootsFromEnv, ALLOW_HINT, type DataAccess, type PathVerdict } from './check/data-access.js';
export { readCsvRows, csvDelimiter, type CsvRow, type CsvRead } from './check/csv-read.js';
export { inspectData, requestPaths, type DataInspector, type DataRequest, type InspectedData } from './check/data-files.js';
export { DEFAULT_LIMITS, LIMIT_NAMES, limitsFromEnv, limitsOf, limitsToEnv, parseLimitValue, formatBytes, type Limits } from './check/limits.js';
export { PATH_ARGS } from './check/sources.js';
export { formatCount, formatShape, modelSummary, renderSummary, summaryRows, type ModelSummary, type SummaryRow } from './model-summary.js';
export { ENGINES } from './catalogue/types.js';
