/**
 * Identity consistency, pure: what the NIK's structure says about the person, and what a passport's
 * machine-readable zone (MRZ) says about the document, compared with the fields the officer typed.
 * Read by buildSubject (subject.ts) into the derived block, so rules can use them; a mismatch is a
 * document-consistency signal (the 2024 passport-issuance circular's indicator "consistency of
 * identity and documents"), never a judgement on sex, age or origin themselves.
 *
 * NIK (16 digits): 1-2 province, 3-4 regency/city, 5-6 district (together the Kemendagri region code),
 * 7-12 the date of birth as DDMMYY with 40 added to the day for women, 13-16 a serial.
 *
 * The region codes come from the `idn-area-data` package (an ESM-only package: its CSV files are read
 * here directly, once, when this module loads at start-up; evaluation only looks codes up in memory).
 *
 * MRZ: the two 44-character lines of a passport (ICAO Doc 9303 TD3), parsed and checked with the
 * `mrz` package (check digits of the document number, birth date, expiry, personal number and the
 * composite). An MRZ that does not parse or whose check digits fail is refused at intake (mrzProblems,
 * used by the application schema), so the derived MRZ fields exist only for a valid MRZ.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseMrz } from 'mrz';

interface Regions {
  /** Province code (2 digits) to name. */
  provinces: ReadonlyMap<string, string>;
  /** Regency/city code (4 digits) to name. */
  regencies: ReadonlyMap<string, string>;
  /** District codes (6 digits). */
  districts: ReadonlySet<string>;
}

function readAreaCsv(file: string): string[][] {
  const dir = path.join(path.dirname(require.resolve('idn-area-data/package.json')), 'data');
  const rows = parseCsv(readFileSync(path.join(dir, file), 'utf8'), { skip_empty_lines: true }) as string[][];
  return rows.slice(1);
}

function loadRegions(): Regions {
  const digits = (code: string) => code.replace(/\D/g, '');
  return {
    provinces: new Map(readAreaCsv('provinces.csv').map(([code, name]) => [digits(code!), name!])),
    regencies: new Map(readAreaCsv('regencies.csv').map(([code, , name]) => [digits(code!), name!])),
    districts: new Set(readAreaCsv('districts.csv').map(([code]) => digits(code!))),
  };
}

/** Loaded once, when the module is first imported (start-up), never during an evaluation. */
const regions: Regions = loadRegions();

/** How many district codes the region data holds (for the start-up log and tests). */
export const regionDataSize = { provinces: regions.provinces.size, regencies: regions.regencies.size, districts: regions.districts.size };

/** The province, regency and district a NIK's first six digits name, when the district is known. */
export function nikRegion(nik: string): { province: string; regency: string | undefined; district: string } | undefined {
  const district = nik.slice(0, 6);
  if (!regions.districts.has(district)) return undefined;
  const province = regions.provinces.get(nik.slice(0, 2));
  if (province === undefined) return undefined;
  return { province, regency: regions.regencies.get(nik.slice(0, 4)), district };
}

/**
 * Words that say what kind of region a name is, not which: "Provinsi", "DKI"/"Daerah Khusus Ibukota",
 * "DIY"/"Daerah Istimewa", "Kabupaten"/"Kab.", "Kota (Administrasi)". Dropping them lets "DKI Jakarta"
 * meet "Daerah Khusus Ibukota Jakarta" and "Karawang" meet "Kabupaten Karawang" (a typed "Bandung"
 * then meets both the city and the regency of Bandung: lenient on purpose).
 */
const regionKindWords = new Set(['provinsi', 'prov', 'propinsi', 'daerah', 'khusus', 'ibukota', 'ibu', 'istimewa', 'dki', 'di', 'diy', 'kabupaten', 'kab', 'kota', 'kotamadya', 'administrasi', 'adm']);
const regionSpellings: Readonly<Record<string, string>> = { jogjakarta: 'yogyakarta', jogja: 'yogyakarta', yogya: 'yogyakarta' };

export function regionNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '' && !regionKindWords.has(word))
    .map((word) => regionSpellings[word] ?? word)
    .join(' ');
}

export interface NikFacts {
  /** Digits 7-12 encode the stated date of birth (day, month, two-digit year; the day + 40 for women). */
  nikMatchesDateOfBirth: boolean;
  /** The day's offset (+40 or not) agrees with the stated sex; absent when the digits encode no valid day. */
  nikMatchesSex?: boolean;
  /** Digits 1-6 are a district code in the region data. */
  nikRegionKnown: boolean;
  /** The NIK's province (and regency, when one is stated) is the stated origin; absent when the region is unknown. */
  nikRegionMatchesOrigin?: boolean;
}

