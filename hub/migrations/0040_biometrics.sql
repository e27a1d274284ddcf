-- depends: 0003_people
-- Biometric enrollment (đăng ký sinh trắc học): consent, face crops and embeddings, erasures.
-- Crops and embeddings are stored sealed (AES-256-GCM under the hub's biometrics key, see
-- hub.biometrics.crypto): a database dump or backup holds no usable face. Nothing here is a file.

-- The legal basis of processing a person's face (Nghị định 13/2023/NĐ-CP: sensitive personal data).
-- A photo is accepted only while the person has a consent that is not withdrawn.
CREATE TABLE biometric_consents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id   bigint NOT NULL REFERENCES employees (id),
    basis         text NOT NULL CHECK (basis IN ('written_consent', 'electronic_consent', 'legal_obligation')),
    reference     text CHECK (char_length(reference) <= 200),   -- e.g. the signed form's number
    recorded_by   text NOT NULL CHECK (btrim(recorded_by) <> ''),
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    withdrawn_at  timestamptz,
    withdrawn_by  text
);
CREATE INDEX biometric_consents_employee ON biometric_consents (employee_id, recorded_at DESC);

CREATE TABLE biometric_photos (
    id             uuid PRIMARY KEY,
    employee_id    bigint NOT NULL REFERENCES employees (id),
    added_by       text NOT NULL,
    added_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    crop_sealed    bytea NOT NULL,             -- nonce | AES-GCM(JPEG of the face with a margin)
    key_id         text NOT NULL,              -- which key sealed it (key rotation)
    checked_with   text NOT NULL,              -- the pack whose detector and gates accepted it
    face_px        real NOT NULL,
    sharpness      real NOT NULL,
    yaw            real NOT NULL,
    roll_deg       real NOT NULL,
    pitch          real NOT NULL,
    detector_score real NOT NULL
);
CREATE INDEX biometric_photos_employee ON biometric_photos (employee_id);

-- one embedding per photo and recogniser, computed when a gallery for that pack is built
CREATE TABLE biometric_embeddings (
    photo_id          uuid NOT NULL REFERENCES biometric_photos (id) ON DELETE CASCADE,
    pack_id           text NOT NULL,
    recogniser_sha256 text NOT NULL,
    sealed            bytea NOT NULL,          -- nonce | AES-GCM(float32 little-endian unit vector)
    computed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (photo_id, pack_id, recogniser_sha256)
);

-- what erasure on request removed, and who asked; nothing biometric is kept here
CREATE TABLE biometric_erasures (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id        bigint NOT NULL REFERENCES employees (id),
    erased_by          text NOT NULL,
    erased_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    photos_removed     integer NOT NULL,
    embeddings_removed integer NOT NULL
);
