-- depends: 0040_biometrics 0012_device_model_pack
-- Galleries per office (site) and the desired configuration of each device.

-- Which org units' people an office's doors know: `devices.site` names the office; each row adds
-- the whole subtree of one unit (a Chi cục with its Đội). An office with no rows knows only the
-- people explicitly allowed there.
CREATE TABLE site_units (
    site      text NOT NULL CHECK (btrim(site) <> ''),
    unit_id   bigint NOT NULL REFERENCES org_units (id) ON DELETE CASCADE,
    added_by  text NOT NULL,
    added_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, unit_id)
);

-- People allowed at an office outside their own units (a visiting inspector, a shared guard).
CREATE TABLE gallery_allowances (
    site        text NOT NULL CHECK (btrim(site) <> ''),
    employee_id bigint NOT NULL REFERENCES employees (id),
    reason      text NOT NULL CHECK (btrim(reason) <> ''),
    granted_by  text NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, employee_id)
);
CREATE INDEX gallery_allowances_employee ON gallery_allowances (employee_id);

-- The current gallery of each office and pack (only the current one: an erased person must not
-- survive in an older version). `payload` is protocol.gallery's format, served to the office's
-- devices over mutual TLS; it holds embeddings, so it is sealed like them.
CREATE TABLE galleries (
    site        text NOT NULL,
    pack_id     text NOT NULL,
    version     text NOT NULL,
    sha256      text NOT NULL,                 -- of the payload bytes (what devices verify)
    sealed      bytea NOT NULL,                -- nonce | AES-GCM(payload)
    people      integer NOT NULL,
    rows        integer NOT NULL,
    built_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, pack_id)
);

-- What an admin wants a device to run (NULL: the device's own setting), and the config last
-- published for it: `version` grows by one each time the published content changes.
CREATE TABLE device_desired_config (
    device_id            text PRIMARY KEY REFERENCES devices (device_id) ON DELETE CASCADE,
    threshold            real CHECK (threshold > -1 AND threshold < 1),
    cooldown_s           real CHECK (cooldown_s >= 0 AND cooldown_s <= 86400),
    camera               jsonb,
    display_room         text,
    model_pack           text,
    telemetry_interval_s real CHECK (telemetry_interval_s > 0 AND telemetry_interval_s <= 3600),
    updated_by           text,
    updated_at           timestamptz,
    version              bigint NOT NULL DEFAULT 0,
    published_hash       text,
    published_at         timestamptz
);
