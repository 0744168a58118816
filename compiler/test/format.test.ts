import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { format, parse } from '../src/index.js';
import { specFiles, stripRanges } from './helpers.js';

test('layout is normalized: one item per line, blocks expanded, spacing fixed', () => {
  const messy = `let p=0.5
model   m{dense( 10 ,activation:relu ) dropout(p) repeat(2){dense(4) relu}}
train{ optimizer:adamw( lr:1e-3 ) early_stopping{monitor:val_loss patience:5} metrics:[accuracy,] }`;
  assert.equal(
    format(messy).text,
    `let p = 0.5

model m {
  dense(10, activation: relu)
  dropout(p)
  repeat(2) {
    dense(4)
    relu
  }
}

train {
  optimizer: adamw(lr: 1e-3)
  early_stopping {
    monitor: val_loss
    patience: 5
  }
  metrics: [accuracy]
}
`,
  );
});

test('comments are kept: trailing ones on their line, others before the next item', () => {
  const source = `# header comment
let a = 1   # trailing after let

# about the model
model {
  # first layer
  dense(10)    # ten units
  # dangling at the end of the block
}
# final words
`;
  const out = format(source).text!;
  assert.equal(
    out,
    `# header comment
let a = 1  # trailing after let

# about the model
model {
  # first layer
  dense(10)  # ten units
  # dangling at the end of the block
}
# final words
`,
  );
  assert.equal(format(out).text, out);
});

test('a file with syntax errors is not formatted', () => {
  const result = format('model { dense(10 }');
  assert.equal(result.text, undefined);
  assert.equal(result.diagnostics[0].code, 'RN101');
});

test('one blank line is kept where the author put blank lines', () => {
  const out = format('model {\n  dense(10)\n\n\n\n  relu\n}\n').text;
  assert.equal(out, 'model {\n  dense(10)\n\n  relu\n}\n');
});

test('fmt round-trips every example: idempotent, AST and comments unchanged', () => {
  const files = specFiles();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const once = format(source);
    if (once.text === undefined) continue; // fixtures with deliberate syntax errors
    const twice = format(once.text);
    assert.equal(twice.text, once.text, `${file}: formatting twice differs from once`);
    assert.deepEqual(stripRanges(parse(once.text).ast), stripRanges(parse(source).ast), `${file}: the AST changed`);
    assert.deepEqual(
      parse(once.text).ast.comments.map((c) => c.text),
      parse(source).ast.comments.map((c) => c.text),
      `${file}: comments changed`,
    );
  }
});

test('consecutive comments before a declaration stay together, with the blank line above them', () => {
  assert.equal(format('let x = 1\n# a\n# b\nmodel {\n}\n').text, 'let x = 1\n\n# a\n# b\nmodel {}\n');
  assert.equal(format('# a\n# b\nlet x = 1\nlet y = 2\n# c\nlet z = 3\n').text, '# a\n# b\nlet x = 1\nlet y = 2\n# c\nlet z = 3\n');
  assert.equal(format('model {\n  # one\n\n  # two\n  dense(2)\n}\n').text, 'model {\n  # one\n\n  # two\n  dense(2)\n}\n');
});