/** What the NIK's structure says, compared with the stated date of birth, sex and origin. */
export function nikFacts(person: { nik: string; dateOfBirth: string; sex: 'M' | 'F'; provinceOfOrigin: string; regencyOfOrigin?: string | undefined }): NikFacts {
  const { nik, dateOfBirth } = person;
  const encodedDay = Number(nik.slice(6, 8));
  const female = encodedDay >= 41 && encodedDay <= 71;
  const male = encodedDay >= 1 && encodedDay <= 31;
  const day = female ? encodedDay - 40 : encodedDay;
  const facts: NikFacts = {
    nikMatchesDateOfBirth:
      (female || male) && day === Number(dateOfBirth.slice(8, 10)) && nik.slice(8, 10) === dateOfBirth.slice(5, 7) && nik.slice(10, 12) === dateOfBirth.slice(2, 4),
    nikRegionKnown: false,
  };
  if (female || male) facts.nikMatchesSex = female === (person.sex === 'F');
  const region = nikRegion(nik);
  if (region) {
    facts.nikRegionKnown = true;
    const provinceMatches = regionNameKey(region.province) === regionNameKey(person.provinceOfOrigin);
    const regencyMatches = person.regencyOfOrigin === undefined || (region.regency !== undefined && regionNameKey(region.regency) === regionNameKey(person.regencyOfOrigin));
    facts.nikRegionMatchesOrigin = provinceMatches && regencyMatches;
  }
  return facts;
}

// --- MRZ ---------------------------------------------------------------------------------------

/** TD3: two lines of 44 characters, upper-case letters, digits and the filler `<`. */
const TD3_LINE = /^[A-Z0-9<]{44}$/;

/** The MRZ lines as the schema stores them: trimmed and upper case (a reader may output lower case). */
export const normaliseMrzLine = (line: string) => line.trim().toUpperCase();

export interface MrzProblem {
  /** 0 or 1: which line. */
  line: number;
  message: string;
}

/**
 * Why two lines are not a valid passport MRZ (TD3): wrong length or characters, not a passport,
 * or a check digit that does not match. Each problem names its line and field; the check digit's
 * expected value is not repeated (the answer would only teach how to make one up).
 */
export function mrzProblems(lines: readonly [string, string]): MrzProblem[] {
  const shape = lines.flatMap((line, i) =>
    TD3_LINE.test(line) ? [] : [{ line: i, message: `MRZ line ${i + 1}: expected 44 characters of A-Z, 0-9 and < (a passport's TD3 line), got ${line.length}` }],
  );
  if (shape.length > 0) return shape;
  let result: ReturnType<typeof parseMrz>;
  try {
    result = parseMrz([...lines]);
  } catch (error) {
    return [{ line: 0, message: `MRZ: ${error instanceof Error ? error.message : 'not a machine-readable zone'}` }];
  }
  if (result.format !== 'TD3' || result.fields.documentCode?.[0] !== 'P') return [{ line: 0, message: 'MRZ line 1, document code: not a passport (TD3, code P)' }];
  if (result.valid) return [];
  return result.details
    .filter((detail) => !detail.valid)
    .map((detail) => ({
      line: detail.line,
      message: `MRZ line ${detail.line + 1}, ${detail.label.toLowerCase()}: ${/check digit/i.test(detail.label) ? 'the check digit does not match' : 'invalid value'}`,
    }));
}

export interface MrzFacts {
  /** The document number in the MRZ is the passport number typed (departure checks only: passport applications type none). */
  mrzMatchesDocument?: boolean;
  /** The MRZ birth date (YYMMDD) is the stated date of birth. */
  mrzMatchesDateOfBirth: boolean;
  /** The MRZ sex is the stated sex. */
  mrzMatchesSex: boolean;
  /** The MRZ nationality is IDN (every traveller and applicant here holds a NIK). */
  mrzMatchesNationality: boolean;
  /** The MRZ expiry date (ISO), read as 20YY. */
  mrzExpiryDate: string;
  /** The passport has expired by the reference date (departure date, or application date). */
  mrzExpiredOnReferenceDate: boolean;
  /** Every comparison above agrees (document number where there is one, birth date, sex, nationality). */
  mrzAgrees: boolean;
}

/** What a valid MRZ says, compared with the typed fields; undefined when the lines are not a valid MRZ. */
export function mrzFacts(
  lines: readonly [string, string],
  typed: { passportNumber?: string | undefined; dateOfBirth: string; sex: 'M' | 'F'; referenceDate: string },
): MrzFacts | undefined {
  if (mrzProblems(lines).length > 0) return undefined;
  const { fields } = parseMrz([...lines]);
  const yymmdd = (date: string) => `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
  const expiry = fields.expirationDate ?? '';
  const expiryDate = `20${expiry.slice(0, 2)}-${expiry.slice(2, 4)}-${expiry.slice(4, 6)}`;
  const facts: MrzFacts = {
    mrzMatchesDateOfBirth: fields.birthDate === yymmdd(typed.dateOfBirth),
    mrzMatchesSex: fields.sex === (typed.sex === 'F' ? 'female' : 'male'),
    mrzMatchesNationality: fields.nationality === 'IDN',
    mrzExpiryDate: expiryDate,
    mrzExpiredOnReferenceDate: expiryDate < typed.referenceDate,
    mrzAgrees: false,
  };
  if (typed.passportNumber !== undefined) facts.mrzMatchesDocument = (fields.documentNumber ?? '').replace(/</g, '') === typed.passportNumber;
  facts.mrzAgrees = facts.mrzMatchesDocument !== false && facts.mrzMatchesDateOfBirth && facts.mrzMatchesSex && facts.mrzMatchesNationality;
  return facts;
}
