-- Issue 25: applications and postponements count the final destination (the last onward leg, else the
-- ticketed destination) and keep the countries passed through on the way, so a flight to Bangkok going
-- on by land to Myawaddy is counted as Myanmar with Thailand shown as the transit. Rows written before
-- onward legs existed have the ticketed destination as their final one; their transits are backfilled.
-- A JSON array of country codes (jsonb rather than text[], so multi-row inserts can pass one per row).
ALTER TABLE "applications" ADD COLUMN "via_countries" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "postponements" ADD COLUMN "via_countries" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "applications" SET "via_countries" = "payload" #> '{trip,transitCountries}'
  WHERE "kind" = 'departure' AND jsonb_typeof("payload" #> '{trip,transitCountries}') = 'array'
    AND jsonb_array_length("payload" #> '{trip,transitCountries}') > 0;--> statement-breakpoint
UPDATE "postponements" p SET "via_countries" = a."via_countries" FROM "applications" a
  WHERE a."id" = p."application_id" AND a."via_countries" <> '[]'::jsonb;--> statement-breakpoint

-- Who paid the ticket, now with the precise payers. Licensed travel organisers (PPIU/PIHK) and crew
-- agencies (SIUPPAK) pay for groups by design, and an Indonesian employer for its staff: no link key
-- for them (the employer link on the employer's name still groups a company's travellers). The first
-- API version's `employer` and `agency` keep their meaning (an employer / a placement agency).
CREATE OR REPLACE FUNCTION saring_ticket_payer_key(payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE payload #>> '{trip,ticketPaidBy}'
  WHEN 'recruiter' THEN 'phone:' || (payload #>> '{employment,recruiterPhone}')
  WHEN 'sponsor' THEN 'phone:' || (payload #>> '{sponsor,phone}')
  WHEN 'employer' THEN 'employer:' || saring_name_key(payload #>> '{employment,employerName}')
  WHEN 'employer_foreign' THEN 'employer:' || saring_name_key(payload #>> '{employment,employerName}')
  WHEN 'agency' THEN 'agency:' || saring_name_key(payload #>> '{employment,placementAgencyName}')
  WHEN 'placement_agency' THEN 'agency:' || saring_name_key(payload #>> '{employment,placementAgencyName}')
  WHEN 'travel_agency' THEN CASE WHEN nullif(payload #>> '{travelAgency,licenceNumber}', '') IS NULL
    THEN 'agency:' || saring_name_key(payload #>> '{travelAgency,name}') END
  WHEN 'crew_agency' THEN CASE WHEN nullif(payload #>> '{seafarer,crewAgencyLicence}', '') IS NULL
    THEN 'agency:' || saring_name_key(payload #>> '{seafarer,crewAgencyName}') END
END;--> statement-breakpoint
-- The index stores the function's results: rebuild it for the new definition.
REINDEX INDEX "applications_ticket_payer_link_idx";
