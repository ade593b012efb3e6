import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/**
 * The error, warning and notice messages a directory of TypeScript (src/) can print, found with the
 * TypeScript compiler: for docs/troubleshooting.md, which must have an entry for each.
 *
 * A message is the first argument of a *sink*:
 * - `new <Name>Error(…)` (InputError, OperationError, ApiError, TransportError, GitHubError, Error);
 * - `log.fail(…)`, `log.warning(…)`, `log.notice(…)`, `log.error(…)` (on any `log` or `….log`: every line
 *   is logged through action/log.ts);
 * - `<…>warnings.push(…)`, `<…>notices.push(…)`, `<…>errors.push(…)`: lists logged later as a whole.
 * Info and debug lines are not troubles.
 *
 * The argument is followed to its text: string and template literals; a `const` (in the same file or
 * imported); a helper function's `return` values (a call binds the helper's parameters to the
 * caller's arguments, so `fail(MISSING_KEY)` and `pkcs12Advice(path)` are read through); both sides of
 * `a ? b : c`, `a ?? b`, `a || b`; `+`; and a message table (`TABLE[kind]`, `TABLE.x.y`: every string in
 * the const object). What cannot be followed (a value known only at run time) is a hole, `…`. A
 * message built from a helper's parameter is read at each call with literal text for it as well.
 */

export const HOLE = '…'
/** Variants of one message past this many (conditionals multiply) leave the rest as holes. */
const MAX_VARIANTS = 32
const MAX_DEPTH = 8

export interface FoundMessage {
  /** The message's text with `…` for each part known only at run time. */
  skeleton: string
  /** Where it is printed from: `src/file.ts:line`, and the sink (`new InputError`, `log.warning`). */
  where: string
  sink: string
}

const LOG_METHODS = new Set(['fail', 'warning', 'notice', 'error'])
const LOGGED_LISTS = /(?:warnings|notices|errors)$/i

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** The name of the sink a call or `new` is, or undefined. */
function sinkName(node: ts.Node): string | undefined {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text.endsWith('Error')) {
    return `new ${node.expression.text}`
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined
  const method = node.expression.name.text
  const receiver = node.expression.expression
  const receiverName = ts.isIdentifier(receiver)
    ? receiver.text
    : ts.isPropertyAccessExpression(receiver)
      ? receiver.name.text
      : ''
  if (receiverName === 'log' && LOG_METHODS.has(method)) return `log.${method}`
  if (method === 'push' && LOGGED_LISTS.test(receiverName)) return `${receiverName}.push`
  return undefined
}

const KEY_LITERAL_CHARACTERS = 24

/**
 * A message's key, what the page must quote: the start of its skeleton, up to and including the word
 * in which the fixed text reaches 24 characters (the whole skeleton if shorter), without trailing
 * punctuation.
 */
export function keyOf(skeleton: string): string {
  let literal = 0
  let end = 0
  while (end < skeleton.length && literal < KEY_LITERAL_CHARACTERS) {
    if (skeleton[end] !== HOLE) literal++
    end++
  }
  while (end < skeleton.length && skeleton[end] !== ' ') end++
  return skeleton.slice(0, end).replace(/[.,:;]+$/, '')
}

/** Whether a text has 3 letters of fixed text: fewer say nothing of which message it is. */
export const saysSomething = (text: string): boolean => (text.replaceAll(HOLE, '').match(/[A-Za-z]/g) ?? []).length >= 3

type Env = ReadonlyMap<ts.Symbol, readonly string[]>
type Callable = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration

const join2 = (lefts: readonly string[], rights: readonly string[]): string[] => {
  const out = lefts.flatMap((left) => rights.map((right) => left + right))
  return out.length > MAX_VARIANTS ? lefts.map((left) => left + HOLE) : out
}
const unique = (texts: readonly string[]): string[] => [...new Set(texts)]

/** Reads messages out of one program; `texts` is the evaluator, `run` the walk over the sinks. */
class Extraction {
  readonly found: FoundMessage[] = []
  private readonly checker: ts.TypeChecker
  private readonly program: ts.Program
  private readonly root: string

  constructor(program: ts.Program, root: string) {
    this.program = program
    this.root = root
    this.checker = program.getTypeChecker()
  }

  run(files: readonly string[]): void {
    for (const file of files) {
      const source = this.program.getSourceFile(file)
      if (source) this.visit(source, source)
    }
  }

  private visit(node: ts.Node, source: ts.SourceFile): void {
    const sink = sinkName(node)
    const argument = sink ? (node as ts.CallExpression | ts.NewExpression).arguments?.[0] : undefined
    if (sink && argument) this.report(this.texts(argument, new Map(), 0), node, source, sink)
    if (ts.isCallExpression(node)) this.throughHelper(node, source)
    ts.forEachChild(node, (child) => {
      this.visit(child, source)
    })
  }

