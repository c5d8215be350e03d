// Reads the official TypeScript client `dataforseo-client` (dist/esm) with the TypeScript compiler API:
// its API classes (method name, HTTP method, URL template, request and response model per operation)
// and its models (properties with their TypeScript type and doc comment, base class, wire names,
// discriminator mappings). Only structure and the doc comments' facts are used by the generators; no
// prose is copied.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ClientOperation {
  /** The API class, e.g. `KeywordsDataApi`. */
  readonly clientClass: string;
  /** The method name, e.g. `googleAdsSearchVolumeTaskPost`. */
  readonly clientMethod: string;
  readonly method: 'GET' | 'POST';
  /** URL template as written in the client, e.g. `/v3/keywords_data/google_ads/locations/{country}`. */
  readonly url: string;
  /** Model of one task object of the POST body (`body: X[]`), if any. */
  readonly requestModel: string | null;
  /** Model of the response (`Promise<X | null>`). */
  readonly responseModel: string | null;
}

/** A property of a client model: its name in TypeScript and on the wire, its type node and doc text. */
export interface ClientProperty {
  readonly name: string;
  readonly wire: string;
  /** The declared type (a node of a file parsed without parent pointers: its text is `typeText`). */
  readonly type: ts.TypeNode;
  readonly typeText: string;
  /** The raw doc comment between `/**` and `*\/`, or ''. */
  readonly doc: string;
}

export interface ClientModel {
  readonly name: string;
  readonly base: string | null;
  /** Own properties in declaration order (without the client's `discriminator` bookkeeping field). */
  readonly props: readonly ClientProperty[];
  /** Discriminator of `fromJS` (`if (data["type"] === "paid") … new PaidX()`), if any. */
  readonly discriminator: { readonly property: string; readonly mapping: Readonly<Record<string, string>> } | null;
}

export class ClientReader {
  readonly root: string;
  readonly version: string;
  private readonly models = new Map<string, ClientModel | null>();

  constructor(packageDir: string) {
    this.root = join(packageDir, 'dist/esm');
    this.version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  }

  static available(packageDir: string): boolean {
    return existsSync(join(packageDir, 'dist/esm/api')) && existsSync(join(packageDir, 'dist/esm/models'));
  }

  /** Every operation of every `*Api` class, in file and declaration order. */
  operations(): ClientOperation[] {
    const dir = join(this.root, 'api');
    const out: ClientOperation[] = [];
    for (const file of readdirSync(dir)
      .filter((f) => /^[A-Z]\w*Api\.js$/.test(f))
      .sort()) {
      const clientClass = file.replace(/\.js$/, '');
      const signatures = this.signatures(join(dir, `${clientClass}.d.ts`), clientClass);
      const sf = parseFile(join(dir, file));
      const cls = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === clientClass);
      if (!cls) throw new Error(`${file}: class ${clientClass} not found`);
      for (const member of cls.members) {
        if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
        let url: string | undefined;
        let method: string | undefined;
        const visit = (n: ts.Node): void => {
          // let url_ = this.baseUrl + "/v3/…"
          if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'url_' && n.initializer) {
            const init = n.initializer;
            if (ts.isBinaryExpression(init) && init.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isStringLiteral(init.right)) {
              if (ts.isPropertyAccessExpression(init.left) && init.left.name.text === 'baseUrl') url = init.right.text;
            }
          }
          // method: "GET"
          if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'method' && ts.isStringLiteral(n.initializer)) {
            method = n.initializer.text;
          }
          ts.forEachChild(n, visit);
        };
        visit(member.body);
        if (url === undefined) continue; // process* helpers
        if (method !== 'GET' && method !== 'POST') throw new Error(`${clientClass}.${member.name.text}: unsupported method ${method}`);
        const sig = signatures.get(member.name.text);
        if (!sig) throw new Error(`${clientClass}.${member.name.text}: no declaration in the .d.ts`);
        out.push({ clientClass, clientMethod: member.name.text, method, url, ...sig });
      }
    }
    return out;
  }

  private signatures(file: string, clientClass: string): Map<string, { requestModel: string | null; responseModel: string | null }> {
    const sf = parseFile(file);
    const cls = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === clientClass);
    if (!cls) throw new Error(`${file}: class ${clientClass} not found`);
    const out = new Map<string, { requestModel: string | null; responseModel: string | null }>();
    for (const m of cls.members) {
      if (!ts.isMethodDeclaration(m) || !ts.isIdentifier(m.name)) continue;
      let requestModel: string | null = null;
      const body = m.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === 'body');
      if (body?.type && ts.isArrayTypeNode(body.type) && ts.isTypeReferenceNode(body.type.elementType)) {
        requestModel = body.type.elementType.typeName.getText(sf);
      }
      let responseModel: string | null = null;
      const ret = m.type;
      if (ret && ts.isTypeReferenceNode(ret) && ret.typeName.getText(sf) === 'Promise' && ret.typeArguments?.[0]) {
        const arg = ret.typeArguments[0];
        const parts = ts.isUnionTypeNode(arg) ? arg.types : [arg];
        for (const p of parts) if (ts.isTypeReferenceNode(p)) responseModel = p.typeName.getText(sf);
      }
      out.set(m.name.text, { requestModel, responseModel });
    }
    return out;
  }

  has(name: string): boolean {
    return this.model(name) !== null;
  }

  /** A model by class name, or null when the client has none. */
  model(name: string): ClientModel | null {
    const hit = this.models.get(name);
    if (hit !== undefined) return hit;
    const file = this.modelFile(name);
    const model = file ? this.readModel(name, `${file}.d.ts`, `${file}.js`) : null;
    this.models.set(name, model);
    return model;
  }

  private declaredIn: Map<string, string> | undefined;

  /**
   * The file (without extension) declaring a model: `X.d.ts` mostly; a few files declare several classes,
   * which models/index.d.ts re-exports from there (`export { X, IX } from "./File"`).
   */
  private modelFile(name: string): string | undefined {
    const dir = join(this.root, 'models');
    const own = join(dir, name);
    if (existsSync(`${own}.d.ts`)) return own;
    if (!this.declaredIn) {
      this.declaredIn = new Map();
      const index = parseFile(join(dir, 'index.d.ts'));
      for (const st of index.statements) {
        if (!ts.isExportDeclaration(st) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) continue;
        if (!st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
        const file = join(dir, st.moduleSpecifier.text.replace(/\.js$/, ''));
        for (const el of st.exportClause.elements) this.declaredIn.set(el.name.text, file);
      }
    }
    return this.declaredIn.get(name);
  }

  /** Own and inherited properties, base first (a subclass's redeclaration wins in place). */
  allProps(name: string): ClientProperty[] {
    const chain: ClientModel[] = [];
    for (let m = this.model(name); m; m = m.base ? this.model(m.base) : null) chain.unshift(m);
    const out = new Map<string, ClientProperty>();
    for (const m of chain) for (const p of m.props) out.set(p.wire, p);
    return [...out.values()];
  }

  private readModel(name: string, dtsFile: string, jsFile: string): ClientModel {
    const sf = parseFile(dtsFile);
    const cls = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
    if (!cls) throw new Error(`${dtsFile}: class ${name} not found`);
    const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const base = ext ? ext.expression.getText(sf) : null;
    const { wireNames, discriminator } = readModelJs(jsFile, name);
    const text = sf.getFullText();
    const props: ClientProperty[] = [];
    for (const m of cls.members) {
      if (!ts.isPropertyDeclaration(m) || !m.type) continue;
      const pname = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(sf);
      if (pname === 'discriminator') continue;
      const doc = (ts.getLeadingCommentRanges(text, m.getFullStart()) ?? [])
        .map((r) => text.slice(r.pos, r.end))
        .filter((c) => c.startsWith('/**'))
        .map((c) => c.slice(3, -2).trim())
        .join(' ');
      props.push({ name: pname, wire: wireNames.get(pname) ?? pname, type: m.type, typeText: m.type.getText(sf), doc });
    }
    return { name, base, props, discriminator };
  }
}

