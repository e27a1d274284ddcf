-- depends: 0531_search
-- Search, faster and stricter (issue 15 item 5): the rule book's and the filters' conditions become lexemes
-- ("tags") of each entry's own tsvector, so the GIN index applies them together with the words in one
-- lookup, before a row is read, ranked or counted (hub.search.tags explains them). `cces_search_tags` is
-- what hub.search.tags.of_entry computes in Python (a test compares them); it adds the tags to the entries
-- indexed so far.
CREATE FUNCTION cces_search_tags(kind text, unit_path text, secrecy smallint, register text, year smallint,
                                 type_key text, status text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['~k' || kind, '~s' || secrecy]
        || coalesce((SELECT array_agg('~u' || u) FROM unnest(string_to_array(btrim(unit_path, '/'), '/')) u),
                    '{}'::text[])
        || CASE WHEN register IS NULL THEN '{}'::text[] ELSE ARRAY['~r' || register] END
        || CASE WHEN year IS NULL THEN '{}'::text[] ELSE ARRAY['~y' || year] END
        || CASE WHEN type_key IS NULL THEN '{}'::text[] ELSE ARRAY['~t' || type_key] END
        || CASE WHEN status IS NULL THEN '{}'::text[] ELSE ARRAY['~x' || status] END;

UPDATE search_entries
SET folded = folded || array_to_tsvector(cces_search_tags(kind, unit_path, secrecy, register, year, type_key, status));