  private report(skeletons: readonly string[], node: ts.Node, source: ts.SourceFile, sink: string): void {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    const where = `${relative(this.root, source.fileName)}:${String(line)}`
    for (const skeleton of skeletons) this.found.push({ skeleton: tidy(skeleton), where, sink })
  }

  /**
   * A call of a helper that prints or throws a message made from its parameters (`fail(MISSING_KEY)`):
   * the helper's sinks read again with the caller's arguments, reported at the call.
   */
  private throughHelper(call: ts.CallExpression, source: ts.SourceFile, env: Env = new Map(), depth = 0): void {
    const callee = this.callable(call.expression)
    if (!callee || depth > 3) return
    const bound = this.bind(callee, call.arguments, env, depth)
    if (![...bound.values()].some((texts) => texts.some((text) => /[A-Za-z]/.test(text)))) return
    const walk = (node: ts.Node): void => {
      if (node !== callee && isCallable(node)) return
      const sink = sinkName(node)
      const argument = sink ? (node as ts.CallExpression | ts.NewExpression).arguments?.[0] : undefined
      // Only where the parameter is the message's start (`fail(MISSING_KEY)`): elsewhere the helper's own
      // text, reported where it is written, names the message.
      if (
        sink &&
        argument &&
        this.mentions(argument, bound) &&
        !saysSomething(keyOf(tidy(this.texts(argument, new Map(), 0)[0] ?? '')))
      ) {
        this.report(this.texts(argument, bound, depth + 1), call, source, `${sink} via ${calleeName(callee)}`)
      } else if (ts.isCallExpression(node) && this.mentionsAny(node.arguments, bound)) {
        this.throughHelper(node, source, bound, depth + 1)
      }
      ts.forEachChild(node, walk)
    }
    if (callee.body) ts.forEachChild(callee.body, walk)
  }

  private mentionsAny(nodes: readonly ts.Node[], env: Env): boolean {
    return nodes.some((node) => this.mentions(node, env))
  }

  private mentions(node: ts.Node, env: Env): boolean {
    if (ts.isIdentifier(node)) {
      const symbol = this.checker.getSymbolAtLocation(node)
      return symbol !== undefined && env.has(symbol)
    }
    return ts.forEachChild(node, (child) => this.mentions(child, env) || undefined) ?? false
  }

  /** The helper's parameters, each bound to the texts of the caller's argument (a hole when none). */
  private bind(callee: Callable, args: readonly ts.Expression[], env: Env, depth: number): Map<ts.Symbol, string[]> {
    const bound = new Map<ts.Symbol, string[]>()
    callee.parameters.forEach((parameter, index) => {
      const symbol = this.checker.getSymbolAtLocation(parameter.name)
      const argument = args[index]
      if (symbol) bound.set(symbol, argument ? this.texts(argument, env, depth + 1) : [HOLE])
    })
    return bound
  }

