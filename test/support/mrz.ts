/**
 * A passport MRZ (ICAO Doc 9303 TD3) for test travellers, with its check digits computed by the 7-3-1
 * rule, so tests can make valid ones and break one digit on purpose.
 */
const value = (c: string) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
export const checkDigit = (field: string) => String([...field].reduce((sum, c, i) => sum + value(c) * [7, 3, 1][i % 3]!, 0) % 10);
const fill = (text: string, length: number) => `${text}${'<'.repeat(length)}`.slice(0, length);

export interface MrzFields {
  surname: string;
  given: string;
  documentNumber: string;
  /** YYMMDD */
  birth: string;
  sex: 'M' | 'F';
  /** YYMMDD */
  expiry: string;
  nationality?: string;
}

/** The two lines of a valid Indonesian passport MRZ. */
export function mrzLines(f: MrzFields): [string, string] {
  const line1 = fill(`P<IDN${f.surname}<<${f.given.replace(/ /g, '<')}`, 44);
  const doc = fill(f.documentNumber, 9);
  const personal = fill('', 14);
  const body = `${doc}${checkDigit(doc)}${f.nationality ?? 'IDN'}${f.birth}${checkDigit(f.birth)}${f.sex}${f.expiry}${checkDigit(f.expiry)}${personal}${checkDigit(personal)}`;
  const composite = checkDigit(`${doc}${checkDigit(doc)}${f.birth}${checkDigit(f.birth)}${f.expiry}${checkDigit(f.expiry)}${personal}${checkDigit(personal)}`);
  return [line1, `${body}${composite}`];
}
