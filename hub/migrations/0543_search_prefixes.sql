-- depends: 0542_documents_casefile_destruction 0532_search_tags
-- Search within 300 ms over 2,000,000 documents (issue 15 bench; hub/search/repository.py says how it is used):
-- 1. The beginnings of every word (3 to 12 letters, a proper prefix) become lexemes `^<beginning>` of the entry's
--    tsvector, so the last word of a query (a prefix while typing) is an exact GIN lookup (`tuy | ^tuy`) and not
--    a partial match, which reads all the matching words' postings into a bitmap first (20 times slower measured).
--    `cces_search_prefixes` is what hub.search.index.prefixes computes in Python (a test compares them).
-- 2. The newest first, by an index that serves `ORDER BY day DESC NULLS LAST, id DESC` (the old one was
--    `day DESC`, i.e. NULLS FIRST, so no query could walk it); the unit-path index is unused since the tags
--    (0532) and only slowed each write.
CREATE FUNCTION cces_search_prefixes(words tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN coalesce((SELECT array_agg(DISTINCT '^' || left(w, n) ORDER BY '^' || left(w, n))
                     FROM unnest(tsvector_to_array(words)) w, generate_series(3, least(length(w) - 1, 12)) n
                     WHERE w ~ '^[0-9a-z]+$'), '{}'::text[]);

UPDATE search_entries SET folded = folded || array_to_tsvector(cces_search_prefixes(folded))
WHERE cces_search_prefixes(folded) <> '{}'::text[];

DROP INDEX search_entries_day;
DROP INDEX search_entries_scope;
CREATE INDEX search_entries_newest ON search_entries (day DESC NULLS LAST, id DESC);
