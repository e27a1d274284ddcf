-- depends: 0002_devices_and_ingest
-- The face model pack a device runs, as its heartbeat reports it (faceid.model).
ALTER TABLE devices ADD COLUMN model_pack text;
