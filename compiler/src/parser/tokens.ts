// The lexer: token types of LANGUAGE.md section 1. Keywords are identifiers that
// the lexer sets apart (longer_alt keeps `models` an identifier).
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

const keywordWords: string[] = [];

function keyword(word: string): TokenType {
  keywordWords.push(word);
  return createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
}

export const Let = keyword('let');
export const Model = keyword('model');
export const Data = keyword('data');
export const Train = keyword('train');
export const Sweep = keyword('sweep');
export const Augment = keyword('augment');
export const True = keyword('true');
export const False = keyword('false');
export const As = keyword('as');

/** Words the lexer reserves: a string spelled like one must be quoted to stay a value. */
export const KEYWORDS: ReadonlySet<string> = new Set(keywordWords);

/** Keywords that are also word values where a value stands: `mnist(split: train)`. */
export const VALUE_KEYWORDS: ReadonlySet<string> = new Set(['train']);

/** Keywords that start a top-level declaration: the parser restarts at each. */
export const DECLARATION_KEYWORDS = [Let, Model, Data, Train, Sweep];

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n\r]|\\.)*"/, label: 'a string' });
/** A string that reaches the end of the line: reported as RN102 but parsed as a string. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n\r]|\\.)*\\?/, label: 'a string' });

export const LCurly = createToken({ name: 'LCurly', pattern: /{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });

export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  Let,
  Model,
  Data,
  Train,
  Sweep,
  Augment,
  True,
  False,
  As,
  Identifier,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
];

/**
 * `validate`: chevrotain's checks of the token patterns (a fifth of the lexer's set-up at
 * start-up) run in the tests (compiler/test/parser.test.ts), not in every process, as the
 * grammar's do: the patterns do not change at run time.
 */
export function createLexer(options: { validate?: boolean } = {}): Lexer {
  return new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: false, skipValidations: !options.validate });
}

export const regnetLexer = createLexer();
