/**
 * Label selectors, ported from k8s.io/apimachinery v0.34 pkg/labels/selector.go (Lexer, Parser,
 * NewRequirement, Requirement.Matches/String): the `labelSelector` of list, watch and
 * deletecollection, and of fault rules. Errors carry the parser's exact text (the apiserver
 * answers 400 with it).
 */
import { errorBody, fieldError, type FieldError } from './field-errors.js';
import { compareGo } from './go-sort.js';
import { isQualifiedName, isValidLabelValue } from './object-meta-validation.js';

/** selection.Operator values */
export type LabelOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated, as sets.String.List() leaves them. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** Sorted by key, as the parser leaves them. */
  readonly requirements: readonly LabelRequirement[];
  /** Selects everything (no requirements). */
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined | null): boolean;
  /** internalSelector.String() */
  toString(): string;
}

const binaryOperators: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];


/** strconv.ParseInt(s, 10, 64) */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < 1n << 63n ? v : undefined;
}

/** field.Error.Error(): "<field>: <body>"; a nil path prints as "<nil>". */
const fieldErrorText = (e: FieldError): string => `${e.field}: ${errorBody(e)}`;

/** ErrorList.ToAggregate().Error(): duplicates dropped, one as-is, several as "[a, b]". */
function aggregateText(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(fieldErrorText))];
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

/** labels.validateLabelKey: one Invalid with the messages joined by "; ". */
function validateLabelKey(k: string, path: string): FieldError | undefined {
  const errs = isQualifiedName(k);
  return errs.length ? fieldError.invalid(path, k, errs.join('; ')) : undefined;
}

/** labels.validateLabelValue */
function validateLabelValue(k: string, v: string, path: string): FieldError | undefined {
  const errs = isValidLabelValue(v);
  return errs.length ? fieldError.invalid(`${path}[${k}]`, v, errs.join('; ')) : undefined;
}

