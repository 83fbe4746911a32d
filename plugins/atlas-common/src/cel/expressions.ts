import {
  celEnv,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
  type CelEnv,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/**
 * One `${...}` expression found in a string of a KRO template.
 *
 * @public
 */
export interface EmbeddedExpression {
  /** The CEL source between `${` and `}`. */
  expression: string;
  /** Offset of `$` in the string. */
  start: number;
  /** Offset just after the closing `}`. */
  end: number;
}

/**
 * Finds the `${...}` expressions in a string. Braces inside the expression (CEL map literals)
 * and inside CEL string literals are matched, so `${ {"a": "}"} }` is one expression.
 *
 * @public
 */
export function findExpressions(text: string): EmbeddedExpression[] {
  const found: EmbeddedExpression[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${', from);
    if (start === -1) return found;
    let depth = 1;
    let quote: string | undefined;
    let i = start + 2;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth > 0) {
      throw new Error(
        `unterminated expression starting at "${text.slice(
          start,
          start + 40,
        )}"`,
      );
    }
    found.push({
      expression: text.slice(start + 2, i - 1).trim(),
      start,
      end: i,
    });
    from = i;
  }
}

/**
 * True when the whole string is a single `${...}` expression: KRO then replaces the field with
 * the expression's value of any type, instead of interpolating a string.
 *
 * @public
 */
export function isStandaloneExpression(text: string): boolean {
  const found = findExpressions(text);
  return (
    found.length === 1 && found[0].start === 0 && found[0].end === text.length
  );
}

/**
 * A variable path an expression reads, such as `schema.spec.replicas` or
 * `deployment.status.availableReplicas`: the root identifier and the fields selected from it.
 *
 * @public
 */
export type ReferencePath = string[];

const parsed = new Map<string, Expr>();

/**
 * Parses a CEL expression with `@bufbuild/cel`, caching the syntax tree. Throws an Error whose
 * message names the problem when the expression is not valid CEL.
 *
 * @public
 */
export function parseExpression(expression: string): Expr {
  let tree = parsed.get(expression);
  if (!tree) {
    try {
      tree = parse(expression).expr;
    } catch (e) {
      const message = (e as Error).message.replace(/^<input>:/, '');
      throw new Error(`invalid CEL "${expression}": ${message}`);
    }
    parsed.set(expression, tree);
  }
  return tree;
}

/**
 * Lists the variable paths an expression reads. Variables bound by comprehension macros
 * (`exists(c, ...)`, `map(x, ...)`) are local and not reported. A path stops where a field is
 * chosen dynamically (an index or a function call).
 *
 * @public
 */
export function expressionReferences(expression: string): ReferencePath[] {
  const paths: ReferencePath[] = [];
  walk(parseExpression(expression), new Set(), paths);
  return paths;
}

function walk(
  expr: Expr | undefined,
  locals: Set<string>,
  out: ReferencePath[],
): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'identExpr':
      if (!locals.has(kind.value.name)) out.push([kind.value.name]);
      return;
    case 'selectExpr': {
      const path = selectPath(expr);
      if (path) {
        if (!locals.has(path[0])) out.push(path);
        return;
      }
      walk(kind.value.operand, locals, out);
      return;
    }
    case 'callExpr':
      walk(kind.value.target, locals, out);
      kind.value.args.forEach(arg => walk(arg, locals, out));
      return;
    case 'listExpr':
      kind.value.elements.forEach(e => walk(e, locals, out));
      return;
    case 'structExpr':
      kind.value.entries.forEach(entry => {
        if (entry.keyKind.case === 'mapKey')
          walk(entry.keyKind.value, locals, out);
        walk(entry.value, locals, out);
      });
      return;
    case 'comprehensionExpr': {
      const c = kind.value;
      walk(c.iterRange, locals, out);
      const inner = new Set(locals);
      inner.add(c.iterVar);
      if (c.iterVar2) inner.add(c.iterVar2);
      inner.add(c.accuVar);
      walk(c.accuInit, inner, out);
      walk(c.loopCondition, inner, out);
      walk(c.loopStep, inner, out);
      walk(c.result, inner, out);
      return;
    }
    default:
      return;
  }
}

/** `a.b.c` as ['a', 'b', 'c'] when the chain ends in an identifier, else undefined. */
function selectPath(expr: Expr): string[] | undefined {
  const fields: string[] = [];
  let current: Expr | undefined = expr;
  while (current) {
    const kind: Expr['exprKind'] = current.exprKind;
    if (kind.case === 'selectExpr') {
      fields.unshift(kind.value.field);
      current = kind.value.operand;
    } else if (kind.case === 'identExpr') {
      return [kind.value.name, ...fields];
    } else {
      return undefined;
    }
  }
  return undefined;
}

let env: CelEnv | undefined;

const plans = new Map<string, ReturnType<typeof plan>>();

/**
 * The reason an expression could not be evaluated.
 *
 * @public
 */
export class ExpressionError extends Error {
  constructor(readonly expression: string, message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/**
 * Evaluates a CEL expression (standard CEL plus the strings extension, as KRO offers) against
 * plain JSON-like variables and returns a plain JSON-like value. Whole numbers are bound as CEL
 * `int`, as Kubernetes decodes them. Throws {@link ExpressionError} when evaluation fails.
 *
 * @public
 */
export function evaluateExpression(
  expression: string,
  variables: Record<string, unknown>,
): unknown {
  env ??= celEnv({ funcs: strings });
  let program = plans.get(expression);
  if (!program) {
    program = plan(env, parseExpression(expression));
    plans.set(expression, program);
  }
  const bindings: Record<string, any> = {};
  for (const [name, value] of Object.entries(variables))
    bindings[name] = toCel(value);
  let result: CelValue | Error;
  try {
    result = program(bindings) as CelValue | Error;
  } catch (e) {
    throw new ExpressionError(expression, (e as Error).message);
  }
  if (isCelError(result)) throw new ExpressionError(expression, result.message);
  return fromCel(result as CelValue);
}

function toCel(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value))
    return BigInt(value);
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

function fromCel(value: CelValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (isCelUint(value)) return Number(value.value);
  if (isCelList(value)) return Array.from(value, v => fromCel(v));
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = fromCel(v);
    return out;
  }
  if (value === null || ['string', 'boolean', 'number'].includes(typeof value))
    return value;
  if (value instanceof Uint8Array) return btoa(String.fromCharCode(...value));
  throw new Error(`unsupported CEL value of type ${typeof value}`);
}
