// Generates the TextMate grammar from the compiler's docs catalogue, so the
// highlighted layer names, callables and enum words are always the language's own.
import { CATALOGUE } from '@regnet/compiler';

const CALLABLE = new Set(['source', 'augmentation', 'optimizer', 'schedule', 'loss', 'regularizer', 'clip', 'metric']);
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';

function words(names) {
  const unique = [...new Set(names)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `\\b(?:${unique.join('|')})\\b`;
}

export function buildGrammar(catalogue = CATALOGUE) {
  const layers = catalogue.filter((e) => e.category === 'layer').map((e) => e.name);
  const callables = catalogue.filter((e) => CALLABLE.has(e.category)).map((e) => e.name);
  const enumWords = catalogue.filter((e) => e.category === 'enum-word').map((e) => e.name);
  const valuePatterns = [
    { include: '#comment' },
    { include: '#string' },
    { include: '#number' },
    { include: '#boolean' },
    { include: '#arguments' },
    { include: '#list' },
    { include: '#layer' },
    { include: '#callable' },
    { include: '#enum-word' },
    { include: '#punctuation' },
  ];
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'RegNet',
    scopeName: 'source.regnet',
    fileTypes: ['regnet'],
    patterns: [
      { include: '#comment' },
      { include: '#let' },
      { include: '#model-header' },
      { include: '#block-keyword' },
      { include: '#as' },
      { include: '#key' },
      ...valuePatterns.slice(1),
    ],
    repository: {
      comment: { name: 'comment.line.number-sign.regnet', match: '#.*$' },
      string: {
        name: 'string.quoted.double.regnet',
        begin: '"',
        end: '"|$',
        beginCaptures: { 0: { name: 'punctuation.definition.string.begin.regnet' } },
        endCaptures: { 0: { name: 'punctuation.definition.string.end.regnet' } },
        patterns: [
          { name: 'constant.character.escape.regnet', match: '\\\\["\\\\n]' },
          { name: 'invalid.illegal.escape.regnet', match: '\\\\.' },
        ],
      },
      number: {
        name: 'constant.numeric.regnet',
        match: '(?<![A-Za-z0-9_.])-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?\\b',
      },
      boolean: { name: 'constant.language.boolean.regnet', match: '\\b(?:true|false)\\b' },
      let: {
        match: `\\b(let)\\s+(${IDENT})`,
        captures: { 1: { name: 'keyword.other.let.regnet' }, 2: { name: 'variable.other.constant.regnet' } },
      },
      'model-header': {
        match: `\\b(model)\\b(?:\\s+(${IDENT}))?(?=\\s*(?:\\{|#|$))`,
        captures: { 1: { name: 'keyword.control.block.regnet' }, 2: { name: 'entity.name.type.model.regnet' } },
      },
      'block-keyword': {
        match: '\\b(?:data|train|sweep|augment)\\b(?=\\s*(?:\\{|#|$))',
        name: 'keyword.control.block.regnet',
      },
      as: {
        match: `\\b(as)\\s+(${IDENT})`,
        captures: { 1: { name: 'keyword.other.as.regnet' }, 2: { name: 'entity.name.tag.layer-alias.regnet' } },
      },
      key: {
        match: `\\b(${IDENT})\\s*(:)`,
        captures: { 1: { name: 'support.type.property-name.regnet' }, 2: { name: 'punctuation.separator.key-value.regnet' } },
      },
      arguments: {
        begin: '\\(',
        end: '\\)',
        beginCaptures: { 0: { name: 'punctuation.section.arguments.begin.regnet' } },
        endCaptures: { 0: { name: 'punctuation.section.arguments.end.regnet' } },
        patterns: [
          {
            match: `\\b(${IDENT})\\s*(:)`,
            captures: { 1: { name: 'variable.parameter.regnet' }, 2: { name: 'punctuation.separator.key-value.regnet' } },
          },
          ...valuePatterns,
        ],
      },
      list: {
        begin: '\\[',
        end: '\\]',
        beginCaptures: { 0: { name: 'punctuation.section.list.begin.regnet' } },
        endCaptures: { 0: { name: 'punctuation.section.list.end.regnet' } },
        patterns: valuePatterns,
      },
      layer: { name: 'entity.name.function.layer.regnet', match: words(layers) },
      callable: { name: 'support.function.regnet', match: words(callables) },
      'enum-word': { name: 'constant.language.regnet', match: words(enumWords) },
      punctuation: {
        patterns: [
          { name: 'punctuation.separator.comma.regnet', match: ',' },
          { name: 'punctuation.section.block.regnet', match: '[{}]' },
          { name: 'keyword.operator.assignment.regnet', match: '=' },
        ],
      },
    },
  };
}
