-- depends: 0530_documents_edxml 0220_org_history
-- Issue 15 item 5: search as a shared part. Every searchable record (a document now; case files, meetings
-- and reports later) is one row of `search_entries`, put there by its module (hub.search.index) in the
-- transaction that changes it. Vietnamese is matched without diacritics: the text is folded (lower case,
-- marks stripped, đ → d) before it becomes the tsvector, because the embedded PostgreSQL has no
-- `unaccent`; hub.search.fold folds in Python, `cces_fold` below does the same inside the database (used
-- here to index the documents registered before this migration). The columns the rule book needs
-- (unit path, secrecy) sit on the row, so what a user may not see is filtered before ranking and counting.

CREATE FUNCTION cces_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(translate(normalize(value, NFC),
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ',
        'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy'));

CREATE TABLE search_entries (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind      text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,31}$'),  -- document, later case_file …
    ref_id    bigint NOT NULL,                    -- the record's id in its module
    unit_id   bigint NOT NULL REFERENCES org_units (id),
    unit_path text NOT NULL,                      -- the owning unit: the rule book's scope
    secrecy   smallint NOT NULL DEFAULT 0 CHECK (secrecy BETWEEN 0 AND 3),
    register  text,                               -- documents: the series code (den, di, mat, sao)
    year      smallint,
    type_key  text,
    status    text,                               -- documents: incoming | outgoing
    day       date,                               -- documents: the document's date
    deadline  date,
    title     text NOT NULL CHECK (length(title) <= 1000),
    body      text NOT NULL DEFAULT '' CHECK (length(body) <= 200000),
    folded    tsvector NOT NULL,                  -- folded title (weight A) and body (B), 'simple' parser
    indexed_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_entries_folded ON search_entries USING gin (folded);
CREATE INDEX search_entries_scope ON search_entries (unit_path text_pattern_ops, day DESC);
CREATE INDEX search_entries_day ON search_entries (day DESC, id DESC);

INSERT INTO search_entries (kind, ref_id, unit_id, unit_path, secrecy, register, year, type_key, status, day,
                            title, body, folded)
SELECT 'document', d.id, u.id, u.path, d.secrecy, r.series_code, r.year, d.type_key, d.direction, d.issued_date,
       left(d.code_number || '/' || d.code_notation || ' — ' || d.subject, 1000),
       d.organ_name,
       setweight(to_tsvector('simple', regexp_replace(cces_fold(concat_ws(' ', t.name_vi, t.abbreviation,
                 d.code_number, d.code_notation, d.subject)), '[^0-9a-z]+', ' ', 'g')), 'A')
       || setweight(to_tsvector('simple', regexp_replace(cces_fold(d.organ_name), '[^0-9a-z]+', ' ', 'g')), 'B')
FROM documents d
JOIN document_registers r ON r.id = d.register_id
JOIN org_units u ON u.id = r.unit_id
JOIN document_types t ON t.key = d.type_key;
