-- depends: 0410_assets
-- Asset movements (issue 16 item 7; DOMAIN.md §12.3): check-out to an employee and its return, transfer between
-- rooms or units, repair, loan, liquidation (thanh lý) with its decision document. A check-out is done at once by
-- an asset officer; the others are requested and then approved (or rejected) by someone else. An approved movement
-- also lets the asset leave through a door portal (hub.assets.portals) while it is open or until `exit_until`.
-- Each step writes the asset's history (asset_history) and an audit row.

CREATE TABLE asset_movements (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id         bigint NOT NULL REFERENCES assets (id),
    kind             text NOT NULL CHECK (kind IN ('checkout', 'transfer', 'repair', 'loan', 'liquidation')),
    status           text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'cancelled', 'returned')),
    to_employee_id   bigint REFERENCES employees (id),     -- checkout: who takes it
    to_location_id   bigint REFERENCES asset_locations (id),  -- transfer: the room it goes to
    to_unit_id       bigint REFERENCES org_units (id),     -- transfer: the unit it goes to
    party            text CHECK (party IS NULL OR length(party) <= 200),  -- loan: borrower; repair: repairer
    decision_number  text CHECK (decision_number IS NULL OR length(decision_number) <= 100),  -- liquidation: số QĐ
    decision_date    date,
    decision_signer  text CHECK (decision_signer IS NULL OR length(decision_signer) <= 200),
    reason           text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
    due_on           date,   -- expected back (checkout, repair, loan)
    exit_until       date,   -- a portal lets it leave until this day (inclusive); NULL: while the movement is open
    -- what the asset was before the movement took effect (a return puts it back)
    from_status      text,
    from_employee_id bigint REFERENCES employees (id),
    from_location_id bigint REFERENCES asset_locations (id),
    from_unit_id     bigint REFERENCES org_units (id),
    requested_by     text NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    decided_by       text,
    decided_at       timestamptz,
    decision_note    text CHECK (decision_note IS NULL OR length(decision_note) <= 2000),
    returned_by      text,
    returned_at      timestamptz,
    CHECK (kind <> 'checkout' OR to_employee_id IS NOT NULL),
    CHECK (kind <> 'transfer' OR to_location_id IS NOT NULL OR to_unit_id IS NOT NULL),
    CHECK (kind <> 'liquidation' OR (decision_number IS NOT NULL AND decision_date IS NOT NULL)),
    CHECK (kind NOT IN ('repair', 'loan') OR party IS NOT NULL)
);
CREATE INDEX asset_movements_asset ON asset_movements (asset_id, id);
CREATE INDEX asset_movements_waiting ON asset_movements (status, id) WHERE status = 'requested';
-- one open thing per asset: a request waiting, or a check-out, repair or loan not yet returned
CREATE UNIQUE INDEX asset_movements_one_open ON asset_movements (asset_id)
    WHERE status = 'requested' OR (status = 'approved' AND kind IN ('checkout', 'repair', 'loan'));
