-- depends: 0220_org_history 0100_audit_second_unit
-- Official documents (văn bản đi/đến, issue 15 item 1; ../shared/DOMAIN.md §1.1): the 29 document
-- types of Decree 30 Art. 7 with their case-sensitive abbreviations (Appendix III) and the three copy
-- forms, as data with validity; the number series as data an admin configures; per unit with a seal
-- and per year one register per series, whose `last_number` is the counter the registering
-- transaction locks (SELECT … FOR UPDATE): gap-free and never duplicated, unlike a sequence.

CREATE TABLE document_types (
    key          text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,31}$'),
    abbreviation text COLLATE "C" UNIQUE,  -- case-sensitive (QyĐ, CTr, TTr, TrS); NULL: Công văn, Thư công
    name_vi      text NOT NULL CHECK (btrim(name_vi) <> ''),
    name_en      text NOT NULL CHECK (btrim(name_en) <> ''),
    category     text NOT NULL CHECK (category IN ('document', 'copy')),  -- copy: SY / TrS / SL
    valid_from   date,  -- NULL: since before the records begin
    valid_to     date,  -- NULL: in force; else the first day it no longer is
    basis        text NOT NULL,
    sort         smallint NOT NULL DEFAULT 0,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
    CHECK (abbreviation IS NULL OR (length(abbreviation) BETWEEN 1 AND 10 AND abbreviation !~ '[[:space:]/-]'))
);

