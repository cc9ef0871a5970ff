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

type Scope = Record<string, string>;
/** Shared by every element without attributes (most of a feed's), so they cost no allocation. */
const NO_ATTRIBUTES: XmlAttribute[] = Object.freeze([]) as unknown as XmlAttribute[];

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
    if (end > i && !blank(text, i, end)) {
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(decodeEntities(text.slice(i, end), i, fail));
      else fail(i, root ? 'text after the root element' : 'text before the root element');
    }
    if (lt === -1) break;
    i = lt;
    const next = text.charCodeAt(i + 1);
    if (next !== 33 /* ! */ && next !== 63 /* ? */ && next !== 47 /* / */) {
      i = startTag(text, i, stack, scopes, fail, (el) => {
        if (root) fail(el.offset, 'a second root element');
        root = el;
      });
    } else if (text.startsWith('<!--', i)) {
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
    } else if (next === 47) {
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
      fail(i, 'markup that is neither a comment, CDATA, a DOCTYPE nor a processing instruction');
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
  let i = at + 1;
  while (i < text.length && !isNameEnd(text.charCodeAt(i))) i++;
  if (i === at + 1) fail(at, 'a "<" that starts no tag (write it as &lt; in text)');
  const name = text.slice(at + 1, i);
  let raw: { name: string; value: string }[] | undefined;
  let declares = false;
  for (;;) {
    const before = i;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 62 /* > */ || c === 47 /* / */ || i >= text.length) break;
    if (i === before) fail(i, `malformed tag <${name}>: expected a space before the attribute`);
    const nameStart = i;
    while (i < text.length && !isNameEnd(text.charCodeAt(i)) && text.charCodeAt(i) !== 61 /* = */) i++;
    const attrName = text.slice(nameStart, i);
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 61 || attrName === '')
      fail(i, `malformed tag <${name}>: expected an attribute, "/>" or ">"`);
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 34 && quote !== 39)
      fail(i, `malformed tag <${name}>: attribute ${attrName} needs a quoted value`);
    const close = text.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close === -1) fail(i, `attribute ${attrName} of <${name}> is never closed`);
    raw ??= [];
    raw.push({ name: attrName, value: decodeEntities(text.slice(i + 1, close), i + 1, fail) });
    if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) declares = true;
    i = close + 1;
  }
  const selfClosing = text.charCodeAt(i) === 47;
  if (selfClosing) i++;
  if (text.charCodeAt(i) !== 62 /* > */)
    fail(i, `malformed tag <${name}>: expected an attribute, "/>" or ">"`);

  let scope = scopes[scopes.length - 1]!;
  if (declares) {
    scope = Object.create(scope) as Scope;
    for (const a of raw!) {
      if (a.name === 'xmlns') scope[''] = a.value;
      else if (a.name.startsWith('xmlns:')) scope[a.name.slice(6)] = a.value;
    }
  }
  const attrs: XmlAttribute[] = raw ? [] : NO_ATTRIBUTES;
  if (raw) {
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const colon = a.name.indexOf(':');
      attrs.push({
        ns: colon === -1 ? '' : namespaceOf(scope, a.name.slice(0, colon), name, at, fail),
        local: colon === -1 ? a.name : a.name.slice(colon + 1),
        value: a.value,
      });
    }
  }
  const colon = name.indexOf(':');
  const el: XmlElement = {
    ns: colon === -1 ? (scope[''] ?? '') : namespaceOf(scope, name.slice(0, colon), name, at, fail),
    local: colon === -1 ? name : name.slice(colon + 1),
    attrs,
    children: [],
    offset: at,
  };
  const parent = stack[stack.length - 1];
  if (parent) parent.children.push(el);
  else onRoot(el);
  if (!selfClosing) {
    stack.push(el);
    scopes.push(scope);
  }
  return i + 1;
}

function namespaceOf(
  scope: Scope,
  prefix: string,
  name: string,
  at: number,
  fail: (offset: number, detail: string) => never,
): string {
  const ns = scope[prefix];
  if (ns === undefined) fail(at, `namespace prefix "${prefix}" of <${name}> is not declared`);
  return ns as string;
}

/** Whitespace, `/` or `>`: where a tag or attribute name ends. */
function isNameEnd(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 47 || c === 62;
}

function qualifiedName(el: XmlElement, text: string): string {
  let end = el.offset + 1;
  while (end < text.length && !isNameEnd(text.charCodeAt(end))) end++;
  return text.slice(el.offset + 1, end);
}

function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
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
