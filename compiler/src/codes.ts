// Every diagnostic code the compiler emits, with its default severity and a short
// description. Codes are stable: tests, docs (`regnetc explain RN201`) and editors
// refer to them. Ranges: RN1xx syntax, RN2xx names, RN3xx values, RN4xx shapes,
// RN5xx course lints, RN6xx data files, RN7xx engines, RN9xx information.
import type { Severity } from './diagnostics.js';

export interface CodeInfo {
  severity: Severity;
  title: string;
}

export const CODES = {
  // syntax
  RN101: { severity: 'error', title: 'Syntax error: unexpected or missing token' },
  RN102: { severity: 'error', title: 'Unterminated string' },
  RN103: { severity: 'error', title: 'Invalid character' },
  RN104: { severity: 'error', title: 'Invalid number literal' },
  RN105: { severity: 'error', title: 'Invalid escape in a string' },
  RN106: { severity: 'error', title: 'Brackets nested too deeply' },
  RN107: { severity: 'warning', title: 'Number too small: it rounds to 0' },
  // names
  RN201: { severity: 'error', title: 'Unknown layer' },
  RN202: { severity: 'error', title: 'Unknown setting' },
  RN203: { severity: 'error', title: 'Unknown argument' },
  RN204: { severity: 'error', title: 'Unknown word (not an accepted value here and not a `let` constant)' },
  RN205: { severity: 'error', title: 'Undefined `let` constant' },
  RN206: { severity: 'error', title: 'Duplicate block' },
  RN207: { severity: 'error', title: 'Duplicate setting or argument' },
  RN208: { severity: 'warning', title: 'Unused `let` constant' },
  RN209: { severity: 'error', title: 'A `let` constant shadows a word accepted where it is used' },
  RN210: { severity: 'error', title: 'Sweep key is not a `let` constant' },
  RN211: { severity: 'error', title: 'Duplicate `let` constant' },
  RN212: { severity: 'error', title: 'Unknown data source, augmentation, optimizer, schedule, loss or regularizer' },
  RN213: { severity: 'error', title: 'Missing required block (`model` or `data`)' },
  RN214: { severity: 'error', title: 'Block not allowed here / block required' },
  RN215: { severity: 'error', title: 'Duplicate layer name (`as`)' },
  // values
  RN301: { severity: 'error', title: 'Wrong value type' },
  RN302: { severity: 'error', title: 'Value out of range' },
  RN303: { severity: 'error', title: 'Missing required argument' },
  RN304: { severity: 'error', title: 'Positional argument after a named one' },
  RN305: { severity: 'error', title: 'Too many positional arguments' },
  RN306: { severity: 'error', title: '`groups` does not divide the number of channels' },
  RN307: { severity: 'error', title: 'Kernel or window larger than its input' },
  RN308: { severity: 'error', title: 'Model too large: parameters or estimated memory over the limit' },
  RN309: { severity: 'error', title: 'Sweep too large: more trials than the limit' },
  // shapes
  RN401: { severity: 'error', title: 'Layer cannot take an input of this shape' },
  RN402: { severity: 'error', title: 'Final layer size does not match the number of classes' },
  RN403: { severity: 'error', title: 'Residual block changes the shape (use `projection: true`)' },
  RN404: { severity: 'error', title: '`reshape` changes the number of elements' },
  RN405: { severity: 'error', title: 'Input shape unknown' },
  RN406: { severity: 'error', title: '`input` shape does not match the data source' },
  RN407: { severity: 'error', title: 'Augmentation does not apply to this kind of input' },
  // course lints
  RN501: { severity: 'warning', title: 'L2 is not weight decay under Adam: use adamw' },
  RN502: { severity: 'warning', title: '`dropout` as the last layer' },
  RN503: { severity: 'warning', title: '`softmax` followed by a crossentropy on logits' },
  RN504: { severity: 'warning', title: 'Horizontal flip on digit data' },
  RN505: { severity: 'warning', title: '`batchnorm` with a batch size below 8' },
  RN506: { severity: 'warning', title: 'Very high learning rate without normalization layers' },
  RN507: { severity: 'warning', title: '`batchnorm` momentum too close to 1 for the number of training steps' },
  // data files
  RN601: { severity: 'error', title: 'Data file or folder missing' },
  RN602: { severity: 'error', title: 'Data file malformed' },
  RN603: { severity: 'error', title: 'Column or field named by the spec not found in the data file' },
  RN604: { severity: 'error', title: 'Data path outside the spec\'s folder and the allowed data roots' },
  RN605: { severity: 'info', title: 'Data files not read (untrusted workspace or unsaved document)' },
  RN606: { severity: 'error', title: 'Data file too large to check' },
  // internal
  RN701: { severity: 'error', title: 'Not supported by the selected training engine' },

  RN990: { severity: 'error', title: 'Internal compiler error (a bug: please report it with the spec)' },
  // information
  RN901: { severity: 'info', title: 'Loss computed from logits or probabilities (the compiler\'s choice)' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
