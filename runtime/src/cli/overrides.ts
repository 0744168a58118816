// `--set NAME=VALUE`: overrides of `let` constants, the value written in the
// language's own syntax (`64`, `0.5`, `"text"`, `[1, 2]`, `relu`, `adam(lr: 0.1)`).
import { parse, valueToJson, type JsonValue } from '@regnet/compiler';
import { UsageError } from '../run/errors.js';

export function parseOverride(assignment: string): [string, JsonValue] {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set expects NAME=VALUE, got '${assignment}'`);
  const name = assignment.slice(0, eq).trim();
  const text = assignment.slice(eq + 1).trim();
  const { ast, diagnostics } = parse(`let ${name} = ${text}`);
  const decl = ast.decls[0];
  if (diagnostics.length > 0 || ast.decls.length !== 1 || decl.kind !== 'let' || !decl.value || decl.name?.name !== name) {
    throw new UsageError(`--set ${assignment}: '${text}' is not a value (${diagnostics[0]?.message ?? 'expected NAME=VALUE'})`);
  }
  return [name, valueToJson(decl.value)];
}

/** Collects repeated `--set` options (commander's variadic collector). */
export function collectOverride(assignment: string, previous: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const [name, value] = parseOverride(assignment);
  return { ...previous, [name]: value };
}