  /** The function a call's callee names, when it is declared in the program (not a library). */
  private callable(expression: ts.Expression): Callable | undefined {
    const declaration = this.declarationOf(expression)
    if (!declaration) return undefined
    if (isCallable(declaration)) return declaration
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && isCallable(declaration.initializer)) {
      return declaration.initializer
    }
    return undefined
  }

  private declarationOf(node: ts.Node): ts.Declaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(node)
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol)
    const declaration = symbol?.declarations?.[0]
    return declaration && !declaration.getSourceFile().isDeclarationFile ? declaration : undefined
  }

  /** Every text the expression can have, each with `…` where it is known only at run time. */
  texts(node: ts.Expression, env: Env, depth: number): string[] {
    if (depth > MAX_DEPTH) return [HOLE]
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text]
    if (ts.isTemplateExpression(node)) {
      // Variants of a part are kept only where the message starts with them (nothing fixed before):
      // elsewhere the fixed start already names the message, and its variants would only multiply it.
      let out = [node.head.text]
      let fixed = node.head.text
      for (const span of node.templateSpans) {
        const part = this.texts(span.expression, env, depth + 1)
        out = join2(join2(out, part.length === 1 || !/[A-Za-z]/.test(fixed) ? part : [HOLE]), [span.literal.text])
        fixed += span.literal.text
      }
      return unique(out)
    }
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) {
      return this.texts(node.expression, env, depth)
    }
    if (ts.isConditionalExpression(node)) {
      return unique([...this.texts(node.whenTrue, env, depth + 1), ...this.texts(node.whenFalse, env, depth + 1)])
    }
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind
      const left = (): string[] => this.texts(node.left, env, depth + 1)
      const right = (): string[] => this.texts(node.right, env, depth + 1)
      if (operator === ts.SyntaxKind.PlusToken) return unique(join2(left(), right()))
      if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) {
        return unique([...left(), ...right()])
      }
      return [HOLE]
    }
    if (ts.isIdentifier(node)) return this.identifierTexts(node, env, depth)
    if (ts.isCallExpression(node)) return this.callTexts(node, env, depth)
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      return this.tableTexts(node, env, depth)
    }
    return [HOLE]
  }

  private identifierTexts(node: ts.Identifier, env: Env, depth: number): string[] {
    const symbol = this.checker.getSymbolAtLocation(node)
    const bound = symbol && env.get(symbol)
    if (bound) return [...bound]
    const declaration = this.declarationOf(node)
    if (declaration && isConstWithValue(declaration)) return this.texts(declaration.initializer, env, depth + 1)
    return [HOLE]
  }

  /** A helper's `return` values (or its expression body), with its parameters bound to the arguments. */
  private callTexts(node: ts.CallExpression, env: Env, depth: number): string[] {
    const callee = this.callable(node.expression)
    if (!callee?.body) return [HOLE]
    const bound = new Map([...env, ...this.bind(callee, node.arguments, env, depth)])
    if (!ts.isBlock(callee.body)) return this.texts(callee.body, bound, depth + 1)
    const returns: ts.Expression[] = []
    const walk = (child: ts.Node): void => {
      if (isCallable(child)) return
      if (ts.isReturnStatement(child) && child.expression) returns.push(child.expression)
      ts.forEachChild(child, walk)
    }
    ts.forEachChild(callee.body, walk)
    return returns.length === 0 ? [HOLE] : unique(returns.flatMap((value) => this.texts(value, bound, depth + 1)))
  }

  /** `TABLE.key`, `TABLE[kind].key`: the property's own text when it is known, else every string in the table. */
  private tableTexts(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, env: Env, depth: number) {
    const property = ts.isPropertyAccessExpression(node) ? this.declarationOf(node.name) : undefined
    if (property && ts.isPropertyAssignment(property)) return this.texts(property.initializer, env, depth + 1)
    let base: ts.Expression = node
    while (ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base)) base = base.expression
    const declaration = ts.isIdentifier(base) ? this.declarationOf(base) : undefined
    if (!declaration || !isConstWithValue(declaration)) return [HOLE]
    const table = unwrap(declaration.initializer)
    if (!ts.isObjectLiteralExpression(table) && !ts.isArrayLiteralExpression(table)) return [HOLE]
    const texts = leaves(table).flatMap((leaf) => this.texts(leaf, env, depth + 1))
    return texts.length === 0 ? [HOLE] : unique(texts)
  }
}

function isCallable(node: ts.Node): node is Callable {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isMethodDeclaration(node)
  )
}

const calleeName = (callee: Callable): string =>
  callee.name && ts.isIdentifier(callee.name)
    ? callee.name.text
    : ts.isVariableDeclaration(callee.parent) && ts.isIdentifier(callee.parent.name)
      ? callee.parent.name.text
      : 'a helper'

function isConstWithValue(node: ts.Node): node is ts.VariableDeclaration & { initializer: ts.Expression } {
  return (
    ts.isVariableDeclaration(node) &&
    node.initializer !== undefined &&
    ts.isVariableDeclarationList(node.parent) &&
    (node.parent.flags & ts.NodeFlags.Const) !== 0
  )
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node
  while (ts.isAsExpression(current) || ts.isParenthesizedExpression(current) || ts.isSatisfiesExpression(current)) {
    current = current.expression
  }
  return current
}

/** The values of an object or array literal, nested ones read through. */
function leaves(table: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression): ts.Expression[] {
  const values = ts.isArrayLiteralExpression(table)
    ? [...table.elements]
    : table.properties.flatMap((property) => (ts.isPropertyAssignment(property) ? [property.initializer] : []))
  return values.flatMap((value) => {
    const inner = unwrap(value)
    return ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner) ? leaves(inner) : [inner]
  })
}

/** Whitespace collapsed, runs of holes as one. */
const tidy = (skeleton: string): string =>
  skeleton
    .replace(/\s+/g, ' ')
    .replace(/…(?:\s*…)+/g, HOLE)
    .trim()

/** Every message the `.ts` files under `directory` can print, in file order. */
export function extractMessages(directory: string, root: string): FoundMessage[] {
  const files = sourceFiles(directory)
  const program = ts.createProgram(files, {
    noLib: true,
    types: [],
    noResolve: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ESNext,
  })
  const extraction = new Extraction(program, root)
  extraction.run(files)
  return extraction.found
}
