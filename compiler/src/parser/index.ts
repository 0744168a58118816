export { parse, type ParseResult } from './parse.js';
export { cover, tokenRange } from './build-ast.js';
export * as tokens from './tokens.js';
