-- Watchlists and link analysis (src/watchlists, src/links): trigram matching and the normalisation
-- functions that the watchlist generated columns, the link indexes on applications and the queries share.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint

-- A name reduced to what identifies it: lower case; accents and apostrophes dropped (NFKD, then the
-- combining marks removed; đ ø ł ı ß æ œ folded); punctuation to spaces; doubled letters single;
-- Muhammad's spellings and abbreviations (Mochammad, Mohamed, Muh., Mhd) to one; old Indonesian
-- spelling (oe, dj, tj, sj, nj) and ch/ph to the current one; legal forms (PT, CV, Tbk, Co., Ltd,
-- Sdn Bhd, Inc, LLC ...) dropped; the words sorted and deduplicated, so word order does not matter.
-- NULL when nothing is left.
CREATE OR REPLACE FUNCTION saring_name_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
  SELECT nullif(string_agg(DISTINCT token, ' ' ORDER BY token), '')
  FROM regexp_split_to_table(
    regexp_replace(
      regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(
          regexp_replace(
            regexp_replace(
              translate(regexp_replace(lower(normalize(value, NFKD)), '[\u0300-\u036f''’`´]', '', 'g'), 'đøłıßæœ', 'dolisae'),
              '[[:space:][:punct:]\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f]+', ' ', 'g'),
            '(.)\1+', '\1', 'g'),
          '\m(mu|mo)c?k?h?am[ae]d\M|\m(mhd|muh|moh|md)\M', 'muhamad', 'g'),
        'oe', 'u', 'g'), 'dj', 'j', 'g'), 'tj', 'c', 'g'), 'ch', 'c', 'g'), 'sj', 'sy', 'g'), 'nj', 'ny', 'g'), 'ph', 'f', 'g'),
      '(.)\1+', '\1', 'g'),
    '\s+') AS token
  WHERE token <> ''
    AND token NOT IN ('pt', 'cv', 'tbk', 'persero', 'co', 'ltd', 'limited', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'llc', 'sdn', 'bhd', 'plc', 'pte', 'jsc', 'gmbh')
);--> statement-breakpoint

-- A licence number's letters and digits, upper case: "KEP.123/PPTKIS/2023" = "kep 123 pptkis 2023".
CREATE OR REPLACE FUNCTION saring_licence_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN nullif(regexp_replace(upper(value), '[^A-Z0-9]', '', 'g'), '');--> statement-breakpoint

-- Who paid the ticket, when a third party did: their phone (recruiter or sponsor, so one person
-- paying in either role links), the employer or the agency by name key. NULL for self, family,
-- unknown, a payer the application does not identify, and passport applications.
CREATE OR REPLACE FUNCTION saring_ticket_payer_key(payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE payload #>> '{trip,ticketPaidBy}'
  WHEN 'recruiter' THEN 'phone:' || (payload #>> '{employment,recruiterPhone}')
  WHEN 'sponsor' THEN 'phone:' || (payload #>> '{sponsor,phone}')
  WHEN 'employer' THEN 'employer:' || saring_name_key(payload #>> '{employment,employerName}')
  WHEN 'agency' THEN 'agency:' || saring_name_key(payload #>> '{employment,placementAgencyName}')
END;
