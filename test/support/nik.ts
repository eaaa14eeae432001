/**
 * NIKs for generated travellers that agree with their date of birth and sex, as a real NIK does
 * (digits 1-6 a real district, 7-12 DDMMYY with the day + 40 for women, 13-16 a serial), so the
 * identity-consistency rules leave them alone unless a test means them to fire.
 */
const districts = ['320101', '320102', '320103', '320104', '320105', '320106', '320107', '320108', '320109', '320110', '320111', '320112'];

/** The NIK of person `n` (0 to 119,999) born on `dateOfBirth`; `district` fixes the region (default: one per 10,000). */
export function nikFor(person: { dateOfBirth: string; sex: string }, n: number, district?: string): string {
  const day = Number(person.dateOfBirth.slice(8, 10)) + (person.sex === 'F' ? 40 : 0);
  const region = district ?? districts[Math.floor(n / 10_000) % districts.length]!;
  return `${region}${String(day).padStart(2, '0')}${person.dateOfBirth.slice(5, 7)}${person.dateOfBirth.slice(2, 4)}${String(n % 10_000).padStart(4, '0')}`;
}