/**
 * A parsed file. Without parent pointers (faster): read node text with `getText(sf)`. Doc comments are
 * read raw (ClientProperty.doc): no JSDoc parsing needed.
 */
function parseFile(file: string, text = readFileSync(file, 'utf8')): ts.SourceFile {
  const kind = file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(
    file,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    kind,
  );
}

/**
 * From a model's compiled JS: wire names (`data["h1"] = this.h_1` in `toJSON`) where they differ from
 * the TypeScript names, and the `fromJS` discriminator (`if (data["type"] === "paid") { let result = new PaidX(); … }`).
 */
function readModelJs(file: string, name: string): { wireNames: Map<string, string>; discriminator: ClientModel['discriminator'] } {
  const wireNames = new Map<string, string>();
  if (!existsSync(file)) return { wireNames, discriminator: null };
  const sf = parseFile(file);
  const cls = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
  if (!cls) return { wireNames, discriminator: null };
  const method = (n: string) =>
    cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === n);

  const firstThisProp = (n: ts.Node): string | undefined => {
    let found: string | undefined;
    const visit = (x: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) {
        found = x.name.text;
        return;
      }
      ts.forEachChild(x, visit);
    };
    visit(n);
    return found;
  };
  const toJSON = method('toJSON');
  if (toJSON?.body) {
    const visit = (n: ts.Node, enclosingIf: ts.IfStatement | undefined): void => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isElementAccessExpression(n.left) &&
        ts.isIdentifier(n.left.expression) &&
        n.left.expression.text === 'data' &&
        ts.isStringLiteral(n.left.argumentExpression)
      ) {
        const wire = n.left.argumentExpression.text;
        const prop = firstThisProp(n.right) ?? (enclosingIf ? firstThisProp(enclosingIf.expression) : undefined);
        if (prop && !wireNames.has(prop)) wireNames.set(prop, wire);
      }
      ts.forEachChild(n, (c) => visit(c, ts.isIfStatement(n) ? n : enclosingIf));
    };
    visit(toJSON.body, undefined);
  }

  let discriminator: ClientModel['discriminator'] = null;
  const fromJS = method('fromJS');
  if (fromJS?.body) {
    const mapping: Record<string, string> = {};
    let property: string | undefined;
    for (const st of fromJS.body.statements) {
      if (!ts.isIfStatement(st)) continue;
      const cond = st.expression;
      if (
        !ts.isBinaryExpression(cond) ||
        cond.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken ||
        !ts.isElementAccessExpression(cond.left) ||
        !ts.isStringLiteral(cond.left.argumentExpression) ||
        !ts.isStringLiteral(cond.right)
      ) {
        continue;
      }
      let target: string | undefined;
      const visit = (x: ts.Node): void => {
        if (!target && ts.isNewExpression(x) && ts.isIdentifier(x.expression)) target = x.expression.text;
        ts.forEachChild(x, visit);
      };
      visit(st.thenStatement);
      if (!target) continue;
      property = cond.left.argumentExpression.text;
      mapping[cond.right.text] = target;
    }
    if (property) discriminator = { property, mapping };
  }
  return { wireNames, discriminator };
}
