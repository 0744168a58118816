// The grammar of LANGUAGE.md section 2 as a chevrotain CST parser with error
// recovery. Each top-level declaration is parsed on its own token slice (see
// parse.ts), so one broken block never hides the declarations after it.
import { CstParser, type CstNode, type IParserErrorMessageProvider, type TokenType, type IToken } from 'chevrotain';
import * as T from './tokens.js';

function describe(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the declaration';
  return `'${token.image}'`;
}

function labelOf(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** Short messages in the compiler's style: "expected X but found Y". */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${labelOf(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    if (ruleName === 'value') return `expected a value (number, string, true/false, list, name or call) but found ${describe(actual[0])}`;
    const options = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) options.add(labelOf(path[0]));
    return `expected ${[...options].join(' or ') || ruleName} but found ${describe(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const options = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) options.add(labelOf(path[0]));
    return `expected ${[...options].join(' or ') || ruleName} but found ${describe(actual[0])}`;
  },
};

export class RegnetParser extends CstParser {
  /**
   * `validateGrammar`: chevrotain's checks of the grammar itself (ambiguities, left recursion)
   * took ~40% of the language server's start-up; the grammar does not change at run time, so
   * they run in the tests (compiler/test/parser.test.ts), not in every process.
   */
  constructor(options: { validateGrammar?: boolean } = {}) {
    super(T.ALL_TOKENS, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: messages,
      nodeLocationTracking: 'none',
      skipValidations: !options.validateGrammar,
    });
    this.performSelfAnalysis();
  }

  public letDecl = this.RULE('letDecl', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.value);
  });

  public modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(T.Model);
    this.OPTION(() => this.CONSUME(T.Identifier));
    this.SUBRULE(this.layerBlock);
  });

  public sectionDecl = this.RULE('sectionDecl', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Data) }, { ALT: () => this.CONSUME(T.Train) }, { ALT: () => this.CONSUME(T.Sweep) }]);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.setting));
    this.CONSUME(T.RCurly);
  });

  public layerBlock = this.RULE('layerBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.layer));
    this.CONSUME(T.RCurly);
  });

  public layer = this.RULE('layer', () => {
    this.SUBRULE(this.call);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier);
    });
    this.OPTION2(() => this.SUBRULE(this.layerBlock));
  });

  public setting = this.RULE('setting', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.Augment) }]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE(this.settingBlock) },
    ]);
  });

  public settingBlock = this.RULE('settingBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR([
        { GATE: () => this.isSettingStart(), ALT: () => this.SUBRULE(this.setting) },
        { ALT: () => this.SUBRULE(this.call) },
      ]),
    );
    this.CONSUME(T.RCurly);
  });

  public call = this.RULE('call', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  public argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RParen,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.arg);
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  public arg = this.RULE('arg', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === T.Colon,
      DEF: () => {
        this.CONSUME(T.Identifier);
        this.CONSUME(T.Colon);
      },
    });
    this.SUBRULE(this.value);
  });

  public value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.UnterminatedString) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      // The keyword `train` is also a word value: `mnist(split: train)`.
      { ALT: () => this.CONSUME(T.Train) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.call) },
    ]);
  });

  public list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.value);
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  /** `name :` or `name {` starts a setting; a bare `name` or `name(` is a call. */
  private isSettingStart(): boolean {
    const next = this.LA(2).tokenType;
    return next === T.Colon || next === T.LCurly;
  }
}

export type { CstNode };
