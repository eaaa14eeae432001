-- Person-centred screening (src/persons): every application carries the key of the person it is about,
-- so a person's applications, decisions and postponements can be found across offices.
--
-- The key: the NIK when there is one, else the passport number, else the normalised name
-- (saring_name_key) with the date of birth. Written as 'nik:…', 'passport:…' or 'name:…:YYYYMMDD' so
-- the three kinds can never collide. The date is spelled with extract() rather than a cast to text,
-- which would depend on DateStyle and is not immutable.
CREATE OR REPLACE FUNCTION saring_person_key(nik text, passport_number text, full_name text, date_of_birth date) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN nullif(nik, '') IS NOT NULL THEN 'nik:' || nik
  WHEN nullif(passport_number, '') IS NOT NULL THEN 'passport:' || upper(passport_number)
  ELSE 'name:' || coalesce(saring_name_key(full_name), '') || ':'
    || coalesce(((extract(year FROM date_of_birth) * 10000 + extract(month FROM date_of_birth) * 100 + extract(day FROM date_of_birth))::int)::text, '')
END;--> statement-breakpoint

ALTER TABLE "applications" ADD COLUMN "person_key" text GENERATED ALWAYS AS (saring_person_key("nik", "passport_number", "full_name", "date_of_birth")) STORED;--> statement-breakpoint
CREATE INDEX "applications_person_key_idx" ON "applications" USING btree ("person_key","submitted_at");--> statement-breakpoint
-- The `history` condition's match: nameDob (the NIK and passport number have their own indexes).
CREATE INDEX "applications_name_dob_idx" ON "applications" USING btree (saring_name_key("full_name"),"date_of_birth","submitted_at");--> statement-breakpoint

-- A person's opaque id: URLs carry this, never a NIK or passport number (which would reach access
-- logs and browser history). Every statement that stores applications (intake, batches, any other
-- writer) adds the ids of new keys through the trigger below, in the same statement.
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_key_unique" UNIQUE("key")
);--> statement-breakpoint
INSERT INTO "persons" ("key") SELECT DISTINCT "person_key" FROM "applications" ON CONFLICT ("key") DO NOTHING;--> statement-breakpoint

CREATE OR REPLACE FUNCTION saring_register_persons() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO persons (key) SELECT DISTINCT person_key FROM new_applications ON CONFLICT (key) DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER applications_register_persons AFTER INSERT ON applications
  REFERENCING NEW TABLE AS new_applications FOR EACH STATEMENT EXECUTE FUNCTION saring_register_persons();
