-- depends: 0412_asset_inventory 0411_asset_movements 0230_notifications
-- Door portals (issue 16 item 6): a reader at an exit with an inner and an outer antenna (configured as data). A tag
-- seen on the inner antenna and then on the outer one is leaving; an asset leaving without an approved movement
-- raises an alert (hub.assets.portals). Ingest's insert of a portal reader's rfid.read row announces it with
-- pg_notify (delivered after COMMIT), so the hub's portal watcher decides within moments of the read being stored.

CREATE TABLE asset_portals (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    name              text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    device_id         text NOT NULL UNIQUE CHECK (device_id ~ '^[a-z0-9-]{3,64}$'),
    inner_antenna     smallint NOT NULL CHECK (inner_antenna BETWEEN 0 AND 64),
    outer_antenna     smallint NOT NULL CHECK (outer_antenna BETWEEN 0 AND 64),
    location_id       bigint NOT NULL REFERENCES asset_locations (id),  -- the exit's place: whose premises
    display_device_id text CHECK (display_device_id IS NULL OR display_device_id ~ '^[a-z0-9-]{3,64}$'),
    window_s          integer NOT NULL DEFAULT 30 CHECK (window_s BETWEEN 2 AND 600),  -- inner → outer within
    CHECK (inner_antenna <> outer_antenna)
);

CREATE TABLE asset_portal_alerts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    portal_id       bigint NOT NULL REFERENCES asset_portals (id),
    asset_id        bigint NOT NULL REFERENCES assets (id),
    epc             text NOT NULL,
    passed_at       timestamptz NOT NULL,  -- the outer antenna's first sight of the tag
    raised_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_by text,
    acknowledged_at timestamptz,
    note            text CHECK (note IS NULL OR length(note) <= 2000),
    UNIQUE (portal_id, asset_id, passed_at)
);
CREATE INDEX asset_portal_alerts_open ON asset_portal_alerts (raised_at) WHERE acknowledged_at IS NULL;

CREATE FUNCTION cces_portal_read() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM asset_portals WHERE device_id = NEW.device_id) THEN
        PERFORM pg_notify('cces_portal_read', json_build_object('device_id', NEW.device_id, 'epc', NEW.epc,
                          'antenna', NEW.antenna, 'ts', NEW.ts)::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rfid_reads_portal AFTER INSERT ON rfid_reads FOR EACH ROW EXECUTE FUNCTION cces_portal_read();

INSERT INTO notification_categories (code, label_vi, label_en, mail_default) VALUES
    ('assets.portal_alert', 'Tài sản ra cổng không có phiếu điều chuyển', 'Asset leaving without an approved movement',
     true)
ON CONFLICT (code) DO NOTHING;
