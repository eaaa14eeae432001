import { canonicalJson } from '../../src/canonical-json';

/**
 * One canonical JSON form (RFC 8785) for every hash that must not depend on key order: idempotency
 * request hashes, rule-set versions and the audit chain. The vectors are the RFC's own.
 */
describe('canonical JSON (RFC 8785)', () => {
  it('given the RFC 8785 sample (section 3.2.2), when it is serialised, then numbers, strings and literals read as the RFC prints them', () => {
    const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}');
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('given keys outside the basic multilingual plane and with accents, when sorted, then they follow UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const text = canonicalJson(input);
    // In the text's order (JSON.parse would put the integer-like key "1" first again).
    const order = Object.values(input).sort((a, b) => text.indexOf(`"${a}"`) - text.indexOf(`"${b}"`));
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('given the same body in two key orders, with an undefined member, when serialised, then the text is the same and the undefined member is left out', () => {
    expect(canonicalJson({ b: 1, a: { y: [1, 'x'], x: null }, c: undefined })).toBe('{"a":{"x":null,"y":[1,"x"]},"b":1}');
    expect(canonicalJson({ a: { x: null, y: [1, 'x'] }, b: 1 })).toBe('{"a":{"x":null,"y":[1,"x"]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
