-- Watchlist names are matched by trigram similarity to a key taken from each application
-- (src/watchlists/matching.ts). Inside the screening statement that key is a lateral reference, not
-- a constant, so the planner cannot estimate the % operator and chose a sequential scan, computing
-- similarity against every entry: 450 ms per screening on a list of 30,000 names. This function
-- does the lookup on its own with sequential scans off, so it is always the trigram index, whatever
-- the statement around it looks like. (The similarity threshold is the caller's: set_config before.)
CREATE OR REPLACE FUNCTION saring_watchlist_name_candidates(key text) RETURNS SETOF watchlist_entries
  LANGUAGE sql STABLE PARALLEL SAFE
  SET enable_seqscan = off
AS $$
  SELECT * FROM watchlist_entries WHERE name_key % key
$$;