/** labels.NewRequirement with a nil path option; throws the aggregated error text. */
export function newLabelRequirement(key: string, op: LabelOperator, vals: string[]): LabelRequirement {
  const errs: FieldError[] = [];
  const keyErr = validateLabelKey(key, 'key');
  if (keyErr) errs.push(keyErr);
  const valuePath = 'values';
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(fieldError.invalid(valuePath, vals, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(fieldError.invalid(valuePath, vals, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(fieldError.invalid(valuePath, vals, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(fieldError.invalid(valuePath, vals, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldError.invalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(fieldError.notSupported('operator', op, [...binaryOperators, 'exists', '!']));
  }
  vals.forEach((v, i) => {
    const e = validateLabelValue(key, v, `${valuePath}[${i}]`);
    if (e) errs.push(e);
  });
  if (errs.length) throw new Error(aggregateText(errs));
  return { key, operator: op, values: vals };
}

/** Requirement.Matches */
function requirementMatches(r: LabelRequirement, ls: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(ls, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(ls[r.key]);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(ls[r.key]);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const lv = parseInt64(ls[r.key]);
      const rv = parseInt64(r.values[0]);
      if (lv === undefined || rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

/** Requirement.String */
function requirementString(r: LabelRequirement): string {
  let s = r.operator === '!' ? '!' + r.key : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case 'in':
    case 'notin':
      s += ` ${r.operator} (`;
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
    default:
      s += r.operator;
  }
  s += r.values.length === 1 ? r.values[0] : [...r.values].sort(compareGo).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? s + ')' : s;
}

// Lexer tokens (selector.go Token)
const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const string2token: ReadonlyMap<string, Tok> = new Map([
  [')', Tok.ClosedPar],
  [',', Tok.Comma],
  ['!', Tok.DoesNotExist],
  ['==', Tok.DoubleEquals],
  ['=', Tok.Equals],
  ['>', Tok.GreaterThan],
  ['in', Tok.In],
  ['<', Tok.LessThan],
  ['!=', Tok.NotEquals],
  ['notin', Tok.NotIn],
  ['(', Tok.OpenPar],
]);

interface Item {
  tok: Tok;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch) && ch.length === 1;

/** labels.Lexer; read() yields "\0" at the end and for a NUL character, as Go's byte 0. */
class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  private read(): string {
    if (this.pos < this.s.length) return this.s[this.pos++];
    return '\0';
  }

  private unread(): void {
    this.pos--;
  }

  private scanIDOrKeyword(): Item {
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buf += ch;
    }
    const tok = string2token.get(buf);
    return tok !== undefined ? { tok, lit: buf } : { tok: Tok.Identifier, lit: buf };
  }

  private scanSpecialSymbol(): Item {
    let last: Item | undefined;
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch)) {
        buf += ch;
        const tok = string2token.get(buf);
        if (tok !== undefined) last = { tok, lit: buf };
        else if (last) {
          this.unread();
          break;
        }
      } else {
        this.unread();
        break;
      }
    }
    return last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` };
  }

  lex(): Item {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '\0') return { tok: Tok.EndOfString, lit: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIDOrKeyword();
  }
}

/** labels.Parser */
class Parser {
  private items: Item[] = [];
  private position = 0;

  constructor(input: string) {
    const l = new Lexer(input);
    for (;;) {
      const it = l.lex();
      this.items.push(it);
      if (it.tok === Tok.EndOfString) break;
    }
  }

  private at(i: number, values: boolean): Item {
    const it = this.items[Math.min(i, this.items.length - 1)];
    // in the Values context "in" and "notin" are identifiers
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }

  private lookahead(values: boolean): Item {
    return this.at(this.position, values);
  }

  private consume(values: boolean): Item {
    return this.at(this.position++, values);
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          let r: LabelRequirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            throw new Error(`unable to parse requirement: ${(e as Error).message}`);
          }
          reqs.push(r);
          const t = this.consume(true);
          switch (t.tok) {
            case Tok.EndOfString:
              return reqs;
            case Tok.Comma: {
              const t2 = this.lookahead(true);
              if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) throw new Error(`found '${t2.lit}', expected: identifier after ','`);
              break;
            }
            default:
              throw new Error(`found '${t.lit}', expected: ',' or 'end of string'`);
          }
          break;
        }
        case Tok.EndOfString:
          return reqs;
        default:
          throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newLabelRequirement(key, inferred, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newLabelRequirement(key, op, [...values].sort(compareGo));
  }

  private parseKeyAndInferOperator(): [string, LabelOperator | ''] {
    let op: LabelOperator | '' = '';
    let { tok, lit } = this.consume(true);
    if (tok === Tok.DoesNotExist) {
      op = '!';
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== Tok.Identifier) throw new Error(`found '${lit}', expected: identifier`);
    const keyErr = validateLabelKey(lit, '<nil>');
    if (keyErr) throw new Error(fieldErrorText(keyErr));
    const t = this.lookahead(true).tok;
    if ((t === Tok.EndOfString || t === Tok.Comma) && op !== '!') op = 'exists';
    return [lit, op];
  }

  private parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new Error(`found '${lit}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    let { tok, lit } = this.consume(true);
    if (tok !== Tok.OpenPar) throw new Error(`found '${lit}' expected: '('`);
    ({ tok, lit } = this.lookahead(true));
    switch (tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== Tok.ClosedPar) throw new Error(`found '${lit}', expected: ')'`);
        return s;
      }
      case Tok.ClosedPar:
        this.consume(true);
        return new Set(['']);
      default:
        throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      switch (tok) {
        case Tok.Identifier: {
          s.add(lit);
          const t2 = this.lookahead(true);
          if (t2.tok === Tok.Comma) continue;
          if (t2.tok === Tok.ClosedPar) return s;
          throw new Error(`found '${t2.lit}', expected: ',' or ')'`);
        }
        case Tok.Comma: {
          if (s.size === 0) s.add(''); // "(,"
          const t2 = this.lookahead(true).tok;
          if (t2 === Tok.ClosedPar) {
            s.add(''); // ",)"
            return s;
          }
          if (t2 === Tok.Comma) {
            this.consume(true);
            s.add(''); // ",,"
          }
          break;
        }
        default:
          throw new Error(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead(true).tok;
    if (t === Tok.EndOfString || t === Tok.Comma) return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === Tok.Identifier) return new Set([lit]);
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/**
 * labels.Parse: throws Error with the parser's message (the apiserver answers 400 with it).
 * Commas are AND; requirements come back sorted by key (stable).
 */
export function parseLabelSelector(selector: string): LabelSelector {
  const reqs = new Parser(selector).parse().sort((a, b) => compareGo(a.key, b.key));
  return {
    requirements: reqs,
    empty: reqs.length === 0,
    matches: (labels) => reqs.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => reqs.map(requirementString).join(','),
  };
}
