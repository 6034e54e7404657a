// Characters XML 1.0 does not allow anywhere (section 2.2, Char): C0 controls but tab, line feed
// and carriage return, lone surrogates, U+FFFE and U+FFFF. A title or body holding one would
// make the whole feed unreadable to a conforming parser, so they are dropped.
const notXmlChar =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text for an XML element or attribute value: escaped, without characters XML cannot hold. */
export function xmlText(value: string): string {
  return value.replace(notXmlChar, '').replace(/[&<>"']/g, char => entities[char]);
}

/** `<name attr="v">text</name>`, the text escaped; attributes with undefined values left out. */
export function xmlElement(
  name: string,
  text: string | null,
  attributes: Readonly<Record<string, string | undefined>> = {},
): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlText(value)}"`)
    .join('');
  return text === null ? `<${name}${attrs}/>` : `<${name}${attrs}>${xmlText(text)}</${name}>`;
}
