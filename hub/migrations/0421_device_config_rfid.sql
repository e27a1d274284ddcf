-- depends: 0041_galleries
-- The RFID reader settings an admin sets for a device (protocol.config.RfidConfig: reader, port, zone,
-- power, antennas, RSSI floor, de-duplication window), published in its retained config like faceid's.
ALTER TABLE device_desired_config ADD COLUMN IF NOT EXISTS rfid jsonb;
