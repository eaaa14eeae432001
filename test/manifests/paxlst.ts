/**
 * Builds PAXLST interchanges the way the WCO/IATA/ICAO API guidelines lay them out (UNA, UNB, UNG,
 * UNH ... UNT per message, UNE, UNZ), with correct segment counts, so tests can break one thing at a time.
 */
export interface PaxPassenger {
  surname: string;
  given: string;
  sex?: 'M' | 'F';
  birth?: string; // YYMMDD
  nationality?: string; // alpha-3
  passport?: string;
  expiry?: string; // YYMMDD
  booking?: string;
  phone?: string;
  /** Extra segments placed after NAT (e.g. an unknown optional segment). */
  extra?: string[];
}

export interface PaxFlight {
  flight: string; // e.g. QZ262
  from: string; // IATA
  to: string;
  departs: string; // YYMMDDHHMM local
  arrives: string;
}

export function passengerSegments(p: PaxPassenger): string[] {
  const segments = [`NAD+FL+++${p.surname}:${p.given}`];
  if (p.sex) segments.push(`ATT+2++${p.sex}`);
  if (p.birth) segments.push(`DTM+329:${p.birth}`);
  if (p.phone) segments.push(`COM+${p.phone}:TE`);
  segments.push(`NAT+2+${p.nationality ?? 'IDN'}`);
  segments.push(...(p.extra ?? []));
  if (p.booking) segments.push(`RFF+AVF:${p.booking}`);
  if (p.passport) {
    segments.push(`DOC+P:110:111+${p.passport}`);
    if (p.expiry) segments.push(`DTM+36:${p.expiry}`);
    segments.push('LOC+91+IDN');
  }
  return segments;
}

/** One UNH ... UNT message; `part` is the multi-part sequence (e.g. '01:C', '02:F'). */
export function message(ref: string, flight: PaxFlight, passengers: PaxPassenger[], options: { accessRef?: string; part?: string; countOverride?: number } = {}): string[] {
  const body = [
    'BGM+745',
    'NAD+MS+++OPERATIONS CONTROL',
    'COM+62215550000:TE',
    `TDT+20+${flight.flight}`,
    `LOC+125+${flight.from}`,
    `DTM+189:${flight.departs}:201`,
    `LOC+87+${flight.to}`,
    `DTM+232:${flight.arrives}:201`,
    ...passengers.flatMap(passengerSegments),
    `CNT+42:${passengers.length}`,
  ];
  const head = `UNH+${ref}+PAXLST:D:05B:UN:IATA${options.accessRef ? `+${options.accessRef}` : ''}${options.part ? `+${options.part}` : ''}`;
  return [head, ...body, `UNT+${options.countOverride ?? body.length + 2}+${ref}`];
}

/** A whole interchange around some messages. */
export function interchange(reference: string, messages: string[][], sender = 'GARUDA'): string {
  const segments = [
    `UNB+UNOA:4+${sender}:ZZ+IDIMIGRASI:ZZ+261204:0600+${reference}++APIS`,
    `UNG+PAXLST+${sender}:ZZ+IDIMIGRASI:ZZ+261204:0600+1+UN+D:05B`,
    ...messages.flat(),
    `UNE+${messages.length}+1`,
    `UNZ+1+${reference}`,
  ];
  return `UNA:+.? '\n${segments.map((s) => `${s}'`).join('\n')}\n`;
}
