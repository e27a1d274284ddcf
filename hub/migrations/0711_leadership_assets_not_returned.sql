-- The leadership screen's asset tile (hub.assets.repository.alerts_by_unit) reads check-outs, repairs and loans
-- not back by their day: without this it scanned every movement ever made (its slowest tile at full scale).
CREATE INDEX asset_movements_not_returned ON asset_movements (due_on)
    WHERE status = 'approved' AND kind IN ('checkout', 'repair', 'loan');
