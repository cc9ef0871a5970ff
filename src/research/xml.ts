import { XmlSyntaxError } from './errors.js';

export interface XmlAttribute {
  /** Namespace URI; '' for an unprefixed attribute (attributes do not take the default namespace). */
  ns: string;
  local: string;
  value: string;
}

export interface XmlElement {
  /** Namespace URI after resolving prefixes and default declarations; '' when none applies. */
  ns: string;
  local: string;
  attrs: XmlAttribute[];
  children: XmlNode[];
  /** Offset of the `<` in the source text, for error messages (see `lineOf`). */
  offset: number;
}

export type XmlNode = XmlElement | string;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME_END = /[\s/>]/g;
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

type Scope = Record<string, string>;

/**
 * A small, strict XML parser for feeds: elements, attributes, text, CDATA,
 * comments, processing instructions, the five predefined entities and
 * character references, and namespaces (prefixes declared anywhere, as the
 * 2016 arXiv feeds declare `opensearch:` on each element). A DOCTYPE with an
 * internal subset is refused, so no entity expansion can blow up. Any fault
 * is an `XmlSyntaxError` with line and column: a feed is never half read.
 */
export function parseXml(text: string, source = 'feed'): XmlElement {
  const fail = (offset: number, detail: string): never => {
    const { line, column } = lineOf(text, offset);
    throw new XmlSyntaxError(source, line, column, detail);
  };
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [Object.assign(Object.create(null) as Scope, { xml: XML_NS })];
  let root: XmlElement | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? text.length : lt;
    if (end > i) {
      const raw = text.slice(i, end);
      const parent = stack[stack.length - 1];
      if (parent) {
        if (raw.trim() !== '') parent.children.push(decodeEntities(raw, i, fail));
      } else if (raw.trim() !== '') {
        fail(i, root ? 'text after the root element' : 'text before the root element');
      }
    }
    if (lt === -1) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close === -1) fail(i, 'comment is never closed (missing "-->")');
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9);
      if (close === -1) fail(i, 'CDATA section is never closed (missing "]]>")');
      const parent = stack[stack.length - 1];
      if (!parent) fail(i, 'CDATA outside the root element');
      parent?.children.push(text.slice(i + 9, close));
      i = close + 3;
    } else if (text.startsWith('<?', i)) {
      const close = text.indexOf('?>', i + 2);
      if (close === -1) fail(i, 'processing instruction is never closed (missing "?>")');
      i = close + 2;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const close = text.indexOf('>', i);
      if (close === -1) fail(i, 'DOCTYPE is never closed');
      if (text.slice(i, close).includes('['))
        fail(i, 'DOCTYPE internal subsets (entity declarations) are refused');
      i = close + 1;
    } else if (text.charCodeAt(i + 1) === 47 /* / */) {
      const close = text.indexOf('>', i);
      if (close === -1) fail(i, 'end tag is never closed');
      const name = text.slice(i + 2, close).trim();
      const open = stack.pop();
      if (!open) fail(i, `end tag </${name}> without a start tag`);
      else if (name !== qualifiedName(open, text)) {
        fail(i, `end tag </${name}> does not match <${qualifiedName(open, text)}>`);
      }
      scopes.pop();
      i = close + 1;
    } else {
      i = startTag(text, i, stack, scopes, fail, (el) => {
        if (root) fail(el.offset, 'a second root element');
        root = el;
      });
    }
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(text.length, `<${qualifiedName(unclosed, text)}> is never closed (the text ends early)`);
  if (!root) return fail(0, 'no root element (empty document)');
  return root;
}

function startTag(
  text: string,
  at: number,
  stack: XmlElement[],
  scopes: Scope[],
  fail: (offset: number, detail: string) => never,
  onRoot: (el: XmlElement) => void,
): number {
  NAME_END.lastIndex = at + 1;
  const nameEnd = NAME_END.exec(text)?.index ?? -1;
  if (nameEnd <= at + 1) fail(at, 'a "<" that starts no tag (write it as &lt; in text)');
  const name = text.slice(at + 1, nameEnd);
  const raw: { name: string; value: string }[] = [];
  let i = nameEnd;
  for (;;) {
    ATTRIBUTE.lastIndex = i;
    const m = ATTRIBUTE.exec(text);
    if (!m) break;
    raw.push({ name: m[1]!, value: decodeEntities(m[2] ?? m[3] ?? '', i, fail) });
    i = ATTRIBUTE.lastIndex;
  }
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const selfClosing = text.charCodeAt(i) === 47;
  if (selfClosing) i++;
  if (text.charCodeAt(i) !== 62 /* > */)
    fail(i, `malformed tag <${name}>: expected an attribute, "/>" or ">"`);

  let scope = scopes[scopes.length - 1]!;
  for (const a of raw) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
      if (scope === scopes[scopes.length - 1]) scope = Object.create(scope) as Scope;
      scope[a.name === 'xmlns' ? '' : a.name.slice(6)] = a.value;
    }
  }
  const resolve = (qname: string, isAttribute: boolean): { ns: string; local: string } => {
    const colon = qname.indexOf(':');
    if (colon === -1) return { ns: isAttribute ? '' : (scope[''] ?? ''), local: qname };
    const prefix = qname.slice(0, colon);
    const ns = scope[prefix];
    if (ns === undefined) fail(at, `namespace prefix "${prefix}" of <${name}> is not declared`);
    return { ns: ns as string, local: qname.slice(colon + 1) };
  };
  const attrs: XmlAttribute[] = [];
  for (const a of raw) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    attrs.push({ ...resolve(a.name, true), value: a.value });
  }
  const el: XmlElement = { ...resolve(name, false), attrs, children: [], offset: at };
  const parent = stack[stack.length - 1];
  if (parent) parent.children.push(el);
  else onRoot(el);
  if (!selfClosing) {
    stack.push(el);
    scopes.push(scope);
  }
  return i + 1;
}

function qualifiedName(el: XmlElement, text: string): string {
  NAME_END.lastIndex = el.offset + 1;
  const end = NAME_END.exec(text)?.index ?? el.offset + 1;
  return text.slice(el.offset + 1, end);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function decodeEntities(
  raw: string,
  offset: number,
  fail: (offset: number, detail: string) => never,
): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp);
    const name = semi === -1 ? '' : raw.slice(amp + 1, semi);
    let decoded: string | undefined;
    if (name.startsWith('#x') || name.startsWith('#X'))
      decoded = codePoint(Number.parseInt(name.slice(2), 16));
    else if (name.startsWith('#')) decoded = codePoint(Number.parseInt(name.slice(1), 10));
    else decoded = PREDEFINED[name];
    if (decoded === undefined || name.length === 0 || name.length > 10) {
      fail(
        offset + amp,
        `"&${name.slice(0, 12)}${semi === -1 ? '' : ';'}" is not an XML entity (write & as &amp;)`,
      );
    }
    out += raw.slice(from, amp) + decoded;
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

function codePoint(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
  return String.fromCodePoint(n);
}

/** 1-based line and column of an offset. */
export function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The element's text, its descendants' included, with CDATA as written. */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const child of el.children) out += typeof child === 'string' ? child : textOf(child);
  return out;
}

export function childElements(el: XmlElement, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of el.children) {
    if (typeof child !== 'string' && child.local === local && child.ns === ns) out.push(child);
  }
  return out;
}

export function attribute(el: XmlElement, local: string, ns = ''): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.ns === ns) return a.value;
  return undefined;
}
