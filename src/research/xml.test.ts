import { describe, expect, it } from 'vitest';
import { XmlSyntaxError } from './errors.js';
import { attribute, childElements, parseXml, textOf } from './xml.js';

describe('parseXml', () => {
  it('resolves default and prefixed namespaces, declared on the root or on the element', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<feed xmlns="urn:atom" xmlns:a="urn:arxiv"><a:x t="1"/>' +
        '<y xmlns:o="urn:os"><o:n>3</o:n></y><a:x xmlns:a="urn:other"/></feed>',
    );
    expect(root).toMatchObject({ ns: 'urn:atom', local: 'feed' });
    expect(childElements(root, 'urn:arxiv', 'x')).toHaveLength(1);
    expect(childElements(root, 'urn:other', 'x')).toHaveLength(1);
    const y = childElements(root, 'urn:atom', 'y')[0]!;
    expect(textOf(childElements(y, 'urn:os', 'n')[0]!)).toBe('3');
    expect(attribute(childElements(root, 'urn:arxiv', 'x')[0]!, 't')).toBe('1');
  });

  it('decodes the predefined entities and character references, keeps CDATA verbatim, skips comments', () => {
    const root = parseXml(
      `<r a='x &amp; "y"'>&lt;b&gt; &#233;&#x1F600; &quot;&apos;<!-- no --><![CDATA[a < b & c]]></r>`,
    );
    expect(attribute(root, 'a')).toBe('x & "y"');
    expect(textOf(root)).toBe(`<b> é😀 "'a < b & c`);
  });

  it('refuses what is not well-formed, with line and column', () => {
    const cases: [string, RegExp][] = [
      ['<r>\n  <a></b>\n</r>', /:2:6: .*end tag <\/b> does not match <a>/],
      ['<r>&nbsp;</r>', /"&nbsp;" is not an XML entity/],
      ['<r>a & b</r>', /is not an XML entity/],
      ['<r><x:y/></r>', /prefix "x" of <x:y> is not declared/],
      ['<r>\n<a>', /<a> is never closed/],
      ['<!DOCTYPE r [<!ENTITY lol "lol">]><r/>', /internal subsets .* refused/],
      ['<r/><s/>', /a second root element/],
      ['', /no root element/],
      ['<r a=1/>', /malformed tag <r>/],
      ['<r><!-- open</r>', /comment is never closed/],
    ];
    for (const [text, message] of cases) {
      let caught: unknown;
      try {
        parseXml(text, 'f.xml');
      } catch (error) {
        caught = error;
      }
      expect(caught, text).toBeInstanceOf(XmlSyntaxError);
      expect((caught as Error).message, text).toMatch(message);
    }
  });
});
