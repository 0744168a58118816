// The benchmark's spec: realistic constructs repeated to a given length.

/** About `lines` lines: constants, a deep model with residual blocks, data, train, sweep. */
export function generateSpec(lines: number): string {
  const head = ['# generated benchmark spec', 'let width = 64', 'let p = 0.1', 'let lr = 0.001', '', 'model big {', '  input([2])', '  dense(width)'];
  const tail = [
    '  dense(2)',
    '}',
    '',
    'data {',
    '  source: playground(spiral, n: 500, noise: 0.1)',
    '  validation: 0.2',
    '  normalize: standard',
    '}',
    '',
    'train {',
    '  epochs: 10',
    '  batch_size: 32',
    '  optimizer: adamw(lr: lr, weight_decay: 0.01)',
    '  schedule: cosine(warmup: 1)',
    '  early_stopping {',
    '    monitor: val_loss',
    '    patience: 3',
    '  }',
    '}',
    '',
    'sweep {',
    '  p: [0.0, 0.1, 0.3]',
    '}',
  ];
  const body: string[] = [];
  for (let i = 0; head.length + body.length + tail.length < lines; i++) {
    if (i % 10 === 0) body.push('  residual {', '    dense(width, activation: relu)  # inner block', '    layernorm', '  }');
    else body.push(`  dense(width, activation: ${i % 2 ? 'relu' : 'gelu'}, l2: 0.0001)`, '  dropout(p)');
  }
  return [...head, ...body, ...tail].join('\n') + '\n';
}