INSERT INTO document_types (key, abbreviation, name_vi, name_en, category, valid_from, basis, sort) VALUES
    ('nghi_quyet', 'NQ', 'Nghị quyết (cá biệt)', 'Resolution (individual)', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 1),
    ('quyet_dinh', 'QĐ', 'Quyết định (cá biệt)', 'Decision (individual)', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 2),
    ('chi_thi', 'CT', 'Chỉ thị', 'Directive', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 3),
    ('quy_che', 'QC', 'Quy chế', 'Regulation', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 4),
    ('quy_dinh', 'QyĐ', 'Quy định', 'Rules', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 5),
    ('thong_cao', 'TC', 'Thông cáo', 'Communiqué', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 6),
    ('thong_bao', 'TB', 'Thông báo', 'Notice', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 7),
    ('huong_dan', 'HD', 'Hướng dẫn', 'Guidance', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 8),
    ('chuong_trinh', 'CTr', 'Chương trình', 'Programme', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 9),
    ('ke_hoach', 'KH', 'Kế hoạch', 'Plan', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 10),
    ('phuong_an', 'PA', 'Phương án', 'Option plan', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 11),
    ('de_an', 'ĐA', 'Đề án', 'Scheme', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 12),
    ('du_an', 'DA', 'Dự án', 'Project', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 13),
    ('bao_cao', 'BC', 'Báo cáo', 'Report', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 14),
    ('bien_ban', 'BB', 'Biên bản', 'Minutes', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 15),
    ('to_trinh', 'TTr', 'Tờ trình', 'Submission', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 16),
    ('hop_dong', 'HĐ', 'Hợp đồng', 'Contract', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 17),
    ('cong_van', NULL, 'Công văn', 'Official letter', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7', 18),
    ('cong_dien', 'CĐ', 'Công điện', 'Official telegram', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 19),
    ('ban_ghi_nho', 'BGN', 'Bản ghi nhớ', 'Memorandum', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 20),
    ('ban_thoa_thuan', 'BTT', 'Bản thỏa thuận', 'Agreement', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 21),
    ('giay_uy_quyen', 'GUQ', 'Giấy ủy quyền', 'Letter of authorisation', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 22),
    ('giay_moi', 'GM', 'Giấy mời', 'Invitation', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 23),
    ('giay_gioi_thieu', 'GGT', 'Giấy giới thiệu', 'Letter of introduction', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 24),
    ('giay_nghi_phep', 'GNP', 'Giấy nghỉ phép', 'Leave permit', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 25),
    ('phieu_gui', 'PG', 'Phiếu gửi', 'Dispatch slip', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 26),
    ('phieu_chuyen', 'PC', 'Phiếu chuyển', 'Transfer slip', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 27),
    ('phieu_bao', 'PB', 'Phiếu báo', 'Notification slip', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7, PL III', 28),
    ('thu_cong', NULL, 'Thư công', 'Official correspondence', 'document', '2020-03-05', 'NĐ 30/2020/NĐ-CP Đ.7', 29),
    ('sao_y', 'SY', 'Bản sao y', 'True copy', 'copy', '2020-03-05', 'NĐ 30/2020/NĐ-CP PL III', 31),
    ('trich_sao', 'TrS', 'Bản trích sao', 'Extract copy', 'copy', '2020-03-05', 'NĐ 30/2020/NĐ-CP PL III', 32),
    ('sao_luc', 'SL', 'Bản sao lục', 'Reproduced copy', 'copy', '2020-03-05', 'NĐ 30/2020/NĐ-CP PL III', 33);

-- Number series ([U]: the head of the agency decides the scheme for administrative documents). A row
-- with unit_id NULL applies to every unit with a seal; a unit's own row with the same code replaces it.
-- `kind` says which documents go to it by default: incoming → the incoming register (số đến);
-- administrative → outgoing documents; secret → outgoing documents marked mật and above; copy → SY/TrS/SL.
-- Notation patterns: groups joined by '-', placeholders {type} (the abbreviation), {issuer} (the
-- unit's notation), {drafter} (the drafting unit or field); an empty group is left out.
CREATE TABLE document_series (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id          bigint REFERENCES org_units (id),
    code             text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    kind             text NOT NULL CHECK (kind IN ('incoming', 'administrative', 'secret', 'copy', 'other')),
    name_vi          text NOT NULL CHECK (btrim(name_vi) <> ''),
    name_en          text NOT NULL CHECK (btrim(name_en) <> ''),
    notation_typed   text NOT NULL DEFAULT '{type}-{issuer}',    -- a type with an abbreviation: 15/QĐ-HQKV2
    notation_untyped text NOT NULL DEFAULT '{issuer}-{drafter}', -- Công văn, Thư công: 05/HQKV2-VP
    valid_from       date,
    valid_to         date,
    basis            text,
    sort             smallint NOT NULL DEFAULT 0,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX document_series_code ON document_series (coalesce(unit_id, 0), code);

INSERT INTO document_series (unit_id, code, kind, name_vi, name_en, notation_typed, notation_untyped, basis, sort) VALUES
    (NULL, 'den', 'incoming', 'Sổ đăng ký văn bản đến', 'Incoming register', '', '', 'NĐ 30/2020/NĐ-CP Đ.22, PL IV', 1),
    (NULL, 'di', 'administrative', 'Sổ đăng ký văn bản đi (văn bản hành chính)', 'Outgoing register (administrative documents)',
     '{type}-{issuer}', '{issuer}-{drafter}', 'NĐ 30/2020/NĐ-CP Đ.15, PL I §II.3', 2),
    (NULL, 'mat', 'secret', 'Sổ đăng ký văn bản đi mật', 'Outgoing register (secret documents)',
     '{type}-{issuer}', '{issuer}-{drafter}', 'NĐ 30/2020/NĐ-CP Đ.15 khoản 2', 3),
    (NULL, 'sao', 'copy', 'Sổ đăng ký bản sao (SY, TrS, SL)', 'Copies register (SY, TrS, SL)',
     '{type}', '{type}', 'NĐ 30/2020/NĐ-CP Đ.25–27, PL I', 4);

-- How a unit with a seal writes its name in symbols (HQKV2) and its place in the date line (Hà Nội).
CREATE TABLE document_issuers (
    unit_id  bigint PRIMARY KEY REFERENCES org_units (id),
    notation text NOT NULL CHECK (notation ~ '^[[:alnum:]][[:alnum:].]{0,19}$'),
    place    text NOT NULL CHECK (btrim(place) <> '' AND length(place) <= 50)
);

-- One register per unit, year and series; `last_number` is the counter (0: nothing registered yet).
CREATE TABLE document_registers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id     bigint NOT NULL REFERENCES org_units (id),
    year        smallint NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    series_id   bigint NOT NULL REFERENCES document_series (id),
    last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (unit_id, year, series_id)
);

-- A registered document: an outgoing one with its own number and symbol, or an incoming one with its
-- số đến and the sender's number, symbol and organ (minimal metadata of Decree 30 Appendix VI for now).
CREATE TABLE documents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    register_id   bigint NOT NULL REFERENCES document_registers (id),
    number        integer NOT NULL CHECK (number >= 1),  -- số (outgoing) or số đến (incoming)
    direction     text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    type_key      text NOT NULL REFERENCES document_types (key),
    code_number   text NOT NULL CHECK (length(code_number) <= 11),    -- CodeNumber S11 ("05")
    code_notation text NOT NULL CHECK (length(code_notation) <= 30),  -- CodeNotation S30 ("HQKV2-VP")
    issued_date   date NOT NULL,
    organ_name    text NOT NULL CHECK (length(organ_name) <= 200),    -- the issuing organ
    subject       text NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 500),
    place         text,                                               -- outgoing: the date line's place
    drafter       text,                                               -- outgoing: the drafting unit's notation
    secrecy       smallint NOT NULL DEFAULT 0 CHECK (secrecy BETWEEN 0 AND 3),  -- 1 mật, 2 tối mật, 3 tuyệt mật
    urgency       smallint NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 3),  -- 1 khẩn, 2 thượng khẩn, 3 hỏa tốc
    arrival_date  date,                                               -- incoming: ngày đến
    registered_at timestamptz NOT NULL DEFAULT now(),
    registered_by text NOT NULL,
    UNIQUE (register_id, number)
);
CREATE INDEX documents_register_number ON documents (register_id, number DESC);
