-- depends: 0220_org_history 0020_accounts
-- Assets (quản lý tài sản, issue 16 items 1–2; ../shared/DOMAIN.md §12.1): categories with their service
-- lives and wear rates as data with their legal basis and validity dates, locations (office → building →
-- floor → room), the asset register, and each asset's history of changes (also in the audit log).
--
-- Rates: only what DOMAIN.md gives is loaded (one [U] row: computers, 5 years, 20 %). The rest of
-- Circular 23/2023/TT-BTC Appendix I must be loaded from the official text (POST /api/v1/asset-categories
-- by the system admin, with its basis); no seed-file rates are copied here.

CREATE TABLE asset_categories (
    code               text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    name_vi            text NOT NULL CHECK (btrim(name_vi) <> ''),
    name_en            text NOT NULL CHECK (btrim(name_en) <> ''),
    service_life_years numeric(5, 2) NOT NULL CHECK (service_life_years > 0 AND service_life_years <= 100),
    wear_rate_pct      numeric(6, 3) NOT NULL CHECK (wear_rate_pct >= 0 AND wear_rate_pct <= 100),
    legal_basis        text NOT NULL CHECK (btrim(legal_basis) <> ''),
    confirmed          boolean NOT NULL DEFAULT false,  -- checked against the official text ([T]); false: [U]
    valid_from         date,  -- NULL: since before the records begin
    valid_to           date,  -- NULL: in force; else the first day it no longer is
    note               text,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);

INSERT INTO asset_categories (code, name_vi, name_en, service_life_years, wear_rate_pct, legal_basis, confirmed,
                              valid_from, note)
VALUES ('may-vi-tinh', 'Máy vi tính (để bàn, xách tay)', 'Computers (desktop, laptop)', 5, 20,
        'TT 23/2023/TT-BTC Phụ lục I (chưa đối chiếu văn bản gốc / not yet checked against the official text)',
        false, '2023-06-10',
        'DOMAIN.md §12.1 [U]: "computers are commonly 5 years, 20 %"');

CREATE TABLE asset_locations (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id bigint REFERENCES asset_locations (id),
    kind      text NOT NULL CHECK (kind IN ('office', 'building', 'floor', 'room')),
    code      text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    name      text NOT NULL CHECK (btrim(name) <> ''),
    unit_id   bigint NOT NULL REFERENCES org_units (id),  -- whose premises (an office's unit; inherited below)
    CHECK ((parent_id IS NULL) = (kind = 'office'))
);
CREATE INDEX asset_locations_parent ON asset_locations (parent_id);

CREATE TABLE assets (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the register serial (GID-96's serial)
    asset_number     text NOT NULL UNIQUE CHECK (asset_number ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
    name             text NOT NULL CHECK (btrim(name) <> ''),
    search_text      text NOT NULL,  -- folded (no marks, lower case): number, name, serial
    category_code    text NOT NULL REFERENCES asset_categories (code),
    unit_id          bigint NOT NULL REFERENCES org_units (id),
    custodian_id     bigint REFERENCES employees (id),
    location_id      bigint REFERENCES asset_locations (id),
    cost             bigint NOT NULL CHECK (cost > 0 AND cost < 1000000000000000),  -- nguyên giá, whole đồng
    funding_source   text NOT NULL CHECK (funding_source IN ('state_budget', 'public_service_fund', 'aid', 'other')),
    acquired_on      date NOT NULL,  -- ngày đưa vào sử dụng: wear and depreciation start from it
    business_use     boolean NOT NULL DEFAULT false,  -- used for business, lease, joint venture: depreciation
    status           text NOT NULL DEFAULT 'in_use'
                     CHECK (status IN ('in_use', 'in_store', 'under_repair', 'lent', 'liquidated')),
    liquidated_on    date,
    serial_number    text,
    epc_hex          text UNIQUE,  -- the tag's EPC (protocol.epc.asset_epc), upper-case hex
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'liquidated') = (liquidated_on IS NOT NULL)),
    CHECK (liquidated_on IS NULL OR liquidated_on >= acquired_on)
);
CREATE INDEX assets_unit ON assets (unit_id, asset_number);
CREATE INDEX assets_category ON assets (category_code);
CREATE INDEX assets_location ON assets (location_id);
CREATE INDEX assets_custodian ON assets (custodian_id);

CREATE TABLE asset_history (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id  bigint NOT NULL REFERENCES assets (id),
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,
    action    text NOT NULL,  -- create, update, import
    changes   jsonb NOT NULL  -- {field: [before, after]}
);
CREATE INDEX asset_history_asset ON asset_history (asset_id, id);
